"""The board pack as PDF in one LibreOffice conversion (issue 17): a headless Basic macro opens
the Word file, updates its contents (the Word TOC field, which LibreOffice reads as its own
table of contents) so the page numbers are LibreOffice's own, and exports the PDF with a
bookmark per Heading 1. `outline_pages` reads where each section starts (tests, checks).

The macro lives in a LibreOffice user profile made once per process (LibreOffice's first start
writes the profile's Basic libraries, so the macro is put in after it); conversions take turns
on it (two LibreOffice processes cannot share a profile).
"""
from __future__ import annotations

import atexit
import io
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from pypdf import PdfReader

from exports.images import ExportError

TIMEOUT_S = 180
MODULE = "LacdashPdf"
MACRO = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{MODULE}" script:language="StarBasic">
Sub ToPdf(src As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot; : args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  idx = doc.getDocumentIndexes()
  For i = 0 To idx.getCount() - 1
    idx.getByIndex(i).update()
  Next
  Dim fd(0) As New com.sun.star.beans.PropertyValue
  fd(0).Name = &quot;ExportBookmarks&quot; : fd(0).Value = True
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot; : out(0).Value = &quot;writer_pdf_Export&quot;
  out(1).Name = &quot;FilterData&quot; : out(1).Value = fd()
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
"""

_lock = threading.Lock()
_profile: Path | None = None


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


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, text=True)
    except subprocess.TimeoutExpired:
        raise ExportError(f"LibreOffice took more than {TIMEOUT_S} s to make the PDF.") from None


def _macro_profile(soffice: str) -> Path:
    """This process's LibreOffice profile with the conversion macro (call under _lock)."""
    global _profile
    if _profile is not None and (_profile / "user" / "basic" / "Standard"
                                 / f"{MODULE}.xba").is_file():
        return _profile
    root = Path(tempfile.mkdtemp(prefix="lacdash-lo-"))
    atexit.register(shutil.rmtree, root, True)
    _run([soffice, f"-env:UserInstallation=file://{root}", "--headless",
          "--terminate_after_init"])
    lib = root / "user" / "basic" / "Standard"
    xlb = lib / "script.xlb"
    if not xlb.is_file():
        raise ExportError("LibreOffice did not start (its profile has no Basic library): "
                          "check that `soffice --headless` runs.")
    (lib / f"{MODULE}.xba").write_text(MACRO, encoding="utf-8")
    text = xlb.read_text(encoding="utf-8")
    entry = f'<library:element library:name="{MODULE}"/>'
    if entry not in text:
        if text.rstrip().endswith("/>") and "</library:library>" not in text:
            text = text.rstrip()[:-2] + f">\n {entry}\n</library:library>\n"
        else:
            text = text.replace("</library:library>", f" {entry}\n</library:library>")
        xlb.write_text(text, encoding="utf-8")
    _profile = root
    return root


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of a Word file, its contents updated with LibreOffice's page numbers."""
    global _profile
    soffice = require_soffice()
    with _lock, tempfile.TemporaryDirectory(prefix="lacdash-pdf-") as tmp:
        profile = _macro_profile(soffice)
        src, out = Path(tmp) / "board-pack.docx", Path(tmp) / "board-pack.pdf"
        src.write_bytes(docx)
        try:
            done = _run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                         "--invisible", f'macro:///Standard.{MODULE}.ToPdf("{src}","{out}")'])
        except ExportError:
            _profile = None  # a LibreOffice cut short may have left its lock: a new profile
            raise
        if not out.exists():
            _profile = None
            raise ExportError("LibreOffice could not convert the board pack to PDF: "
                              + (done.stderr or done.stdout or "no output").strip()[:500])
        return out.read_bytes()


def outline_pages(pdf: bytes) -> dict[str, int]:
    """The PDF's top-level bookmarks (LibreOffice makes one per Heading 1) -> page number
    (1-based)."""
    reader = PdfReader(io.BytesIO(pdf))
    out: dict[str, int] = {}
    for entry in reader.outline:
        if isinstance(entry, list):  # the children of the entry before
            continue
        out.setdefault(str(entry.title).strip(), reader.get_destination_page_number(entry) + 1)
    return out
