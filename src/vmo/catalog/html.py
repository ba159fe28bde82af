"""Editors may write a little HTML in a summary; it is cleaned once, when saved, with nh3.

The same rules as the announcements (vmo.bulletins.html), which this app may not import (it
sits below bulletins): a few text tags, a link's href only, http(s) and mailto links only.
"""

from __future__ import annotations

import html as htmllib

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(text: str) -> str:
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(URL_SCHEMES),
        # The content of these goes too, not only the tag: a script's text is not prose.
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(text: str) -> str:
    return htmllib.unescape(
        nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    ).strip()
