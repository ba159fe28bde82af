"""Han text on a page outside elements marked lang="zh-*", from the HTML alone (no browser):
the fast tests' form of the crawl's STRAY_HAN check."""

from __future__ import annotations

import re
from html.parser import HTMLParser

HAN = re.compile(r"[\u3400-\u9fff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNSHOWN = {"script", "style", "title", "head", "option", "noscript", "template"}


class _Stray(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in Chinese, not shown)
        self.stray: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = (dict(attrs).get("lang") or "").lower()
        outer = self.stack[-1] if self.stack else (None, False, False)
        self.stack.append((tag, lang.startswith("zh") or outer[1], tag in UNSHOWN or outer[2]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack and HAN.search(data) and not self.stack[-1][1] and not self.stack[-1][2]:
            self.stray.append(f"{self.stack[-1][0]}: {data.strip()[:60]}")


def stray_han(html: str) -> list[str]:
    parser = _Stray()
    parser.feed(html)
    parser.close()
    return parser.stray
