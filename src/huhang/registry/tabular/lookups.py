"""What an import looks up while it reads cells, loaded once per file instead of once per row."""

from django.utils.translation import gettext as _

from huhang.accounts.models import Organisation
from huhang.identifiers import IdentifierError, validate_resident_id, validate_uscc
from huhang.registry.models import District, Entity, Industry
from huhang.registry.tabular.cells import Choice, lookup_key
from huhang.registry.tabular.errors import CellError

# SQLite allows 999 parameters per statement (older builds); stay under it.
IN_CHUNK = 900


def chunked(items: list, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ImportContext:
    """Districts, industries, centres, choice labels and referenced entities, each loaded on first use."""

    def __init__(self) -> None:
        self._choices: dict[int, dict[str, str]] = {}
        self._places: dict[str, dict] = {}
        self._centres: dict | None = None
        self._entities: dict[str, Entity] = {}

    def choice_keys(self, cell: Choice) -> dict[str, str]:
        if id(cell) not in self._choices:
            self._choices[id(cell)] = cell.keys()
        return self._choices[id(cell)]

    def places(self, table: str) -> dict:
        if table not in self._places:
            model = {"districts": District, "industries": Industry}[table]
            found = {}
            for row in model.objects.all():
                for name in (row.name_en, row.name_zh, row.code):
                    found[lookup_key(name)] = row
            self._places[table] = found
        return self._places[table]

    def centres(self) -> dict:
        # Every organisation is matched; Filing.clean says when one does not keep filings.
        if self._centres is None:
            found = {}
            for row in Organisation.objects.all():
                for name in (row.name_en, row.name):
                    if name:
                        found[lookup_key(name)] = row
            self._centres = found
        return self._centres

    def load_entities(self, identifiers: set[str]) -> None:
        """Fetch the entities named by ``identifiers`` (USCCs or resident ID numbers) in a few queries."""
        wanted = sorted(key for key in identifiers if len(key) == 18)
        fields = ("pk", "kind", "name", "uscc", "resident_id")
        for chunk in chunked(wanted):
            for entity in Entity.objects.filter(uscc__in=chunk).only(*fields):
                self._entities[entity.uscc] = entity
            for entity in Entity.objects.filter(resident_id__in=chunk).only(*fields):
                self._entities[entity.resident_id] = entity

    def entity(self, key: str) -> Entity:
        """Return the entity whose USCC or resident ID number is ``key``; raise CellError saying why not."""
        if key in self._entities:
            return self._entities[key]
        if "*" in key:
            raise CellError(_("%(value)s is masked: give the full resident ID number or the USCC.") % {"value": key})
        if not _is_identifier(key):
            raise CellError(_("%(value)s is neither a valid USCC nor a valid resident ID number.") % {"value": key})
        raise CellError(
            _("No entity with the USCC or resident ID number %(value)s is in the registry: import it first.")
            % {"value": key}
        )


def _is_identifier(key: str) -> bool:
    for validate in (validate_uscc, validate_resident_id):
        try:
            validate(key)
        except IdentifierError:
            continue
        return True
    return False
