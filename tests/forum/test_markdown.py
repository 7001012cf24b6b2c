from forum.core.markdown import render_markdown


def test_markdown_renders_the_usual_formatting():
    html = render_markdown("**paks** ja *kaldkiri*\n\n- üks\n- kaks\n\n[Koda](https://example.org)")
    assert "<strong>paks</strong>" in html and "<em>kaldkiri</em>" in html
    assert "<li>üks</li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">Koda</a>' in html


def test_raw_html_and_script_are_escaped_never_run():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_links_are_not_links():
    for source in (
        "[klikk](javascript:alert(1))",
        "[klikk](JaVaScRiPt:alert(1))",
        "[klikk](data:text/html;base64,PHNjcmlwdD4=)",
        "[klikk](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ):
        html = render_markdown(source)
        assert "href" not in html, source


def test_images_are_not_embedded():
    assert "<img" not in render_markdown("![pilt](https://example.org/x.png)")


def test_a_picture_becomes_a_link_named_by_its_text_without_a_stray_mark():
    """Issue 20, defect 13: `![alt](url)` showed a stray "!" and a link."""
    html = render_markdown("Vaata ![mänguväljak](https://example.org/x.png) siit.")
    assert html == (
        '<p>Vaata <a href="https://example.org/x.png" rel="nofollow noopener noreferrer">'
        "mänguväljak</a> siit.</p>\n"
    )
    assert ">https://example.org/y.png</a>" in render_markdown("![](https://example.org/y.png)")
    # Inside a link only its name remains: no link in a link.
    html = render_markdown("[![logo](https://example.org/l.png)](https://example.org/)")
    assert html.count("<a ") == 1 and ">logo</a>" in html
    assert "href" not in render_markdown("![x](javascript:alert(1))")


def test_addresses_written_out_become_links_but_e_mail_addresses_stay_text():
    html = render_markdown(
        "Vt https://www.riigiteataja.ee/akt/1 ja www.kool.ee, kiri mari@example.org."
    )
    assert '<a href="https://www.riigiteataja.ee/akt/1" rel="nofollow noopener noreferrer">' in html
    assert '<a href="http://www.kool.ee" rel="nofollow noopener noreferrer">www.kool.ee</a>' in html
    assert "mailto" not in html and "mari@example.org" in html
    assert "<a" not in render_markdown("Kell 10.30, lk.5, jne. 3.5 km")


def test_every_markdown_field_says_that_pictures_are_only_linked():
    from forum.core.markdown import MARKDOWN_HELP
    from forum.discussions.forms import DiscussionForm, ReplyForm
    from forum.issues.forms import CommentForm, IssueForm
    from forum.topics.forms import PositionForm, TopicForm

    fields = [
        IssueForm.base_fields["body"],
        CommentForm.base_fields["body"],
        DiscussionForm.base_fields["body"],
        ReplyForm.base_fields["body"],
        TopicForm.base_fields["problem"],
        PositionForm.base_fields["text"],
    ]
    assert all(str(MARKDOWN_HELP) in str(field.help_text) for field in fields)


def test_a_list_cannot_be_numbered_into_a_personal_code():
    """Red team: "376050301. a / 1. b" showed its second item as 376050302, a number in no
    text the privacy guard reads. Lists start at most at 9999."""
    assert "start" not in render_markdown("376050301. olist\n1. 99")
    assert 'start="3"' in render_markdown("3. kolmas\n4. neljas")


def test_a_protocol_relative_link_is_written_out_as_the_other_site_it_leads_to():
    for source in (
        "[x](//muu.example/leht)",
        "[x](///muu.example/leht)",
        "[x](  //muu.example/leht)",
    ):
        assert 'href="https://muu.example/leht"' in render_markdown(source)
    assert 'href="/foorum/5/"' in render_markdown("[mure](/foorum/5/)")
