"""LibreOffice opens every DOCX: headless conversion to PDF succeeds and keeps the Chinese title."""

import shutil
import subprocess

import pytest

from huhang.documents import KINDS, render_docx

from .conftest import full_context
from .tools import pdf_text

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Convert every kind's DOCX in one soffice run (a private profile, so parallel runs do not collide)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    documents = []
    for kind in sorted(KINDS):
        path = folder / f"{kind}.docx"
        path.write_bytes(render_docx(full_context(kind)))
        documents.append(str(path))
    profile = (folder / "profile").as_uri()
    out = folder / "pdf"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *documents,
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    return out


def test_libreoffice_converts_the_docx_with_its_chinese_title(kind, converted):
    pdf = converted / f"{kind}.pdf"
    assert pdf.is_file(), f"LibreOffice did not convert {kind}.docx"
    text = pdf_text(pdf)
    assert KINDS[kind].title_zh in text
    assert full_context(kind).authority in text
