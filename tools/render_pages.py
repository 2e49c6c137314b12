"""Render the demo's values copy as a controller would print it, and measure every page.

    .venv/bin/python tools/render_pages.py [--uit MAP] [--schaal 0.05] [--werkmap PAD.xlsx]

Builds the demo (or takes ``--werkmap``), converts the values copy to PDF with LibreOffice
(``soffice --headless --convert-to pdf``), writes one PNG per page with poppler
(``pdftoppm -png -r 50``) and prints per page: the sheet (read from the footer), the smallest
text on the page in points on paper (from ``pdftotext -bbox-layout``: the height of a word's box
divided by ``BOX_PER_POINT``, the box height of Carlito per point of font size), and the
layout lint of that sheet (``workbooks.fit.lint``). Then open every PNG and look at it.

Needs LibreOffice and poppler-utils; the fonts of the render are those LibreOffice finds
(``fonts-crosextra-carlito`` gives Calibri's metrics). LibreOffice runs with the locale of a
Dutch Excel (``LOCALE``, nl-NL): the workbook's number formats are Excel's locale-neutral codes
(``#,##0`` means "group thousands"), and the footer date is ``&D``, so separators and the date
come out as the controller's Excel shows them (``€ 10.000.000``, ``6-12-2026``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Height of a word box in ``pdftotext -bbox-layout`` per point of font size on paper (measured
#: on this render: Calibri/Carlito 11 pt at 100 % gives 14.3 pt boxes, 16 pt gives 20.8 pt).
BOX_PER_POINT = 1.3
#: The footer (municipality, sheet, date, page; 9 pt) is the bottom band of a page, in points.
FOOTER_BAND = 40
#: The locale LibreOffice renders in: that of the controller's Excel.
LOCALE = "nl-NL"
#: LibreOffice's settings for that locale, written into the render's own throw-away profile.
_PROFILE_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{LOCALE}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{LOCALE}</value></prop></item>
</oor:items>
"""


def render(workbook: Path, out_dir: Path, dpi: int = 50) -> Path:
    """Workbook → PDF (LibreOffice) → PNG per page (poppler); returns the PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS,
                                                                         encoding="utf-8")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(workbook)],
                       check=True, capture_output=True, timeout=600)
    pdf = out_dir / (workbook.stem + ".pdf")
    for old in out_dir.glob("pagina-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / "pagina")],
                   check=True, timeout=600)
    return pdf


def page_facts(pdf: Path, sheets: list[str]) -> list[dict]:
    """Per page: the sheet named in its footer and the smallest text above the footer, in points."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", html, flags=re.S):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page)]
        footer = " ".join(w for _, y0, _, _, w in words if y0 > height - FOOTER_BAND)
        sheet = next((s for s in sorted(sheets, key=len, reverse=True)
                      if _xml(s) in footer), "?")
        # a single glyph wider than tall is turned (a chart's axis title): its box is no size
        sizes = [(y1 - y0) / BOX_PER_POINT for x0, y0, x1, y1, w in words
                 if y0 <= height - FOOTER_BAND and not (len(w) == 1 and x1 - x0 > y1 - y0)]
        pages.append({"sheet": sheet, "words": len(words),
                      "smallest": min(sizes) if sizes else None})
    return pages


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&apos;")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--uit", type=Path, default=Path("out/render"))
    p.add_argument("--schaal", type=float, default=0.05)
    p.add_argument("--werkmap", type=Path, default=None, help="een bestaande kopie met waarden")
    args = p.parse_args(argv)
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        print("LibreOffice (soffice) en poppler (pdftoppm) zijn nodig.", file=sys.stderr)
        return 2
    from openpyxl import load_workbook

    from workbooks import fit

    workbook = args.werkmap
    if workbook is None:
        from grip.jobs.demo import run_demo

        workbook = run_demo(args.uit / "demo", scale=args.schaal).values_copy
    wb = load_workbook(workbook)
    pdf = render(workbook, args.uit)
    facts = page_facts(pdf, wb.sheetnames)
    per_sheet = defaultdict(list)
    print(f"{pdf}: {len(facts)} pagina's")
    for k, f in enumerate(facts, start=1):
        per_sheet[f["sheet"]].append(k)
        size = "-" if f["smallest"] is None else f"{f['smallest']:.1f} pt"
        print(f"  pagina {k:>3}  {f['sheet']:<16} kleinste tekst {size:>8}  ({f['words']} woorden)")
    for ws in wb.worksheets:
        problems = fit.lint(ws)
        scale = ws.page_setup.scale
        print(f"{ws.title}: pagina's {per_sheet.get(ws.title, [])}, schaal {scale}%, "
              f"{len(problems)} lintmeldingen")
        for line in problems[:10]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
