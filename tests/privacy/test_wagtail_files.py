"""Editors' documents and pictures, uploaded through Wagtail's admin, are read and guarded as the
forum's attachments are: a code in a document's text or a picture's metadata is refused with the
reason, and nothing is stored (issue 16)."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from forum.core.documents import ALLOWED_TYPES, extract_text, image_text
from forum.core.privacy import find_isikukood
from tests.forum.test_documents import CODE, _zip, make_docx

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image_ = get_image_model()


def _post_document(client, name, content, title="Infotunni juhend"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def _stored_files(storage_dir):
    return sorted(p.name for p in storage_dir.rglob("*") if p.is_file())


# Documents --------------------------------------------------------------------------------------


def test_every_type_editors_may_upload_is_one_the_guard_reads():
    assert set(settings.WAGTAILDOCS_EXTENSIONS) <= set(ALLOWED_TYPES)


def test_a_clean_document_is_stored(client, editor):
    response = _post_document(client, "juhend.docx", make_docx("Kuidas korraldada infotundi"))
    assert response.status_code == 302
    assert Document.objects.filter(title="Infotunni juhend").exists()


def test_a_document_with_a_code_is_refused_with_the_reason(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    count = Document.objects.count()
    response = _post_document(client, "juhend.docx", make_docx(f"Lapse kood {CODE[:5]} {CODE[5:]}"))
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    assert Document.objects.count() == count
    assert _stored_files(tmp_path) == []


@pytest.mark.parametrize("field", ["title", "tags"])
def test_a_disguised_code_in_a_documents_title_or_tags_is_refused(client, editor, field):
    count = Document.objects.count()
    data = {
        "title": "Juhend",
        "file": SimpleUploadedFile("juhend.txt", b"Tavaline tekst"),
        "collection": Collection.get_first_root_node().pk,
        field: f"Laps {CODE[:3]}&#{ord(CODE[3])}; {CODE[4:]}",
    }
    response = client.post(reverse("wagtaildocs:add"), data)
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    assert Document.objects.count() == count


def test_the_multiple_uploader_refuses_a_document_with_a_code(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    count = Document.objects.count()
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "title": "Tabel",
            "collection": Collection.get_first_root_node().pk,
            "files[]": SimpleUploadedFile("tabel.csv", f"nimi;kood\nMari;{CODE}\n".encode()),
        },
    )
    assert response.json()["success"] is False
    assert "isikukood" in response.json()["error_message"]
    assert Document.objects.count() == count
    assert not UploadedFile.objects.exists()
    assert _stored_files(tmp_path) == []


def test_replacing_a_documents_file_is_checked(client, editor):
    _post_document(client, "juhend.txt", b"Tavaline tekst")
    document = Document.objects.get(title="Infotunni juhend")
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "file": SimpleUploadedFile("juhend.txt", f"Kood: {CODE}".encode()),
            "collection": document.collection_id,
        },
    )
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    document.refresh_from_db()
    with document.file.open("rb") as f:
        assert f.read() == b"Tavaline tekst"


# ODS and CSV, read as their near kin ----------------------------------------------------------

TABLE = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _cell(value, kind="string", attributes=""):
    return (
        f'<table:table-cell office:value-type="{kind}"{attributes}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def _number(value):
    return _cell(value, "float", f' office:value="{value}"')


def ods(rows):
    cells = "".join(
        "<table:table-row>"
        + "".join(cell if cell.startswith("<") else _cell(cell) for cell in row)
        + "</table:table-row>"
        for row in rows
    )
    content = (
        f"<office:document-content {TABLE}><office:body><office:spreadsheet>"
        f'<table:table table:name="Leht1">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    return _zip(
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": content}
    )


def test_a_code_in_an_ods_text_cell_or_number_cell_is_found():
    assert find_isikukood(extract_text("ods", ods([["Mari", f"kood {CODE}"]])))
    assert find_isikukood(extract_text("ods", ods([["Mari", _number(CODE)]])))


def test_cells_of_an_ods_showing_numbers_do_not_join_into_a_code():
    # Dates and times keep their value in attributes that are not text; what the cells show,
    # 3760 and 5030299 side by side or one under the other, are two numbers, not a code.
    def shown(value):
        return _cell(value, "time", ' office:time-value="PT12H"')

    rows = [[shown(CODE[:4]), shown(CODE[4:])], [shown(CODE[:4])], [shown(CODE[4:])]]
    text = extract_text("ods", ods(rows))
    assert CODE[:4] in text and CODE[4:] in text
    assert find_isikukood(text) is None


def test_an_ods_is_accepted_as_a_forum_attachment_when_clean(client, editor):
    response = _post_document(
        client, "osalejad.ods", ods([["Osalejaid", _number(12)]]), title="Osalejad"
    )
    assert response.status_code == 302


# Pictures ---------------------------------------------------------------------------------------


def _picture(fmt, **save):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, fmt, **save)
    return buffer.getvalue()


def _exif(tag, value):
    exif = Image.Exif()
    exif[tag] = value
    return exif


def _png_with_private_chunk(text):
    data = _picture("PNG")
    chunk = b"koDa" + text.encode()
    body = struct.pack(">I", len(text)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:-12] + body + data[-12:]  # before IEND


def _png_text(key, value, compressed=False):
    info = PngImagePlugin.PngInfo()
    (info.add_itxt if compressed else info.add_text)(
        key, value, **({"zip": True} if compressed else {})
    )
    return _picture("PNG", pnginfo=info)


HIDDEN_IN_PICTURES = {
    "jpeg comment": ("pilt.jpg", lambda: _picture("JPEG", comment=f"Kood {CODE}".encode())),
    "exif description": (
        "pilt.jpg",
        lambda: _picture("JPEG", exif=_exif(0x010E, f"Laps {CODE[:6]} {CODE[6:]}")),
    ),
    "exif windows comment (UTF-16)": (
        "pilt.jpg",
        lambda: _picture("JPEG", exif=_exif(0x9C9C, f"Laps {CODE}".encode("utf-16-le"))),
    ),
    "png text chunk": ("pilt.png", lambda: _png_text("Description", f"Laps {CODE}")),
    "png compressed itxt": ("pilt.png", lambda: _png_text("Comment", f"Laps {CODE}", True)),
    "png private chunk": ("pilt.png", lambda: _png_with_private_chunk(f"Laps {CODE}")),
    "gif comment": ("pilt.gif", lambda: _picture("GIF", comment=f"Laps {CODE}".encode())),
    "webp xmp": (
        "pilt.webp",
        lambda: _picture(
            "WEBP", xmp=f"<x:xmpmeta><dc:description>{CODE}</dc:description></x:xmpmeta>".encode()
        ),
    ),
}


@pytest.mark.parametrize("where", HIDDEN_IN_PICTURES)
def test_a_code_in_a_pictures_metadata_is_refused(client, editor, settings, tmp_path, where):
    settings.MEDIA_ROOT = tmp_path
    name, make = HIDDEN_IN_PICTURES[where]
    data = make()
    assert find_isikukood(image_text(data)), "the picture was not read"
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Pilt",
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    assert not Image_.objects.filter(title="Pilt").exists()
    assert _stored_files(tmp_path) == []


@pytest.mark.parametrize(
    "fmt, name",
    [("JPEG", "pilt.jpg"), ("PNG", "pilt.png"), ("GIF", "pilt.gif"), ("WEBP", "pilt.webp")],
)
def test_a_clean_picture_is_stored(client, editor, fmt, name):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Laste joonistus",
            "file": SimpleUploadedFile(
                name, _picture(fmt, **({"comment": b"Joonistus 2024"} if fmt != "WEBP" else {}))
            ),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    assert Image_.objects.filter(title="Laste joonistus").exists()


def test_the_multiple_image_uploader_refuses_a_code(client, editor):
    count = Image_.objects.count()
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "collection": Collection.get_first_root_node().pk,
            "files[]": SimpleUploadedFile("pilt.jpg", _picture("JPEG", comment=CODE.encode())),
        },
    )
    assert response.json()["success"] is False
    assert Image_.objects.count() == count
    assert not UploadedFile.objects.exists()


# Text files a terminal shows otherwise, and names of a zip's parts ---------------------------


@pytest.mark.parametrize(
    "content",
    [
        f"{CODE[:3]}\x1b[1m{CODE[3:]}\x1b[0m",  # an escape sequence between the digits
        f"{CODE[:10]}X\b{CODE[10:]}",  # a backspace over a letter
        f"XXXXX{CODE[5:]}\r{CODE[:5]}",  # a carriage return writes over the line's start
    ],
    ids=["escape", "backspace", "carriage return"],
)
def test_a_text_file_shown_otherwise_by_a_terminal_is_refused(content):
    from django.core.exceptions import ValidationError

    from forum.core.documents import check_attachment

    with pytest.raises(ValidationError):
        check_attachment(SimpleUploadedFile("kiri.txt", content.encode()))


def test_windows_line_ends_are_plain_text():
    from forum.core.documents import check_attachment

    check_attachment(SimpleUploadedFile("kiri.txt", b"Esimene rida\r\nTeine rida 2024\r\n"))


def test_a_code_in_the_name_of_a_part_inside_an_office_file_is_refused():
    from tests.forum.test_documents import clean, docx, error_codes, upload

    data = docx(parts={f"word/media/{CODE}.png": b"\x89PNG\r\n\x1a\n"})
    valid, form = clean(upload("juhend.docx", data))
    assert not valid and error_codes(form) == ["isikukood"]
