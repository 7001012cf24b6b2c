"""Documents attached to discussions: what is accepted, where it is stored, who may download."""

import io
import os
import zipfile

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.datastructures import MultiValueDict
from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction
from wagtail.permissions import policy_registry

from forum.documents import (
    FORUM_COLLECTION_NAME,
    MAX_FILES,
    AttachmentField,
    attach_documents,
    extract_text,
    forum_collection,
)
from forum.models import Discussion, DiscussionDocument
from forum.privacy import is_isikukood

CODE = "37605030299"
CODE2 = "49403136515"


def test_codes_used_here_are_valid():
    assert is_isikukood(CODE) and is_isikukood(CODE2)


# Real small files ------------------------------------------------------------------------------


def _pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(text="Vanemate infotunni juhend"):
    """A minimal valid one-page PDF whose page shows `text` in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({_pdf_escape(text)}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(*paragraphs, header=None):
    """Each paragraph is a string or a list of runs (a code split over formatting runs)."""
    body = ""
    for paragraph in paragraphs:
        runs = paragraph if isinstance(paragraph, list) else [paragraph]
        body += "<w:p>" + "".join(f"<w:r><w:t>{r}</w:t></w:r>" for r in runs) + "</w:p>"
    parts = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
    }
    if header:
        parts["word/header1.xml"] = (
            f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{header}</w:t></w:r></w:p></w:hdr>'
        )
    return _zip(parts)


def make_odt(text="Hea praktika kirjeldus"):
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f"<office:document-content {ns}><office:body><office:text>"
        f"<text:p>Sissejuhatus</text:p><text:p><text:span>{text}</text:span></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def make_xlsx(shared=("Koolitusteema", "Osalejaid"), cells=""):
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    sheet = f'<worksheet xmlns="{S}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": f'<workbook xmlns="{S}"><sheets/></workbook>',
            "xl/sharedStrings.xml": f'<sst xmlns="{S}">{strings}</sst>',
            "xl/worksheets/sheet1.xml": sheet,
        }
    )


def upload(name, content):
    return SimpleUploadedFile(name, content)


class AttachForm(forms.Form):
    files = AttachmentField()


def clean(*uploads):
    form = AttachForm(data={}, files=MultiValueDict({"files": list(uploads)}))
    valid = form.is_valid()
    return valid, form


def error_codes(form):
    return [error.code for error in form.errors.as_data().get("files", [])]


# Accepting and refusing --------------------------------------------------------------------


def test_pdf_written_here_is_read_by_pypdf():
    assert "Vanemate infotunni juhend" in extract_text("pdf", make_pdf())


@pytest.mark.parametrize(
    "name, content",
    [
        ("juhend.pdf", make_pdf()),
        ("juhend.docx", make_docx("Kuidas korraldada infotundi")),
        ("juhend.odt", make_odt()),
        ("tabel.xlsx", make_xlsx()),
        ("märkmed.txt", "Tänane kohtumine läks hästi.".encode()),
        ("vana.txt", "Õpetajate päev".encode("cp1257")),
    ],
)
def test_each_allowed_type_is_accepted(name, content):
    valid, form = clean(upload(name, content))
    assert valid, form.errors
    [accepted] = form.cleaned_data["files"]
    assert accepted.name == name


def test_no_files_give_an_empty_list():
    valid, form = clean()
    assert valid and form.cleaned_data["files"] == []


@pytest.mark.parametrize("name", ["programm.exe", "pilt.png", "leht.html", "ilma-laiendita"])
def test_other_extensions_are_refused(name):
    valid, form = clean(upload(name, b"MZ\x90\x00 something"))
    assert not valid and error_codes(form) == ["file_type"]
    assert name in form.errors["files"][0]
    assert "PDF" in form.errors["files"][0]  # the allowed types are named


@pytest.mark.parametrize("name", ["juhend.pdf", "juhend.docx", "juhend.odt", "tabel.xlsx"])
def test_a_disguised_program_is_refused(name):
    valid, form = clean(upload(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20))
    assert not valid and error_codes(form) == ["file_content"]


def test_a_text_file_with_nul_bytes_is_refused():
    valid, form = clean(upload("märkmed.txt", "märkmed".encode("utf-16")))
    assert not valid and error_codes(form) == ["file_content"]


def test_a_docx_without_its_main_part_is_refused():
    valid, form = clean(upload("juhend.docx", _zip({"content.xml": "<x/>"})))
    assert not valid and error_codes(form) == ["file_content"]


def test_a_spreadsheet_named_odt_is_refused():
    ods = _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": "<office:document-content/>",
        }
    )
    valid, form = clean(upload("tabel.odt", ods))
    assert not valid and error_codes(form) == ["file_content"]


def test_a_too_large_file_is_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    valid, form = clean(upload("pikk.txt", b"a" * 101))
    assert not valid and error_codes(form) == ["file_size"]
    valid, form = clean(upload("lühike.txt", b"a" * 100))
    assert valid


def test_an_empty_file_is_refused():
    valid, form = clean(upload("tühi.txt", b""))
    assert not valid and error_codes(form) == ["empty"]


def test_at_most_five_files_at_a_time():
    files = [upload(f"fail{i}.txt", b"tekst") for i in range(MAX_FILES + 1)]
    valid, form = clean(*files)
    assert not valid and error_codes(form) == ["too_many_files"]
    valid, form = clean(*files[:MAX_FILES])
    assert valid and len(form.cleaned_data["files"]) == MAX_FILES


@pytest.mark.parametrize(
    "name, content",
    [
        ("nimekiri.pdf", make_pdf(f"Laps: Mari, isikukood {CODE}")),
        ("nimekiri.docx", make_docx("Lapsed", f"Mari {CODE}")),
        ("jagatud.docx", make_docx(["Mari ", "3760503", "0299"])),  # split over runs
        ("päis.docx", make_docx("Sisu", header=f"Isikukood {CODE2}")),
        ("nimekiri.odt", make_odt(f"Isikukood: {CODE}")),
        ("nimekiri.xlsx", make_xlsx(shared=("Nimi", CODE2))),
        (
            "arvud.xlsx",
            make_xlsx(cells=f'<c r="A1"><v>{CODE}</v></c><c r="B1"><v>4</v></c>'),
        ),
        ("teaduslik.xlsx", make_xlsx(cells='<c r="A1"><v>3.7605030299E10</v></c>')),
        (
            "rida.xlsx",
            make_xlsx(cells=f'<c r="A1" t="inlineStr"><is><t>{CODE2}</t></is></c>'),
        ),
        ("nimekiri.txt", f"Mari Maasikas\n{CODE2}\n".encode()),
        ("rühmitatud.txt", b"Kood: 376 0503 0299"),
    ],
)
def test_a_personal_identification_code_inside_a_file_is_refused(name, content):
    valid, form = clean(upload(name, content))
    assert not valid and error_codes(form) == ["isikukood"]
    assert name in form.errors["files"][0]


def test_an_invalid_code_like_number_is_accepted():
    valid, form = clean(upload("arve.txt", b"Arve nr 39001010008"))
    assert valid, form.errors


@pytest.mark.parametrize(
    "name, content",
    [
        ("katki.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R\nthis is not a pdf"),
        ("katki.pdf", make_pdf()[:120]),
        ("katki.docx", b"PK\x03\x04" + b"\x00" * 200),
        ("katki.xlsx", make_xlsx()[:-60]),
        ("katki.docx", _zip({"word/document.xml": "<w:document><w:p>katki"})),
        (
            "olem.docx",
            _zip(
                {
                    "word/document.xml": '<!DOCTYPE d [<!ENTITY k "37605030299">]>'
                    f'<w:document xmlns:w="{W}"><w:p><w:r><w:t>&k;</w:t></w:r></w:p>'
                    "</w:document>"
                }
            ),
        ),
    ],
)
def test_broken_files_are_refused_without_an_error_page(name, content):
    valid, form = clean(upload(name, content))
    assert not valid
    assert error_codes(form)[0] in ("file_content", "file_unreadable")


def test_an_encrypted_pdf_is_refused_as_unreadable():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(f"Kood {CODE}"))))
    writer.encrypt(user_password="salajane", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    valid, form = clean(upload("salajane.pdf", out.getvalue()))
    assert not valid and error_codes(form) == ["file_unreadable"]


def test_every_files_problem_is_reported_together():
    valid, form = clean(
        upload("hea.txt", b"Korras."),
        upload("programm.exe", b"MZ"),
        upload("nimekiri.txt", CODE.encode()),
    )
    assert not valid
    assert error_codes(form) == ["file_type", "isikukood"]


# Storing --------------------------------------------------------------------------------------


def test_forum_collection_is_private_under_the_root_and_made_once(db):
    collection = forum_collection()
    assert collection.name == FORUM_COLLECTION_NAME
    assert collection.get_parent() == Collection.get_first_root_node()
    assert forum_collection() == collection
    restrictions = CollectionViewRestriction.objects.filter(collection=collection)
    assert [r.restriction_type for r in restrictions] == [BaseViewRestriction.LOGIN]
    assert Collection.objects.filter(name=FORUM_COLLECTION_NAME).count() == 1


def test_post_discussion_stores_files_in_the_private_collection(make_discussion, make_member):
    author = make_member()
    discussion = make_discussion(
        author=author,
        kind=Discussion.Kind.MATERIAL,
        files=[upload("Infotunni juhend.pdf", make_pdf()), upload("tabel.xlsx", make_xlsx())],
    )
    attachments = list(discussion.attachments.select_related("document__collection"))
    assert [a.document.title for a in attachments] == ["Infotunni juhend", "tabel"]
    for attachment in attachments:
        assert attachment.uploaded_by == author
        assert attachment.document.uploaded_by_user == author
        assert attachment.document.collection.name == FORUM_COLLECTION_NAME
        assert attachment.document.file_size > 0 and attachment.document.file_hash
    with attachments[0].document.open_file() as stored:
        assert stored.read() == make_pdf()


def test_attach_documents_adds_to_an_existing_discussion(make_discussion, make_member):
    discussion = make_discussion()
    user = make_member()
    [attachment] = attach_documents(
        discussion=discussion, files=[upload("lisa.txt", b"Lisa.")], user=user
    )
    assert attachment.discussion == discussion and attachment.document.title == "lisa"


# Serving --------------------------------------------------------------------------------------


@pytest.fixture
def material(make_discussion, make_member):
    discussion = make_discussion(
        kind=Discussion.Kind.MATERIAL,
        files=[upload("juhend.txt", b"Juhendi sisu.")],
    )
    return discussion, discussion.attachments.get().document


def test_settings_serve_documents_through_the_view_as_downloads(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []


def test_a_member_downloads_an_attachment(client, material, make_member):
    _, document = material
    client.force_login(make_member(organization="emajoe-noored"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"Juhendi sisu."


def test_a_visitor_gets_no_attachment(client, material):
    _, document = material
    response = client.get(document.url)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "next=" in response["Location"]
    assert not getattr(response, "streaming", False)
    assert b"Juhendi sisu" not in response.content


@pytest.mark.parametrize("who", ["former", "deactivated", "toimetaja"])
def test_people_outside_the_network_get_no_attachment(client, material, roles, who):
    _, document = material
    client.force_login(roles[who])
    response = client.get(document.url)
    assert response.status_code == 404


def test_a_signed_in_non_member_gets_no_attachment(client, material):
    _, document = material
    client.force_login(get_user_model().objects.create_user("võõras", password="x"))
    assert client.get(document.url).status_code == 404


def test_an_attachment_of_a_hidden_discussion_is_for_coordinators_only(
    client, material, make_member, coordinator
):
    discussion, document = material
    Discussion.objects.filter(pk=discussion.pk).update(hidden=True)
    client.force_login(make_member())
    assert client.get(document.url).status_code == 404
    client.force_login(coordinator)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Juhendi sisu."


def test_other_documents_are_left_to_wagtail(client, db):
    document = get_document_model().objects.create(
        title="Avalik", file=SimpleUploadedFile("avalik.txt", b"Avalik tekst.")
    )
    assert not DiscussionDocument.objects.filter(document=document).exists()
    response = client.get(document.url)
    assert response.status_code == 200


def test_media_documents_folder_is_not_served_even_in_debug(client, material, settings, make_image):
    """In DEBUG Django serves media itself; the documents folder must not be among it."""
    import koda.urls

    _, document = material
    image = make_image()
    settings.DEBUG = True

    class DebugUrls:
        urlpatterns = koda.urls.media_urlpatterns() + koda.urls.urlpatterns

    with override_settings(ROOT_URLCONF=DebugUrls):
        assert os.path.exists(document.file.path)
        response = client.get(settings.MEDIA_URL + document.file.name)
        assert response.status_code == 404
        assert client.get(f"{settings.MEDIA_URL}documents/").status_code == 404
        # The images beside them are still served, so the test above can fail.
        assert client.get(settings.MEDIA_URL + image.file.name).status_code == 200


# Wagtail admin --------------------------------------------------------------------------------


def test_editors_do_not_reach_forum_attachments_in_the_admin(client, material, roles):
    _, document = material
    editor = roles["toimetaja"]
    public = get_document_model().objects.create(
        title="Avalik aruanne", file=SimpleUploadedFile("aruanne.txt", b"Aruanne.")
    )
    policy = policy_registry.get_by_type(get_document_model())
    assert policy.user_has_permission_for_instance(editor, "change", public)
    assert not policy.user_has_permission_for_instance(editor, "change", document)
    assert not policy.user_has_permission_for_instance(editor, "choose", document)
    visible = policy.instances_user_has_any_permission_for(editor, ["change", "choose"])
    assert public in visible and document not in visible
    collections = policy.collections_user_has_permission_for(editor, "add")
    assert not collections.filter(name=FORUM_COLLECTION_NAME).exists()

    client.force_login(editor)
    listing = client.get("/admin/documents/")
    assert listing.status_code == 200
    assert "Avalik aruanne" in listing.text and document.title not in listing.text
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code in (302, 403)


def test_coordinators_keep_forum_attachments_in_the_admin(material, roles):
    from django.contrib.auth.models import Group

    _, document = material
    policy = policy_registry.get_by_type(get_document_model())
    assert policy.user_has_permission_for_instance(roles["admin"], "change", document)
    # A coordinator who is also an editor keeps the editors' rights over the forum collection.
    coordinator = roles["koordinaator"]
    coordinator.groups.add(Group.objects.get(name="Editors"))
    coordinator = get_user_model().objects.get(pk=coordinator.pk)  # no cached answers
    assert policy.user_has_permission_for_instance(coordinator, "change", document)
    assert document in policy.instances_user_has_any_permission_for(coordinator, ["change"])
