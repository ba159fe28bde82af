"""The model application form (申请表示范文本) of a business, as a filled-in sample PDF.

R164 Art 3 and R162 Art 3 make the office publish a model of each application form. The form is
an official Chinese document, so it is always in Chinese whatever the reader's language: its
frame below is written in Chinese like the businesses' ``term_zh``, and the labels that come
from the definition (form fields, materials) are read in Chinese. It is drawn from the same
definition the engine runs, so the sample asks exactly what the online form asks.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vmo.core import clock
from vmo.core.masking import mask_id_number, mask_phone
from vmo.core.money import format_fen
from vmo.core.pdf import BOLD, REGULAR, register_fonts
from vmo.core.selectors import office_config

from .businesses import Business
from .spec import FieldKind, FormField, Material, Subject

if TYPE_CHECKING:
    from vmo.core.models import OfficeConfig

EXAMPLE_NAME = "张三"
# A made-up number in the office's region; shown masked as every screen shows ID numbers.
EXAMPLE_ID = mask_id_number("652301199001011234")
EXAMPLE_PHONE = mask_phone("13812345678")
EXAMPLE_DATE = "2026-06-30"
# Example answers of text fields by field name; a field not listed gets a neutral placeholder.
TEXT_EXAMPLES = {
    "address": "{city}昌吉市××路××号",
    "buyer_name": "李四",
    "buyer_id_number": mask_id_number("652301198805052345"),
    "lender_name": "××银行股份有限公司昌吉分行",
    "lender_uscc": "91652300××××××××××",
    "new_engine_number": "L4K2××××××",
    "route": "昌吉市—乌鲁木齐市",
}
CHECKED, UNCHECKED = "■", "□"
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#eef1f4")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=REGULAR, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "office": ParagraphStyle(
            "office", parent=base, fontName=BOLD, fontSize=13, leading=20, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=18, leading=26, alignment=TA_CENTER
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=14, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD, fontSize=11.5, leading=18, spaceBefore=6
        ),
        "label": ParagraphStyle("label", parent=base, fontName=BOLD),
        "cell": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=13),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # Texts are data, not markup.
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(
    rows: list[list[object]],
    widths: list[float],
    label_columns: tuple[int, ...],
    extra: list[tuple[object, ...]] | None = None,
) -> Table:
    table = Table(rows, colWidths=widths)
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        # Empty cells are plain strings, drawn in the table's font: never reportlab's Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in label_columns]
    style += extra or []
    table.setStyle(TableStyle(style))
    return table


def example_answer(field: FormField) -> str:
    """The sample's answer to one question, in Chinese (read inside a zh-hans override)."""
    if field.kind == FieldKind.CHOICE and field.choices:
        first = field.choices[0][0]
        # A short list one per line, as on a paper form; a long one (colours) flows.
        separator = "\n" if len(field.choices) <= 4 else " "
        return separator.join(
            f"{CHECKED if value == first else UNCHECKED}{label}" for value, label in field.choices
        )
    if field.kind == FieldKind.DATE:
        return EXAMPLE_DATE
    if field.kind == FieldKind.PHONE:
        return EXAMPLE_PHONE
    template = TEXT_EXAMPLES.get(field.name, "（按实际情况填写）")
    return template.format(city=office_config().city_name_zh)


def _subject_rows(business: Business, plate_prefix: str) -> list[tuple[str, str]]:
    if business.subject == Subject.LICENCE:
        return [("驾驶证号码", EXAMPLE_ID), ("准驾车型", "C1")]
    if business.subject == Subject.VEHICLE:
        return [
            ("号牌种类", "小型汽车"),
            ("号牌号码", f"{plate_prefix}12345"),
            ("车辆识别代号", "LSVAU2180N2××××××"),
        ]
    if business.subject == Subject.NEW_VEHICLE:
        return [("车辆识别代号", "LSVAU2180N2××××××"), ("品牌型号", "××牌××××")]
    return []


def _material_requirements(material: Material) -> str:
    kinds = "、".join("照片（JPG/PNG）" if k == "image" else "PDF文件" for k in material.kinds)
    parts = [f"{kinds}，不超过{material.max_bytes / (1024 * 1024):g}MB"]
    if material.min_pixels:
        parts.append(f"不小于{material.min_pixels[0]}×{material.min_pixels[1]}像素")
    if material.issued_within_months:
        parts.append(f"出具日期在{material.issued_within_months}个月内")
    return "；".join(parts)


def _time_limit(business: Business) -> str:
    if not business.time_limit_days:
        return "当日办结"
    return f"{business.time_limit_days}个工作日"


def _watermark(canvas: Canvas, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(BOLD, 96)
    canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.18))
    canvas.translate(A4[0] / 2, A4[1] / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, -30, "样表")
    canvas.restoreState()
    canvas.setFont(REGULAR, 8)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")


def model_form_pdf(business: Business, *, today: date | None = None) -> bytes:
    """The filled-in sample form of a business, A4, Chinese, the font embedded."""
    register_fonts()
    config = office_config()
    today = today or clock.today()
    styles = _styles()
    width = A4[0] - 36 * mm
    with translation.override("zh-hans"):
        story = _story(business, config, today, styles, width)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{business.term_zh}申请表（样表）",
        author=config.office_name_zh,
        subject=f"{business.code} {business.term_zh}",
        creator="vmo",
        # Else reportlab declares Helvetica on every page: a font not embedded, never used.
        initialFontName=REGULAR,
    )
    doc.build(story, onFirstPage=_watermark, onLaterPages=_watermark)
    return buffer.getvalue()


def _story(
    business: Business,
    config: OfficeConfig,
    today: date,
    styles: dict[str, ParagraphStyle],
    width: float,
) -> list[object]:
    cell, label = styles["cell"], styles["label"]
    fee = format_fen(business.fee_fen) if business.fee_fen else "免费"
    story: list[object] = [
        _p(config.office_name_zh, styles["office"]),
        Spacer(1, 2 * mm),
        _p(f"{business.term_zh}申请表（样表）", styles["title"]),
        _p(
            f"业务编号：{business.code}；办理时限：{_time_limit(business)}；收费：{fee}",
            styles["meta"],
        ),
        Spacer(1, 4 * mm),
    ]
    quarter = width / 4
    story.append(_p("一、申请人", styles["heading"]))
    story.append(
        _grid(
            [
                [
                    _p("姓名", label),
                    _p(EXAMPLE_NAME, cell),
                    _p("身份证明名称", label),
                    _p("居民身份证", cell),
                ],
                [
                    _p("身份证明号码", label),
                    _p(EXAMPLE_ID, cell),
                    _p("联系电话", label),
                    _p(EXAMPLE_PHONE, cell),
                ],
                [
                    _p("联系地址", label),
                    _p(TEXT_EXAMPLES["address"].format(city=config.city_name_zh), cell),
                    "",
                    "",
                ],
            ],
            [quarter * 0.8, quarter * 1.2, quarter * 0.8, quarter * 1.2],
            (0,),
            [("SPAN", (1, 2), (3, 2)), ("BACKGROUND", (2, 0), (2, 1), SHADE)],
        )
    )

    rows = [("申请事项", f"{business.term_zh}（{business.code}）")]
    rows += _subject_rows(business, config.plate_prefix)
    rows += [(str(f.label), example_answer(f)) for f in business.fields]
    story.append(_p("二、申请事项", styles["heading"]))
    story.append(
        _grid([[_p(k, label), _p(v, cell)] for k, v in rows], [width * 0.3, width * 0.7], (0,))
    )

    story.append(_p("三、提交材料", styles["heading"]))
    material_rows: list[list[object]] = [
        [_p("序号", label), _p("材料名称", label), _p("要求", label), _p("是否必交", label)]
    ]
    material_rows.append(
        [
            _p("1", cell),
            _p("申请人身份证明", cell),
            _p("网上申请时以实名认证代替", cell),
            _p("必交", cell),
        ]
    )
    for i, material in enumerate(business.materials, start=2):
        material_rows.append(
            [
                _p(str(i), cell),
                _p(str(material.name), cell),
                _p(_material_requirements(material), cell),
                _p("必交" if material.required else "按情况", cell),
            ]
        )
    story.append(
        _grid(
            material_rows,
            [width * 0.1, width * 0.32, width * 0.43, width * 0.15],
            (),
            [("BACKGROUND", (0, 0), (-1, 0), SHADE)],
        )
    )

    story.append(_p("四、申请人声明", styles["heading"]))
    declaration = (
        "本人承诺所填写的信息和提交的材料真实、有效。隐瞒有关情况或者提供虚假材料的，"
        "不予受理或者不予办理，并依法承担相应的法律责任。"
    )
    story.append(
        _grid(
            [
                [_p(declaration, cell), ""],
                [
                    _p(f"申请人签字：{EXAMPLE_NAME}（本人签名）", cell),
                    _p(f"日期：{today.year}年{today.month}月{today.day}日", cell),
                ],
            ],
            [width * 0.6, width * 0.4],
            (),
            [("SPAN", (0, 0), (1, 0)), ("TOPPADDING", (0, 1), (-1, 1), 14)],
        )
    )
    basis = "；".join(ref.zh for ref in business.legal_basis)
    story += [
        Spacer(1, 4 * mm),
        _p(f"办理依据：{basis}。", styles["note"]),
        _p(
            "说明：本表为示范文本，所填内容均为示例，不是真实信息。网上申请时按页面提示填写，"
            "窗口申请时以车辆管理所提供的申请表为准。",
            styles["note"],
        ),
    ]
    return story
