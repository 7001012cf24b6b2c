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
