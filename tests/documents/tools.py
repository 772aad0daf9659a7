"""Run the poppler and LibreOffice command-line tools the document tests check output with."""

import shutil
import subprocess
from pathlib import Path

import pytest


def require(tool: str, package: str) -> str:
    """Return the path of ``tool``, or skip the test naming the Debian package that provides it."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}); CI installs it")
    return path


def pdf_text(pdf: Path) -> str:
    """Return the text of ``pdf`` as pdftotext extracts it, without line breaks."""
    tool = require("pdftotext", "poppler-utils")
    out = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\n", "")


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    """Return the font table of ``pdf`` as pdffonts prints it, one dict per font."""
    tool = require("pdffonts", "poppler-utils")
    lines = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        fields = line.split()
        # name type [type…] encoding emb sub uni object-id generation
        fonts.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4], "uni": fields[-3]})
    return fonts
