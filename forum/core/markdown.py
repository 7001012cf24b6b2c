"""Markdown for forum text: stored as source, rendered once on save with markdown-it-py's safe
preset (no raw HTML, no javascript: links) and cleaned again with nh3 against an allowlist.

Addresses written out (https://…, www.…) become links. Pictures are never shown: a photo of a
child must not reach the forum through someone else's server either, so `![text](address)`
becomes a link named by its text, and the help beside the text says so (MARKDOWN_HELP)."""

import nh3
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

# The help beside every text field that takes Markdown.
MARKDOWN_HELP = _(
    "Markdown works: **bold**, lists, links; addresses become links. Pictures are only linked, "
    "never shown: no child's photo is shared here."
)


def _pictures_as_links(state) -> None:
    for block in state.tokens:
        links, children = 0, []
        for token in block.children or ():
            links += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "image":
                children.append(token)
                continue
            name = Token("text", "", 0, content=token.content or token.attrGet("src") or "")
            if links:  # a picture inside a link: its name is enough
                children.append(name)
            else:
                link = Token("link_open", "a", 1, attrs={"href": token.attrGet("src") or ""})
                children += [link, name, Token("link_close", "a", -1)]
        if block.children:
            block.children = children


_markdown = MarkdownIt("js-default", {"linkify": True, "typographer": False}).enable("linkify")
_markdown.linkify.set({"fuzzy_email": False})  # an address of a person stays text
_markdown.core.ruler.push("pictures_as_links", _pictures_as_links)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(source: str) -> str:
    html = _markdown.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_attribute,
    )


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    # A list numbered from 376050301 shows its second item as 376050302: numbers a reader
    # sees that are in no text the privacy guard reads. Lists may start at 1 to 9999.
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() and len(value) <= 4 else None
    # "//host/path" looks like a path on this site and leads to another: written out as the
    # address it is, so the reader (and the status bar) sees where it goes.
    if tag == "a" and attribute == "href" and value.startswith("//"):
        return "https://" + value.lstrip("/")
    return value
