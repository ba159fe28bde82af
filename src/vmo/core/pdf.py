"""PDFs of official letters (receipts, penalty decisions, refusal letters) with Chinese text.

A fresh machine has no CJK font, so the font is brought by the project and EMBEDDED (as a
subset) in every PDF: nothing depends on the reader's fonts. Where it comes from, first found:
settings.VMO_PDF_FONT (a .ttf, or a .ttc as "path.ttc#index"); Noto Sans SC from the npm package
@expo-google-fonts/noto-sans-sc under var/fonts (`make fonts`); Debian's WenQuanYi Micro Hei.
All three are TrueType-outline fonts, which reportlab requires (it refuses CFF outlines).
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

NOTO_PACKAGE = Path("node_modules/@expo-google-fonts/noto-sans-sc")
NOTO_REGULAR = NOTO_PACKAGE / "400Regular/NotoSansSC_400Regular.ttf"
NOTO_BOLD = NOTO_PACKAGE / "700Bold/NotoSansSC_700Bold.ttf"
DEBIAN_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

REGULAR, BOLD = "VmoLetter", "VmoLetter-Bold"


def _font_dir() -> Path:
    return Path(getattr(settings, "VMO_FONT_DIR", Path(settings.VAR_DIR) / "fonts"))


def font_candidates() -> list[tuple[Path, int, Path | None]]:
    """(regular file, subfont index, bold file or None), in the order they are tried."""
    found: list[tuple[Path, int, Path | None]] = []
    override = str(getattr(settings, "VMO_PDF_FONT", "") or "")
    if override:
        path, _, index = override.partition("#")
        found.append((Path(path), int(index or 0), None))
    noto = _font_dir() / NOTO_REGULAR
    found.append((noto, 0, _font_dir() / NOTO_BOLD))
    found.append((DEBIAN_WQY, 0, None))
    return found


@cache
def register_fonts() -> Path:
    """Register the letter fonts once per process; the regular font file used."""
    for regular, index, bold in font_candidates():
        if not regular.is_file():
            continue
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular), subfontIndex=index))
        if bold is not None and bold.is_file():
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        else:
            pdfmetrics.registerFont(TTFont(BOLD, str(regular), subfontIndex=index))
        return regular
    tried = ", ".join(str(c[0]) for c in font_candidates())
    raise ImproperlyConfigured(f"No CJK font for PDF letters; run `make fonts`. Tried: {tried}")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "office": ParagraphStyle(
            "office", parent=base, fontName=BOLD, fontSize=15, leading=22, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=20, leading=28, alignment=TA_CENTER
        ),
        "reference": ParagraphStyle("reference", parent=base, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD, fontSize=12.5, leading=20, spaceBefore=8
        ),
        "body": base,
        "footer": ParagraphStyle("footer", parent=base, fontSize=9, leading=14),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    # Texts are data, not markup: a "<" in a name must not break the letter.
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_letter(
    *,
    title: str,
    office_name: str,
    reference: str,
    sections: list[tuple[str, list[str]]],
    footer: str,
) -> bytes:
    """An A4 letter: office name, title, reference number, titled sections, footer."""
    register_fonts()
    styles = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{title} {reference}",
        author=office_name,
        subject=title,
        creator="vmo",
        # Else reportlab declares Helvetica on every page: a font not embedded, never used.
        initialFontName=REGULAR,
    )
    story: list = [
        _para(office_name, styles["office"]),
        Spacer(1, 4 * mm),
        _para(title, styles["title"]),
        _para(reference, styles["reference"]),
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=0.8, spaceBefore=2, spaceAfter=6),
    ]
    for heading, lines in sections:
        story.append(_para(heading, styles["heading"]))
        story.extend(_para(line, styles["body"]) for line in lines)
    story += [
        Spacer(1, 8 * mm),
        HRFlowable(width="100%", thickness=0.5, spaceBefore=2, spaceAfter=4),
        _para(footer, styles["footer"]),
    ]
    doc.build(story)
    return buffer.getvalue()
