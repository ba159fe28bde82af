"""The lesson text of the shipped files: escaped plain text with a minimal markup
(paragraphs separated by blank lines, '## ' headings, '- ' bullets). No raw HTML from files."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .choices import BodyFormat


def _flush(html: list[str], bullets: list[str], para: list[str]) -> None:
    if bullets:
        html.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
        bullets.clear()
    if para:
        html.append("<p>" + "<br>".join(para) + "</p>")
        para.clear()


def _block(lines: list[str]) -> list[str]:
    html: list[str] = []
    bullets: list[str] = []
    para: list[str] = []
    for line in lines:
        if line.startswith("## "):
            _flush(html, bullets, para)
            html.append(f"<h2>{escape(line[3:].strip())}</h2>")
        elif line.lstrip().startswith("- "):
            if para:
                _flush(html, bullets, para)
            bullets.append(escape(line.lstrip()[2:].strip()))
        else:
            if bullets:
                _flush(html, bullets, para)
            para.append(escape(line))
    _flush(html, bullets, para)
    return html


def render_text(text: str) -> SafeString:
    parts: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.strip().split("\n") if line.strip()]
        parts.extend(_block(lines))
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece of text was escaped above


def render_body(body: str, body_format: str) -> SafeString:
    if body_format == BodyFormat.HTML:
        # Sanitised with nh3 when the editor saved it; sanitised again on the way out.
        from .services.library import sanitise

        return mark_safe(sanitise(html=body))  # noqa: S308
    return render_text(body)
