"""Editors may write a little HTML; it is cleaned once, when saved, with nh3 (html5ever).

Only the tags below survive; every attribute except a link's href is dropped, and a link may
only point at http(s), mailto or a path on this site. So a <script>, an onclick or a
javascript: link never reaches a page, a feed or the API.
"""

from __future__ import annotations

import html as htmllib

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        # The content of these goes too, not only the tag: a script's text is not prose.
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """The text alone (for search snippets and feed summaries)."""
    text = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
    return htmllib.unescape(text).strip()
