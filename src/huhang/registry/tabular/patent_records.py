"""Load published patent records, one JSON object per line, into the patent register.

Each line has ``id`` (the publication number where known), ``title``, ``abstract``, ``ipc`` (a list of
codes), ``applicants`` (names), ``app_date`` (ISO date or null), ``country`` and other fields not kept
here (``claims``, ``lang``, ``extra``). A record becomes a patent numbered by its publication number,
with the status "unknown" (no source has legal status) and the applicants as published; no owner is
linked, since a name is not an identifier.

Loading is idempotent: a publication number already in the register, or seen earlier in the file, is
skipped. Records that cannot be loaded are skipped and counted by reason, never half-loaded. Each file is
loaded in one transaction, in batches, with one audit event.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from huhang.audit.services import audit_record
from huhang.identifiers import IdentifierError, parse_patent_publication_number
from huhang.registry import access
from huhang.registry.models import Patent, RightStatus
from huhang.registry.models.rights import IPC_PATTERN, normalise_ipc
from huhang.registry.tabular.lookups import chunked

BATCH_SIZE = 1000
TITLE_LENGTH = Patent._meta.get_field("title").max_length

# Why a record was skipped (codes go into the audit event, texts to people).
SKIP_REASONS = {
    "not_json": gettext_lazy("the line is not a JSON object"),
    "not_numbered": gettext_lazy("its id is not a publication number, so it cannot be numbered"),
    "no_title": gettext_lazy("it has no title"),
    "repeated": gettext_lazy("its publication number appears earlier in the file"),
    "invalid": gettext_lazy("it fails the patent register's checks"),
}
# What was changed to load a record.
NOTES = {
    "ipc_repaired": gettext_lazy("IPC codes repaired (version date or trailing slash removed)"),
    "ipc_dropped": gettext_lazy("IPC codes dropped as unreadable"),
    "title_shortened": gettext_lazy("titles shortened to 500 characters"),
    "date_dropped": gettext_lazy("application dates dropped as unreadable"),
}
EXAMPLES_KEPT = 3

_IPC_WITH_VERSION = re.compile(r"([A-H]\d{2}[A-Z]\d{1,4}/\d{2,6}?)((?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2})")

Progress = Callable[[int, int], None]


@dataclass
class LoadSummary:
    """What loading one file did: created, already present, skipped (by reason) and notes (by kind)."""

    file_name: str
    sha256: str = ""
    lines: int = 0
    created: int = 0
    already_present: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, example: str) -> None:
        self.skipped[reason] += 1
        kept = self.examples.setdefault(reason, [])
        if len(kept) < EXAMPLES_KEPT:
            kept.append(example)


def repair_ipc(code: str) -> tuple[str | None, bool]:
    """Return ``code`` normalised (or None if unreadable) and whether it had to be repaired.

    Sources write some codes with their IPC version date glued on (``A21D13/0020060101`` for
    ``A21D13/00``, version 2006.01), with a trailing or doubled slash (``A21D13/``, ``A61K36//60``) or
    with the IPC edition in front (``6A21D13/08``, 6th edition).
    """
    text = normalise_ipc(str(code))
    if IPC_PATTERN.match(text):
        return text, False
    text = re.sub(r"^[1-7](?=[A-H]\d)", "", text.replace("//", "/"))
    for candidate in (text, text.rstrip("/")):
        if IPC_PATTERN.match(candidate):
            return candidate, True
    match = _IPC_WITH_VERSION.fullmatch(text)
    if match and IPC_PATTERN.match(match.group(1)):
        return match.group(1), True
    return None, False


def patents_load(*, actor, path: Path, progress: Progress | None = None) -> LoadSummary:
    """Load the JSON Lines file ``path`` into the patent register on behalf of ``actor``.

    ``progress(done, total)`` counts lines. Raises PermissionDenied if the actor may not change the
    registry, and OSError if the file cannot be read.
    """
    access.require_edit(actor, Patent)
    path = Path(path)
    summary = LoadSummary(file_name=path.name)
    with path.open("rb") as handle:
        total = sum(1 for _line in handle)
    digest = hashlib.sha256()
    seen: set[str] = set()
    pending: list[Patent] = []
    now = timezone.now()
    with transaction.atomic(), path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            digest.update(line)
            if line.strip():
                summary.lines += 1
                patent = _patent(line, number, summary, seen)
                if patent is not None:
                    pending.append(patent)
            if len(pending) >= BATCH_SIZE:
                _save(pending, actor=actor, now=now, summary=summary)
                pending = []
            if progress and (number % BATCH_SIZE == 0 or number == total):
                progress(number, total)
        _save(pending, actor=actor, now=now, summary=summary)
        summary.sha256 = digest.hexdigest()
        audit_record(
            actor=actor,
            action="registry.load_patents",
            target="patents",
            details={
                "file": summary.file_name,
                "sha256": summary.sha256,
                "lines": summary.lines,
                "created": summary.created,
                "already_present": summary.already_present,
                "skipped": dict(summary.skipped),
                "notes": dict(summary.notes),
            },
        )
    return summary


def _patent(line: bytes, number: int, summary: LoadSummary, seen: set[str]) -> Patent | None:
    """Return the unsaved patent of one line, or None after counting why it is skipped."""
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        record = None
    if not isinstance(record, dict):
        summary.skip("not_json", _("line %(number)d") % {"number": number})
        return None
    ident = str(record.get("id") or record.get("pub_number") or _("line %(number)d") % {"number": number})
    try:
        publication = parse_patent_publication_number(ident)
    except IdentifierError:
        summary.skip("not_numbered", ident)
        return None
    if publication.text in seen:
        summary.skip("repeated", publication.text)
        return None
    seen.add(publication.text)
    title = " ".join(str(record.get("title") or "").split())
    if not title:
        summary.skip("no_title", publication.text)
        return None
    if len(title) > TITLE_LENGTH:
        title = title[: TITLE_LENGTH - 1] + "…"
        summary.notes["title_shortened"] += 1
    patent = Patent(
        publication_number=publication.text,
        country=publication.country,
        title=title,
        abstract=str(record.get("abstract") or "").strip(),
        ipc_codes=_ipc_codes(record.get("ipc") or [], summary),
        applicant_names=[str(name).strip() for name in record.get("applicants") or [] if str(name).strip()],
        application_date=_date(record.get("app_date"), summary),
        status=RightStatus.UNKNOWN,
    )
    try:
        patent.clean_fields()
        patent.clean()
    except ValidationError as exc:
        summary.skip("invalid", f"{publication.text}: {'; '.join(exc.messages)}")
        return None
    return patent


def _ipc_codes(codes: list, summary: LoadSummary) -> list[str]:
    kept: list[str] = []
    for code in codes if isinstance(codes, list) else [codes]:
        repaired, changed = repair_ipc(code)
        if repaired is None:
            summary.notes["ipc_dropped"] += 1
            continue
        if changed:
            summary.notes["ipc_repaired"] += 1
        if repaired not in kept:
            kept.append(repaired)
    return kept


def _date(value, summary: LoadSummary) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        summary.notes["date_dropped"] += 1
        return None


def _save(patents: list[Patent], *, actor, now, summary: LoadSummary) -> None:
    """Create the patents whose publication numbers are not in the register yet."""
    if not patents:
        return
    present: set[str] = set()
    for chunk in chunked([p.publication_number for p in patents]):
        present.update(Patent.objects.filter(publication_number__in=chunk).values_list("publication_number", flat=True))
    new = [p for p in patents if p.publication_number not in present]
    summary.already_present += len(patents) - len(new)
    if new:
        bulk_create_with_history(
            new, Patent, default_user=actor, default_date=now, default_change_reason=f"load {summary.file_name}"[:100]
        )
    summary.created += len(new)
