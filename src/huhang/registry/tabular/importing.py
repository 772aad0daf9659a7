"""Import a CSV or XLSX file into a register: the whole file, or nothing.

Every row is parsed and validated first (each cell, the model's ``clean_fields`` and ``clean``, uniqueness
within the file and against the registry, overlapping filings). Lookups are loaded once per file; uniqueness
and filings' overlaps with the registry are checked with a few ``__in`` queries, not one query per row. If
any row is bad, :class:`ImportRejected` carries a report of every problem (row as Excel numbers it, column,
reason) and nothing is written. Otherwise all rows, their history versions (who and when) and their owners
are inserted in one transaction, in batches, with one audit event for the file.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_model_for_model

from huhang.audit.services import audit_record
from huhang.registry import access
from huhang.registry.models import Filing
from huhang.registry.tabular.cells import is_blank
from huhang.registry.tabular.columns import Column, KindSpec, spec_for
from huhang.registry.tabular.errors import CellError, ImportRejected, TabularError
from huhang.registry.tabular.lookups import ImportContext, chunked
from huhang.registry.tabular.reading import Table, read_table
from huhang.registry.tabular.report import ImportReport

__all__ = ["ImportRejected", "ImportResult", "import_rows"]

BATCH_SIZE = 2000
PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file_name: str
    created: int
    sha256: str


@dataclass
class Prepared:
    """A row turned into an unsaved record; ``bad`` names the fields already reported as wrong."""

    row: int
    cells: list
    instance: models.Model
    owners: list = field(default_factory=list)
    bad: set[str] = field(default_factory=set)


def import_rows(*, actor, kind: str, path_or_file, progress: Progress | None = None) -> ImportResult:
    """Import every row of ``path_or_file`` (a path or an uploaded file) into the register ``kind``.

    ``progress(done, total)`` is called now and then: each row counts once when it is checked and once
    when it is written, so ``total`` is twice the number of rows.

    Raises PermissionDenied if the actor may not change the registry, ImportRejected (with ``report``)
    if any row is bad, and another TabularError if the file cannot be read; nothing is written then.
    """
    spec = spec_for(kind)
    access.require_edit(actor, spec.model)
    table = read_table(path_or_file, spec=spec)
    report = ImportReport(kind=kind, file_name=table.raw.name, headers=table.raw.headers)
    total = 2 * len(table.rows)
    prepared = _prepare_rows(table, report, progress, total)
    _check_unique(spec.model, prepared, table, report)
    if spec.model is Filing:
        _check_filing_overlaps(prepared, table, report)
    if report:
        report.sort()
        raise ImportRejected(report.summary, report=report)
    created = _insert(actor=actor, spec=spec, table=table, prepared=prepared, progress=progress, total=total)
    return ImportResult(kind=kind, file_name=table.raw.name, created=created, sha256=table.raw.sha256)


# --------------------------------------------------------------------------- checking


def _prepare_rows(table: Table, report: ImportReport, progress: Progress | None, total: int) -> list[Prepared]:
    ctx = ImportContext()
    ref_columns = [c for c in table.columns if c is not None and c.cell.refers_to_entities]
    wanted: set[str] = set()
    for _row, cells in table.rows:
        values = table.values(cells)
        for column in ref_columns:
            wanted.update(column.cell.identifiers(values[column.field]))
    ctx.load_entities(wanted)
    headers = _headers(table)
    prepared = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        prepared.append(_prepare_row(table, number, cells, ctx, headers, report))
        if progress and (done % PROGRESS_EVERY == 0 or done == len(table.rows)):
            progress(done, total)
    return prepared


def _headers(table: Table) -> dict[str, str]:
    """Return the header to name in a report for each field: the file's, else the active language's."""
    found = {column.field: table.header_of(column) for column in table.spec.columns}
    for model_field in table.spec.model._meta.fields:
        found.setdefault(model_field.name, str(model_field.verbose_name))
    found[NON_FIELD_ERRORS] = "—"
    return found


def _prepare_row(table: Table, number: int, cells: list, ctx: ImportContext, headers, report) -> Prepared:
    values = table.values(cells)
    fields: dict[str, object] = {}
    owners: list = []
    bad: set[str] = set()
    for column in _importable(table):
        raw = values[column.field]
        if is_blank(raw):
            if column.required:
                report.add(number, headers[column.field], _("A value is required."), cells)
                bad.add(column.field)
            continue
        try:
            value = column.cell.parse(raw, ctx)
        except CellError as exc:
            report.add(number, headers[column.field], exc.message, cells)
            bad.add(column.field)
            continue
        if column.is_many:
            owners = value
        else:
            fields[column.field] = value
    instance = table.spec.model(**fields)
    # Related rows come from the lookups, so their existence needs no query per row.
    exclude = bad | {f.name for f in instance._meta.fields if f.is_relation}
    unreadable = bool(bad)
    _validate(instance.clean_fields, number, cells, headers, report, bad, exclude=exclude)
    if not unreadable:  # as Model.full_clean does, even when clean_fields found problems
        # A filing's overlaps with the registry are checked for all rows at once (_check_filing_overlaps).
        clean = instance.clean_alone if isinstance(instance, Filing) else instance.clean
        _validate(clean, number, cells, headers, report, bad)
    return Prepared(row=number, cells=cells, instance=instance, owners=owners, bad=bad)


def _importable(table: Table) -> list[Column]:
    return [c for c in table.columns if c is not None and not c.is_shown_only]


def _validate(check, number, cells, headers, report, bad: set[str], **kwargs) -> None:
    try:
        check(**kwargs)
    except ValidationError as exc:
        for name, errors in exc.update_error_dict({}).items():
            if name in bad:
                continue  # already reported for this row
            bad.add(name)
            for message in ValidationError(errors).messages:
                report.add(number, headers.get(name, name), message, cells)


def _unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    sets = [(f.name,) for f in model._meta.local_concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(names) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            sets.append(tuple(constraint.fields))
    return sets


def _check_unique(model, prepared: list[Prepared], table: Table, report: ImportReport) -> None:
    headers = _headers(table)
    for names in _unique_sets(model):
        attnames = [model._meta.get_field(name).attname for name in names]
        first_row: dict[tuple, int] = {}
        candidates: list[tuple[tuple, Prepared]] = []
        for item in prepared:
            if item.bad & set(names):
                continue
            key = tuple(getattr(item.instance, attname) for attname in attnames)
            if any(value in (None, "") for value in key):
                continue
            if key in first_row:
                report.add(
                    item.row,
                    headers[names[0]],
                    _("%(value)s also appears in row %(row)d of this file.")
                    % {"value": _shown(key), "row": first_row[key]},
                    item.cells,
                )
                item.bad.add(names[0])
                continue
            first_row[key] = item.row
            candidates.append((key, item))
        existing = _existing(model, attnames, [key for key, _item in candidates])
        for key, item in candidates:
            if key in existing:
                report.add(
                    item.row,
                    headers[names[0]],
                    _("%(value)s is already in the registry.") % {"value": _shown(key)},
                    item.cells,
                )
                item.bad.add(names[0])


def _existing(model, attnames: list[str], keys: list[tuple]) -> set[tuple]:
    """Return which of ``keys`` (values of ``attnames``) the table already holds, a chunk per query.

    Composite keys are looked up by their most varied part, then compared whole.
    """
    if not keys:
        return set()
    position = max(range(len(attnames)), key=lambda i: len({key[i] for key in keys}))
    found: set[tuple] = set()
    for chunk in chunked(sorted({key[position] for key in keys}, key=str)):
        rows = model._default_manager.filter(**{f"{attnames[position]}__in": chunk}).values_list(*attnames)
        found.update(tuple(row) for row in rows)
    return found & set(keys)


def _shown(key: tuple) -> str:
    return " / ".join(str(value) for value in key)


def _check_filing_overlaps(prepared: list[Prepared], table: Table, report: ImportReport) -> None:
    """Report each filing that overlaps another of the same entity with the same centre: one already in the
    registry (the rule of ``Filing.clean_overlaps``, checked for all rows with a query per 900 entities
    instead of a query per row), else an earlier row's.
    """
    header = _headers(table)["valid_from"]
    groups: dict[tuple, list[Prepared]] = {}
    for item in prepared:
        if not item.bad:
            filing = item.instance
            groups.setdefault((filing.entity_id, filing.centre_id), []).append(item)
    registered = _registered_periods(groups.keys())
    for key, items in groups.items():
        for item in items:
            start, end = item.instance.valid_from, item.instance.valid_to
            if any(_overlap(start, end, *period) for period in registered.get(key, ())):
                report.add(item.row, header, str(Filing.OVERLAP_MESSAGE), item.cells)
                item.bad.add("valid_from")
        _check_overlaps_in_file([item for item in items if not item.bad], header, report)


def _check_overlaps_in_file(items: list[Prepared], header: str, report: ImportReport) -> None:
    """Report each of ``items`` (filings of one entity with one centre) overlapping an earlier one."""
    items.sort(key=lambda item: (item.instance.valid_from, item.row))
    # The earlier filing reaching furthest; None as an end means "still valid".
    reach: Prepared | None = None
    for item in items:
        filing = item.instance
        if reach is not None and _overlap(
            filing.valid_from, filing.valid_to, reach.instance.valid_from, reach.instance.valid_to
        ):
            report.add(
                item.row,
                header,
                _("This entity already has a filing with this centre in that period (row %(row)d).")
                % {"row": reach.row},
                item.cells,
            )
            item.bad.add("valid_from")
        if reach is None or _reaches_further(filing.valid_to, reach.instance.valid_to):
            reach = item


def _registered_periods(pairs) -> dict[tuple, list[tuple]]:
    """Return the (start, end) of the registry's filings for each (entity, centre) of ``pairs``."""
    found: dict[tuple, list[tuple]] = {}
    fields = ("entity_id", "centre_id", "valid_from", "valid_to")
    for chunk in chunked(sorted({entity for entity, _centre in pairs})):
        for entity, centre, start, end in Filing.objects.filter(entity_id__in=chunk).values_list(*fields):
            if (entity, centre) in pairs:
                found.setdefault((entity, centre), []).append((start, end))
    return found


def _overlap(start, end, other_start, other_end) -> bool:
    """Whether the periods [start, end) and [other_start, other_end) share a day (None as an end: none)."""
    return (end is None or other_start < end) and (other_end is None or start < other_end)


def _reaches_further(end, other_end) -> bool:
    """Whether a period ending (exclusive) at ``end`` lasts longer than one ending at ``other_end``."""
    if other_end is None:
        return False
    return end is None or end > other_end


# --------------------------------------------------------------------------- writing


def _insert(*, actor, spec: KindSpec, table: Table, prepared: list[Prepared], progress, total: int) -> int:
    model = spec.model
    instances = [item.instance for item in prepared]
    now = timezone.now()
    reason = f"import {table.raw.name}"[:100]
    done = len(instances)
    try:
        with transaction.atomic():
            for batch in chunked(instances, BATCH_SIZE):
                _insert_with_history(model, batch, user=actor, date=now, reason=reason)
                done += len(batch)
                if progress:
                    progress(done, total)
            _add_owners(model, prepared)
            audit_record(
                actor=actor,
                action="registry.import",
                target=spec.slug,
                details={"file": table.raw.name, "rows": len(instances), "sha256": table.raw.sha256},
            )
    except IntegrityError as exc:
        raise TabularError(
            _(
                "The registry changed while the file was being imported (%(detail)s); nothing was imported. "
                "Import the file again to see which rows now clash."
            )
            % {"detail": exc}
        ) from None
    return len(instances)


def _insert_with_history(model, instances: list, *, user, date, reason: str) -> None:
    """Insert ``instances`` and a history version of each (created, by ``user`` at ``date`` for ``reason``).

    This does what simple-history's ``bulk_create_with_history`` does, for a fraction of its cost: each
    record's values are prepared for the database once, as ``bulk_create`` prepares them (``pre_save`` fills
    ``auto_now`` fields), and serve both its rows, which go in with a few large INSERTs, the records' returning
    their primary keys. No model instance is built and Django's SQL compiler does not run for each value,
    which took most of the import's time. Where a record is not plain values in the same columns as its
    history, or the database is neither SQLite (3.35 or later) nor PostgreSQL, ``bulk_create_with_history``
    writes it.
    """
    db = connections[router.db_for_write(model)]  # not the proxy, which costs a lookup for each value
    meta, history = model._meta, get_history_model_for_model(model)._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    extra = {"history_date": date, "history_change_reason": reason, "history_type": "+", "history_user": user.pk}
    extra_fields = [history.get_field(name) for name in extra]
    if not (
        db.vendor in ("sqlite", "postgresql")
        and db.features.can_return_rows_from_bulk_insert  # not SQLite before 3.35
        and not any(f.has_db_default() or f.generated or hasattr(f, "get_placeholder") for f in fields)
        and {f.attname for f in history.concrete_fields}
        == {f.attname for f in (history.pk, meta.pk, *fields, *extra_fields)}
    ):
        bulk_create_with_history(instances, model, default_user=user, default_date=date, default_change_reason=reason)
        return
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields) for obj in instances]
    constants = tuple(f.get_db_prep_save(v, db) for f, v in zip(extra_fields, extra.values(), strict=True))
    history_fields = [history.get_field(f.name) for f in (meta.pk, *fields)] + extra_fields
    with db.cursor() as cursor:
        ids = _insert_rows(cursor, db, meta.db_table, fields, rows, returning=meta.pk)
        for obj, (pk,) in zip(instances, ids, strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, db.alias
        history_rows = [(obj.pk, *row, *constants) for obj, row in zip(instances, rows, strict=True)]
        _insert_rows(cursor, db, history.db_table, history_fields, history_rows)


def _insert_rows(cursor, db, table: str, fields: list, rows: list[tuple], returning=None) -> list[tuple]:
    """Insert ``rows`` (values prepared for the columns of ``fields``) into ``table`` and return, for each
    row in order (as ``bulk_create`` relies on too), the value of the field ``returning`` if given.

    PostgreSQL receives each column as one array (``UNNEST``, as Django's ``bulk_create`` does there): a
    statement with a placeholder for each value takes longer to plan than to run. SQLite receives as many rows
    per statement as its limit of placeholders allows (Django assumes the 999 of builds before 3.32).
    """
    quote = db.ops.quote_name
    insert = f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in fields)})"
    returns = f" {db.ops.return_insert_columns([returning])[0]}" if returning is not None else ""
    if db.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(db).split('(')[0]}[]" for f in fields)  # varchar[], not varchar(n)[]
        sql = f"{insert} SELECT * FROM UNNEST({arrays}){returns}"  # noqa: S608 - names from the models, quoted
        statements = [(sql, [list(column) for column in zip(*rows, strict=True)])]
    else:
        size = max(1, db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(fields))
        one_row = f"({', '.join(['%s'] * len(fields))})"
        statements = [
            (f"{insert} VALUES {', '.join([one_row] * len(part))}{returns}", [v for row in part for v in row])
            for part in chunked(rows, size)
        ]
    returned: list[tuple] = []
    for sql, params in statements:
        cursor.execute(sql, params)
        if returning is not None:
            returned += cursor.fetchall()
    return returned


def _add_owners(model, prepared: list[Prepared]) -> None:
    if not any(item.owners for item in prepared):
        return
    owners_field = model._meta.get_field("owners")
    through = owners_field.remote_field.through
    source = f"{owners_field.m2m_field_name()}_id"
    target = f"{owners_field.m2m_reverse_field_name()}_id"
    links = [through(**{source: item.instance.pk, target: owner.pk}) for item in prepared for owner in item.owners]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
