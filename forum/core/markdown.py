"""Markdown for forum text: stored as source, rendered once on save with markdown-it-py's safe
preset (no raw HTML, no javascript: links) and cleaned again with nh3 against an allowlist.

Addresses written out (https://…, www.…) become links. Pictures are never shown: a photo of a
child must not reach the forum through someone else's server either, so `![text](address)`
becomes a link named by its text, and the help beside the text says so (MARKDOWN_HELP). An
issue's number written as #123 links to the issue.
"""

import re

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

# The help beside every text field that takes Markdown.
MARKDOWN_HELP = _(
    "Markdown works: **bold**, lists, links; addresses become links, #123 links to issue 123. "
    "Pictures are only linked, never shown: no child's photo is shared here."
)
# "#123" as a word of its own (not "A#1", "&#39;" or "lk#2").
ISSUE_NUMBER = re.compile(r"(?<![\w&#/])#(\d{1,9})\b")


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


def _issue_links(state) -> None:
    for block in state.tokens:
        if not block.children:
            continue
        links, children = 0, []
        for token in block.children:
            links += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or links or not ISSUE_NUMBER.search(token.content):
                children.append(token)
                continue
            start = 0
            for match in ISSUE_NUMBER.finditer(token.content):
                children.append(Token("text", "", 0, content=token.content[start : match.start()]))
                children += [
                    Token("link_open", "a", 1, attrs={"href": _issue_path(match.group(1))}),
                    Token("text", "", 0, content=match.group(0)),
                    Token("link_close", "a", -1),
                ]
                start = match.end()
            children.append(Token("text", "", 0, content=token.content[start:]))
        block.children = children


def _issue_path(number: str) -> str:
    # Stored once for every reader: the site's language's address, which both languages serve.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("forum:issue_detail", args=[int(number)])


_markdown = MarkdownIt("js-default", {"linkify": True, "typographer": False}).enable("linkify")
_markdown.linkify.set({"fuzzy_email": False})  # an address of a person stays text
_markdown.core.ruler.push("pictures_as_links", _pictures_as_links)
_markdown.core.ruler.push("issue_links", _issue_links)

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
