"""Markdown that people write, rendered and sanitised: no script, no style, no event handlers.

One function for pages (the `markdown` template filter), PDFs and the DOCX alike.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def markdown(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", "tables"])
    return mark_safe(  # noqa: S308 - nh3 removed everything but the allowed tags
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
