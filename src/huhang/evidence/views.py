"""Evidence pages: list, submit (a file, or only its hash), detail with receipt and certificate, and the
public verification page. Thin views over access, services and receipts.
"""

import datetime
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huhang.evidence import access, checks, ledger_service, services
from huhang.evidence.certificate import certificate_pdf
from huhang.evidence.filters import EvidenceFilter
from huhang.evidence.forms import EvidenceHashForm, EvidenceUploadForm, VerifyForm
from huhang.evidence.models import Evidence, EvidenceKind, EvidenceMode
from huhang.evidence.receipts import evidence_receipt, verification_url
from huhang.evidence.storage import StoreError, evidence_store
from huhang.evidence.verdicts import receipt_error_message
from huhang.ledger.errors import LedgerError
from huhang.ledger.receipt import ReceiptError, verify_receipt
from huhang.registry.access import shown_identifier

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


@login_required
def evidence_list(request):
    queryset = access.evidence_visible_to(request.user).select_related("holder", "submitted_by")
    filterset = EvidenceFilter(request.GET or None, queryset=queryset)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    text = request.GET.get("q", "").strip()
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(holder__name__icontains=text) | Q(sha256__startswith=text.lower())
        )
    page = Paginator(queryset.order_by("-submitted_at", "-ledger_index"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_submit": access.can_submit(request.user),
        },
    )


def _submit(request, form_class, template, submit):
    if not access.can_submit(request.user):
        raise PermissionDenied(_("You may not submit evidence."))
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = submit(form)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except LedgerError as exc:
            form.add_error(None, _("The ledger is not available, nothing was recorded: %(error)s") % {"error": exc})
        except StoreError as exc:
            logger.error("evidence store failed: %s", exc)
            form.add_error(None, _("The evidence store is not available, nothing was recorded."))
        else:
            messages.success(request, _("Preserved as ledger entry %(index)d.") % {"index": evidence.ledger_index})
            return redirect("evidence:detail", pk=evidence.pk)
    return render(request, template, {"form": form, "max_bytes": _max_megabytes()})


def _max_megabytes() -> int:
    from django.conf import settings

    return settings.HUHANG_EVIDENCE_MAX_BYTES // (1024 * 1024)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request):
    def submit(form):
        data = form.cleaned_data
        return services.evidence_submit(
            actor=request.user,
            holder=form.chosen_holder(),
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            upload=data["file"],
        )

    return _submit(request, EvidenceUploadForm, "evidence/new.html", submit)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new_hash(request):
    def submit(form):
        data = form.cleaned_data
        return services.evidence_submit_hash(
            actor=request.user,
            holder=form.chosen_holder(),
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            sha256=data["sha256"],
            size=data["size"],
            media_type=data["media_type"],
        )

    return _submit(request, EvidenceHashForm, "evidence/new_hash.html", submit)


@login_required
def evidence_detail(request, pk):
    evidence = access.access_evidence(request.user, pk)
    try:
        problems = checks.evidence_row_problems(evidence)
        log_available = True
    except LedgerError:
        problems, log_available = [], False
    file_checked = evidence.mode == EvidenceMode.FILE and (evidence.size or 0) <= checks.REHASH_ON_PAGE_BYTES
    problems += checks.evidence_file_problems(evidence, rehash=file_checked)
    return render(
        request,
        "evidence/detail.html",
        {
            "evidence": evidence,
            "holder_id": shown_identifier(request.user, evidence.holder),
            "problems": problems,
            "log_available": log_available,
            "file_checked": file_checked,
            "can_download_file": access.can_download_file(request.user, evidence),
            "verifier_key": ledger_service.open_log().record.verifier_key if log_available else "",
        },
    )


def _receipt_or_error(evidence):
    try:
        return evidence_receipt(evidence)
    except LedgerError as exc:
        raise PermissionDenied(_("No receipt can be made: %(error)s") % {"error": exc}) from None


@login_required
def evidence_receipt_download(request, pk):
    evidence = access.access_evidence(request.user, pk)
    data = _receipt_or_error(evidence)
    response = HttpResponse(data.json_bytes(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{evidence.ledger_index}.json"'
    return response


@login_required
def evidence_certificate(request, pk):
    evidence = access.access_evidence(request.user, pk)
    data = _receipt_or_error(evidence)
    pdf = certificate_pdf(
        evidence,
        receipt=data.receipt,
        holder_id=_leaf_holder_id(evidence),
        verify_url=f"{verification_url()}?evidence={evidence.pk}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{evidence.ledger_index}.pdf"'
    return response


def _leaf_holder_id(evidence) -> str:
    import json

    return (json.loads(bytes(evidence.leaf)).get("holder") or {}).get("id", "")


@login_required
def evidence_file(request, pk):
    evidence = access.access_evidence(request.user, pk)
    if evidence.mode != EvidenceMode.FILE or not access.can_download_file(request.user, evidence):
        raise PermissionDenied(_("You may not download this file."))
    store = evidence_store()
    try:
        stream = store.open(evidence.storage_key)  # streamed: never read whole into memory
    except FileNotFoundError:
        raise PermissionDenied(_("The file is missing from the store.")) from None
    except StoreError as exc:
        logger.error("evidence store failed: %s", exc)
        return HttpResponse(_("The evidence store is not available."), status=503, content_type="text/plain")
    # Served as an opaque download under a name derived from the hash: never rendered by the browser.
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"evidence-{evidence.sha256[:16]}",
        content_type="application/octet-stream",
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """The public verification page: a receipt (uploaded, or the platform's own by evidence id) and a file."""
    evidence = _public_evidence(request.POST.get("evidence") or request.GET.get("evidence"))
    form = VerifyForm(request.POST or None, request.FILES or None)
    if evidence is not None:
        form.fields["receipt"].required = False
    result = error = None
    log_key = _instance_key()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["receipt"]
        key = (request.POST.get("verifier_key") or "").strip() or log_key
        try:
            if upload is not None:
                receipt = upload.read(2 << 20)
            elif evidence is not None:
                receipt = evidence_receipt(evidence).receipt
            else:
                raise ReceiptError("missing_field", field="receipt")
            file = form.cleaned_data.get("file")
            result = verify_receipt(receipt, verifier_key=key, file_bytes=file.open("rb") if file else None)
        except ReceiptError as exc:
            error = receipt_error_message(exc)
        except LedgerError as exc:
            error = str(exc)
    facts = _leaf_facts(result.leaf_fields) if result is not None else {}
    if result is not None and result.timestamp is not None:
        facts["timestamp_time"] = timezone.localtime(result.timestamp.gen_time)
    return render(
        request,
        "evidence/verify.html",
        {"form": form, "result": result, "facts": facts, "error": error, "evidence": evidence, "instance_key": log_key},
        status=200,
    )


def _leaf_facts(fields: dict) -> dict:
    """The kind as its label and the recording time in the instance's time zone (Beijing time)."""
    facts = {}
    kind = fields.get("kind")
    if kind:
        facts["kind"] = EvidenceKind(kind).label if kind in EvidenceKind.values else kind
    stamp = fields.get("time")
    if isinstance(stamp, str):
        try:
            facts["time"] = timezone.localtime(datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")))
        except ValueError:
            facts["time"] = stamp
    return facts


def _public_evidence(value):
    if not value:
        return None
    try:
        return Evidence.objects.select_related("holder").filter(pk=value).first()
    except ValidationError:
        return None


def _instance_key() -> str:
    try:
        return ledger_service.open_log().record.verifier_key
    except LedgerError:
        return ""
