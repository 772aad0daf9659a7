"""The Chinese catalogue is complete, current with the source, and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "huhang"
PO = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_message_is_translated_with_its_placeholders():
    catalogue = polib.pofile(str(PO))
    for entry in catalogue:
        assert "fuzzy" not in entry.flags, f"fuzzy translation of {entry.msgid!r}"
        for text in _translations(entry):
            assert text, f"no translation for {entry.msgid!r}"
            wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"placeholders differ in {entry.msgid!r}"


def test_compiled_catalogue_matches_the_source():
    compiled = {(e.msgid, e.msgid_plural): _translations(e) for e in polib.mofile(str(MO)) if e.msgid}
    source = {(e.msgid, e.msgid_plural): _translations(e) for e in polib.pofile(str(PO))}
    assert compiled == source, "run `make messages` to recompile django.mo"


def test_catalogue_holds_every_message_of_the_source(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (`make test` installs it)")
    copy = tmp_path / "huhang"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {(e.msgid, e.msgid_plural) for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    ours = {(e.msgid, e.msgid_plural) for e in polib.pofile(str(PO))}
    assert not fresh - ours, f"untranslated new messages; run makemessages: {sorted(fresh - ours)[:10]}"
