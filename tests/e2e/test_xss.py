"""The XSS corpus (issue 8): known payloads are posted into every text a member writes (issue
title and text, comment, "meil ka" note, flag reason, discussion title and text, reply, tag, the
author's name) and every page that shows them is opened in Chromium. No payload may run, and the
page may hold no markup that could run one later: no script element or event handler attribute
in what the members wrote, no `javascript:`, `vbscript:` or `data:` link.

Two defences are under test together: the sanitiser (nh3, forum/core/markdown.py) and the escaping
of titles and names, and the Content-Security-Policy behind them. The DOM checks hold the first to
account on their own, the `__xss` hook the whole."""

import json

import pytest

# Each payload calls __xss(n) if it ever runs; n says which one did.
PAYLOADS = [
    "<script>__xss(1)</script>",
    "<img src=x onerror=__xss(2)>",
    "<svg onload=__xss(3)>",
    "<svg><script>__xss(4)</script></svg>",
    '<a href="javascript:__xss(5)">link</a>',
    "[Markdown link](javascript:__xss(6))",
    "![Markdown image](javascript:__xss(7))",
    "[data link](data:text/html;base64,PHNjcmlwdD5fX3hzcyg4KTwvc2NyaXB0Pg==)",
    '<a href="jav&#x09;ascript:__xss(9)">tab</a>',
    "<iframe src=javascript:__xss(10)></iframe>",
    '"><script>__xss(11)</script>',
    "<details open ontoggle=__xss(12)>x</details>",
    "<body onload=__xss(13)>",
    "<input autofocus onfocus=__xss(14)>",
    '<object data="javascript:__xss(15)"></object>',
    "<scr<script>ipt>__xss(16)</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(17)>",
    "<video><source onerror=__xss(18)></video>",
    '<form action="javascript:__xss(19)"><button>send</button></form>',
    "[ref link][r]\n\n[r]: javascript:__xss(20)",
    "<a href='vbscript:__xss(21)'>vb</a>",
    "`<script>__xss(22)</script>` in code",
    "<style>*{background:url(javascript:__xss(23))}</style>",
    '<div style="background:url(javascript:__xss(24))">styled</div>',
]

SETUP = """
import json
from django.contrib.auth import get_user_model
from forum import services
from forum.models import Discussion, Issue, Membership, Theme
from forum.members.permissions import member_organizations

payloads = json.loads({payloads!r})
User = get_user_model()
liige = User.objects.get(username="liige")
org = member_organizations(liige)[0]
writer = User.objects.create_user(
    "kirjutaja", email="kirjutaja@example.org", password="demo",
    first_name=payloads[0], last_name=payloads[1],
)
Membership.objects.create(user=writer, organization=org)
theme = Theme.objects.first()
issues, discussions = [], []
for n, payload in enumerate(payloads):
    issue = services.post_issue(
        author=writer, organization=org, title=f"XSS {{n}} {{payload}}"[:200],
        body=f"Enne {{n}}\\n\\n{{payload}}\\n\\nPärast", theme=theme, tags=[f"xss{{n}}"],
    )
    services.add_comment(author=writer, issue=issue, body=payload)
    services.flag_content(reporter=writer, issue=issue, reason=payload[:500])
    issues.append(issue.pk)
for n, payload in enumerate(payloads[:8]):
    discussion = services.post_discussion(
        author=writer, organization=org, kind=Discussion.Kind.QUESTION,
        title=f"XSS arutelu {{n}} {{payload}}"[:200], body=payload,
    )
    services.add_reply(author=writer, discussion=discussion, body=payload)
    discussions.append(discussion.pk)
other = User.objects.get(username="liige2")
services.add_support(
    user=other, issue=Issue.objects.get(pk=issues[0]),
    organization=member_organizations(other)[0], note=payloads[2],
)
print(json.dumps({{"issues": issues, "discussions": discussions}}))
"""

CHECK = """() => {
    const found = [];
    const content = document.querySelector("main");
    for (const el of content.querySelectorAll("*")) {
        for (const attr of el.attributes) {
            const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
            if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
            const link = ["href", "src", "action", "data", "formaction", "xlink:href"];
            if (link.includes(attr.name) && /^(javascript|vbscript|data):/.test(value))
                found.push(`${el.tagName} ${attr.name}=${value}`);
        }
        if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "STYLE"].includes(el.tagName))
            found.push(el.tagName);
    }
    return found;
}"""


def _sign_in(page, username):
    page.goto("/konto/sisene/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/konto/sisene/" not in url)


@pytest.fixture(scope="module")
def corpus(live_site):
    output = live_site.shell(SETUP.format(payloads=json.dumps(PAYLOADS)))
    return json.loads(output.strip().splitlines()[-1])  # after the shell's own notices


def test_no_payload_runs_on_any_page_that_shows_them(browser, live_site, corpus):
    pages = {
        "liige": [
            "/foorum/",
            "/foorum/?q=XSS",
            *(f"/foorum/{pk}/" for pk in corpus["issues"]),
            "/foorum/silt/xss3/",
            "/foorum/arutelud/",
            *(f"/foorum/arutelud/{pk}/" for pk in corpus["discussions"]),
            "/foorum/teated/",
            "/otsing/?q=XSS",
            "/otsing/?q=XSS&type=comment",
            "/otsing/?q=XSS&type=discussion",
        ],
        "koordinaator": [
            "/foorum/labivaatus/",
            *(f"/foorum/{pk}/" for pk in corpus["issues"][:6]),
        ],
    }
    opened, dialogs = 0, []
    for username, urls in pages.items():
        context = browser.new_context(base_url=live_site.url, locale="et-EE")
        context.add_init_script("window.__xssHits = []; window.__xss = n => __xssHits.push(n);")
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        _sign_in(page, username)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("load")
            # A link that slipped through would run when followed (safe links are left alone).
            unsafe = "main .rendered a:not([href^='http']):not([href^='/']):not([href^='#'])"
            for link in page.locator(unsafe).all()[:5]:
                link.dispatch_event("click")
            assert page.evaluate("window.__xssHits") == [], url
            assert page.evaluate(CHECK) == [], url
            opened += 1
        context.close()
    assert dialogs == []
    # The corpus was really there: every payload's issue page was opened, and its text shown.
    assert opened == len(pages["liige"]) + len(pages["koordinaator"])
    assert len(corpus["issues"]) == len(PAYLOADS)
