"""The board pack as PDF: LibreOffice (headless) converts the Word file, keeping its
headings as PDF bookmarks; `outline_pages` reads where each section starts, for the contents."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

from exports.images import ExportError

TIMEOUT_S = 180


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def require_soffice() -> str:
    soffice = find_soffice()
    if soffice is None:
        raise ExportError("Cannot make a PDF: LibreOffice is not installed. Install Debian's "
                          "libreoffice-writer package (sudo apt-get install libreoffice-writer), "
                          "or download the Word version and save it as PDF.")
    return soffice


def docx_to_pdf(docx: bytes) -> bytes:
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="lacdash-pdf-") as tmp:
        src = Path(tmp) / "board-pack.docx"
        src.write_bytes(docx)
        # a private profile so a running LibreOffice (or another export) does not block this one
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf:writer_pdf_Export:{\"ExportBookmarks\":{\"type\":\"boolean\",\"value\":\"true\"}}",
               "--outdir", tmp, str(src)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, text=True)
        except subprocess.TimeoutExpired:
            raise ExportError(f"LibreOffice took more than {TIMEOUT_S} s to make the PDF.") from None
        out = Path(tmp) / "board-pack.pdf"
        if done.returncode != 0 or not out.exists():
            raise ExportError("LibreOffice could not convert the board pack to PDF: "
                              + (done.stderr or done.stdout or "no output").strip()[:500])
        return out.read_bytes()


def outline_pages(pdf: bytes) -> dict[str, int]:
    """The PDF's top-level bookmarks (LibreOffice makes one per Heading 1) -> page number
    (1-based), for the contents of the next conversion of the same document."""
    reader = PdfReader(io.BytesIO(pdf))
    out: dict[str, int] = {}
    for entry in reader.outline:
        if isinstance(entry, list):  # the children of the entry before
            continue
        out.setdefault(str(entry.title).strip(), reader.get_destination_page_number(entry) + 1)
    return out
