"""Documents attached to discussions: what is accepted, where it is stored, who may download."""

import io
import os
import struct
import time
import zipfile
import zlib

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.datastructures import MultiValueDict
from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction
from wagtail.permissions import policy_registry

from forum.core import documents
from forum.core.documents import FORUM_COLLECTION_NAME, MAX_FILES, AttachmentField, extract_text
from forum.core.privacy import MAX_CANDIDATES, MAX_DOCUMENT_TEXT, is_isikukood
from forum.discussions.attachments import attach_documents, forum_collection
from forum.models import Discussion, DiscussionDocument

CODE = "37605030299"
CODE2 = "49403136515"


def test_codes_used_here_are_valid():
    assert is_isikukood(CODE) and is_isikukood(CODE2)


# Real small files ------------------------------------------------------------------------------


def _pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(text="Vanemate infotunni juhend"):
    """A minimal valid one-page PDF whose page shows `text` in Helvetica."""
    return one_page_pdf(f"BT /F1 12 Tf 72 720 Td ({_pdf_escape(text)}) Tj ET".encode("latin-1"))


def one_page_pdf(content, *, compress=False):
    """A one-page PDF whose page's content stream is `content` (deflated if `compress`)."""
    stream = zlib.compress(content, 9) if compress else content
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), b" /Filter /FlateDecode" * compress)
        + stream
        + b"\nendstream",
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


# Every part where text can hide (issue 16) ---------------------------------------------------
#
# Each file below hides a code where the check did not read before issue 16 (or read it joined to
# the digits next to it), except the PDFs' document information, which was read before and must
# stay so: each must be refused for the code, or for a part that cannot be read.
# Each is built around the code it is given, so that the same file with a number that is not a
# code shows that nothing else refuses it.

NOT_A_CODE = "12345678901"  # month 45: not even shaped like a code

CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _package(main, main_type, parts, overrides=()):
    """An Office Open XML package as Word and Excel write it: content types, the package's
    relationships naming the main part, the main part and `parts`."""
    types = "".join(
        f'<Override PartName="/{name}" ContentType="{content_type}"/>'
        for name, content_type in [(main, main_type), *overrides]
    )
    return _zip(
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{CT}">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="png" ContentType="image/png"/>'
                f"{types}</Types>"
            ),
            "_rels/.rels": (
                f'<Relationships xmlns="{PR}"><Relationship Id="rId1" '
                f'Type="{REL}/officeDocument" Target="{main}"/></Relationships>'
            ),
            **parts,
        }
    )


def docx(body="<w:p><w:r><w:t>Sissejuhatus</w:t></w:r></w:p>", parts=None, main=None):
    """A DOCX whose main part (word/document.xml unless `main`) has `body`, with `parts`."""
    document = (
        f'<w:document xmlns:w="{W}" xmlns:r="{REL}" xmlns:a="{A}" xmlns:wp="{WP}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    main = main or "word/document.xml"
    return _package(main, WORD_MAIN, {main: document, **(parts or {})})


def xlsx(sheets='<sheet name="Leht1" sheetId="1" r:id="rId1"/>', workbook="", cells="", parts=None):
    return _package(
        "xl/workbook.xml",
        SHEET_MAIN,
        {
            "xl/workbook.xml": (
                f'<workbook xmlns="{S}" xmlns:r="{REL}"><sheets>{sheets}</sheets>{workbook}'
                "</workbook>"
            ),
            "xl/sharedStrings.xml": f'<sst xmlns="{S}"><si><t>Koolitusteema</t></si></sst>',
            "xl/worksheets/sheet1.xml": (
                f'<worksheet xmlns="{S}"><sheetData><row r="1">{cells}</row></sheetData>'
                "</worksheet>"
            ),
            **(parts or {}),
        },
    )


ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odt(text="<text:p>Hea praktika kirjeldus</text:p>", parts=None):
    content = (
        f"<office:document-content {ODF}><office:body><office:text>{text}"
        "</office:text></office:body></office:document-content>"
    )
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "META-INF/manifest.xml": (
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                "</manifest:manifest>"
            ),
            **(parts or {}),
        }
    )


def core(inner):
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/">'
        f"{inner}</cp:coreProperties>"
    )


def app(inner):
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties" xmlns:vt="{VT}">{inner}</Properties>'
    )


def custom(name, value):
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'custom-properties" xmlns:vt="{VT}"><property '
        f'fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
    )


def drawing_paragraphs(text):
    return f'<a:p xmlns:a="{A}"><a:r><a:rPr lang="et-EE"/><a:t>{text}</a:t></a:r></a:p>'


def chart(category):
    return (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart><c:plotArea><c:barChart><c:ser><c:idx val="0"/>'
        '<c:cat><c:strRef><c:f>Leht1!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/>'
        f'<c:pt idx="0"><c:v>Tartu</c:v></c:pt><c:pt idx="1"><c:v>{category}</c:v></c:pt>'
        "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache>"
        '<c:formatCode>General</c:formatCode><c:ptCount val="2"/>'
        '<c:pt idx="0"><c:v>12</c:v></c:pt><c:pt idx="1"><c:v>7</c:v></c:pt>'
        "</c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart>"
        "</c:chartSpace>"
    )


def text_box(paragraph_before, text):
    """A paragraph that ends in a digit and holds a text box (Word's drawing shape)."""
    return (
        f"<w:p><w:r><w:t>{paragraph_before}</w:t></w:r><w:r><w:drawing><wp:anchor>"
        '<wp:positionH relativeFrom="column"><wp:posOffset>1270</wp:posOffset></wp:positionH>'
        '<wp:docPr id="1" name="Tekstikast 1"/><a:graphic><a:graphicData>'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
    )


def picture(descr="", title=""):
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="990600" cy="742950"/>'
        f'<wp:docPr id="2" name="Pilt 2" descr="{descr}" title="{title}"/>'
        "<a:graphic><a:graphicData/></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def hyperlink_rels(target):
    return (
        f'<Relationships xmlns="{PR}"><Relationship Id="rId9" Type="{REL}/hyperlink" '
        f'Target="{target}" TargetMode="External"/></Relationships>'
    )


HIDDEN_CODES = {
    # DOCX
    "docx-app-properties": lambda code: docx(
        parts={
            "docProps/app.xml": app(
                "<Template>Normal.dotm</Template><TotalTime>12</TotalTime><Pages>1</Pages>"
                f"<Manager>Mari Maasikas, {code}</Manager><Company>Päikesekiir</Company>"
            )
        }
    ),
    "docx-custom-property-value": lambda code: docx(
        parts={"docProps/custom.xml": custom("Lapse andmed", code)}
    ),
    "docx-custom-property-name": lambda code: docx(
        parts={"docProps/custom.xml": custom(f"Kood {code}", "jah")}
    ),
    "docx-smartart": lambda code: docx(
        parts={
            "word/diagrams/data1.xml": (
                '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/'
                'diagram"><dgm:ptLst><dgm:pt modelId="{6A1F0B7C-1D2E-4F3A-9B8C-7D6E5F4A3B2C}">'
                f"<dgm:t>{drawing_paragraphs(f'Laps: {code}')}</dgm:t></dgm:pt></dgm:ptLst>"
                "</dgm:dataModel>"
            )
        }
    ),
    "docx-chart": lambda code: docx(parts={"word/charts/chart1.xml": chart(code)}),
    "docx-text-box-after-a-digit": lambda code: docx(text_box("Tabel 1", code)),
    "docx-main-part-under-another-name": lambda code: docx(
        f"<w:p><w:r><w:t>{code}</w:t></w:r></w:p>", main="word/sisu.xml"
    ),
    "docx-decoy-document-xml": lambda code: docx(
        f"<w:p><w:r><w:t>{code}</w:t></w:r></w:p>",
        main="word/sisu.xml",
        parts={"word/document.xml": f'<w:document xmlns:w="{W}"><w:body/></w:document>'},
    ),
    "docx-keywords-before-digits": lambda code: docx(
        parts={
            "docProps/core.xml": core(
                f"<dc:title>Juhend</dc:title><cp:keywords>{code}</cp:keywords>"
                "<cp:revision>3</cp:revision>"
            )
        }
    ),
    "docx-hyperlink-target": lambda code: docx(
        '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>kooli leht</w:t></w:r></w:hyperlink></w:p>',
        parts={"word/_rels/document.xml.rels": hyperlink_rels(f"https://kool.example/?ik={code}")},
    ),
    "docx-hyperlink-target-percent-escaped": lambda code: docx(
        parts={
            "word/_rels/document.xml.rels": hyperlink_rels(
                "https://kool.example/?ik=" + "".join(f"%{ord(c):02X}" for c in code)
            )
        },
    ),
    "docx-image-alt-text": lambda code: docx(picture(descr=f"Mari ({code}) klassipildil")),
    "docx-image-alt-title": lambda code: docx(picture(title=code)),
    "docx-comment-author": lambda code: docx(
        parts={
            "word/comments.xml": (
                f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{code}" '
                'w:initials="MM"><w:p><w:r><w:t>Vaata üle</w:t></w:r></w:p></w:comment>'
                "</w:comments>"
            )
        }
    ),
    # XLSX
    "xlsx-sheet-name": lambda code: xlsx(sheets=f'<sheet name="{code}" sheetId="1" r:id="rId1"/>'),
    "xlsx-defined-name-value": lambda code: xlsx(
        workbook=f'<definedNames><definedName name="Kood">"{code}"</definedName></definedNames>'
    ),
    "xlsx-defined-name": lambda code: xlsx(
        workbook=(
            f'<definedNames><definedName name="Laps_{code}">Leht1!$A$1</definedName></definedNames>'
        )
    ),
    "xlsx-cell-comment": lambda code: xlsx(
        parts={
            "xl/comments1.xml": (
                f'<comments xmlns="{S}"><authors><author>Mari</author></authors><commentList>'
                '<comment ref="A1" authorId="0"><text><r><rPr><b/></rPr><t>Mari:</t></r>'
                f"<r><t>{code}</t></r></text></comment></commentList></comments>"
            )
        }
    ),
    "xlsx-threaded-comment": lambda code: xlsx(
        parts={
            "xl/threadedComments/threadedComment1.xml": (
                '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/'
                '2018/threadedcomments"><threadedComment ref="A1" dT="2024-05-03T10:11:12.00" '
                'personId="{3A1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D}" '
                'id="{5D4C3B2A-1F0E-9D8C-7B6A-5F4E3D2C1B0A}">'
                f"<text>Kas {code} on õige?</text></threadedComment></ThreadedComments>"
            )
        }
    ),
    "xlsx-text-box": lambda code: xlsx(
        parts={
            "xl/drawings/drawing1.xml": (
                '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
                f'spreadsheetDrawing" xmlns:a="{A}"><xdr:twoCellAnchor><xdr:from><xdr:col>1'
                "</xdr:col><xdr:row>3</xdr:row></xdr:from><xdr:sp><xdr:nvSpPr>"
                '<xdr:cNvPr id="2" name="TextBox 1"/></xdr:nvSpPr><xdr:txBody>'
                f"{drawing_paragraphs(code)}</xdr:txBody></xdr:sp></xdr:twoCellAnchor>"
                "</xdr:wsDr>"
            )
        }
    ),
    "xlsx-drawing-alt-text": lambda code: xlsx(
        parts={
            "xl/drawings/drawing1.xml": (
                '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
                'spreadsheetDrawing"><xdr:oneCellAnchor><xdr:pic><xdr:nvPicPr>'
                f'<xdr:cNvPr id="3" name="Picture 2" descr="{code}"/></xdr:nvPicPr></xdr:pic>'
                "</xdr:oneCellAnchor></xdr:wsDr>"
            )
        }
    ),
    "xlsx-chart": lambda code: xlsx(parts={"xl/charts/chart1.xml": chart(code)}),
    "xlsx-core-properties-before-digits": lambda code: xlsx(
        parts={
            "docProps/core.xml": core(
                f"<cp:lastModifiedBy>{code}</cp:lastModifiedBy><cp:revision>2</cp:revision>"
            )
        }
    ),
    "xlsx-app-properties": lambda code: xlsx(
        parts={
            "docProps/app.xml": app(
                '<TitlesOfParts><vt:vector size="1" baseType="lpstr">'
                f"<vt:lpstr>{code}</vt:lpstr></vt:vector></TitlesOfParts>"
            )
        }
    ),
    "xlsx-custom-properties": lambda code: xlsx(
        parts={"docProps/custom.xml": custom("Kood", code)}
    ),
    "xlsx-formula-before-the-value": lambda code: xlsx(
        cells=f'<c r="A1"><f>B1*2</f><v>{code}</v></c>'
    ),
    # ODT
    "odt-meta-keyword-before-digits": lambda code: odt(
        parts={
            "meta.xml": (
                f"<office:document-meta {ODF}><office:meta><meta:keyword>{code}</meta:keyword>"
                "<meta:editing-cycles>4</meta:editing-cycles></office:meta>"
                "</office:document-meta>"
            )
        }
    ),
    "odt-meta-user-defined-name": lambda code: odt(
        parts={
            "meta.xml": (
                f'<office:document-meta {ODF}><office:meta><meta:user-defined meta:name="{code}">'
                "jah</meta:user-defined></office:meta></office:document-meta>"
            )
        }
    ),
    "odt-styles-header-frame-title": lambda code: odt(
        parts={
            "styles.xml": (
                f"<office:document-styles {ODF}><office:master-styles><style:master-page "
                'style:name="Standard"><style:header><text:p>Lk 1<draw:frame>'
                f"<svg:title>{code}</svg:title></draw:frame></text:p></style:header>"
                "</style:master-page></office:master-styles></office:document-styles>"
            )
        }
    ),
    "odt-content-hyperlink": lambda code: odt(
        f'<text:p><text:a xlink:href="https://kool.example/?ik={code}">kooli leht</text:a></text:p>'
    ),
    "odt-content-user-field": lambda code: odt(
        '<text:user-field-decls><text:user-field-decl office:value-type="string" '
        f'office:string-value="{code}" text:name="kood"/></text:user-field-decls>'
        "<text:p>Sissejuhatus</text:p>"
    ),
    "odt-embedded-object": lambda code: odt(
        '<text:p><draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p>',
        parts={
            "Object 1/content.xml": (
                f"<office:document-content {ODF}><office:body><office:text><text:p>{code}"
                "</text:p></office:text></office:body></office:document-content>"
            )
        },
    ),
    "odt-embedded-object-meta": lambda code: odt(
        parts={
            "Object 1/content.xml": f"<office:document-content {ODF}/>",
            "Object 1/meta.xml": (
                f"<office:document-meta {ODF}><office:meta><dc:title>{code}</dc:title>"
                "</office:meta></office:document-meta>"
            ),
        }
    ),
}


@pytest.mark.parametrize("attack", HIDDEN_CODES, ids=list(HIDDEN_CODES))
def test_a_code_hidden_in_any_part_of_an_office_file_is_refused(attack):
    name = "juhend." + attack.partition("-")[0]
    valid, form = clean(upload(name, HIDDEN_CODES[attack](CODE)))
    assert not valid and error_codes(form) == ["isikukood"], form.errors
    assert name in form.errors["files"][0]


def test_the_attacks_hide_nothing_else():
    """Each attack file, with its code replaced by harmless digits, is accepted: what refuses
    it is the code, not the way it is built."""
    for attack, build in HIDDEN_CODES.items():
        name = "juhend." + attack.partition("-")[0]
        valid, form = clean(upload(name, build(NOT_A_CODE)))
        assert valid, (attack, form.errors)


def test_the_main_part_is_found_through_the_package_relationships():
    content = docx(
        "<w:p><w:r><w:t>Kuidas korraldada infotundi</w:t></w:r></w:p>", main="word/x.xml"
    )
    valid, form = clean(upload("juhend.docx", content))
    assert valid, form.errors
    assert "Kuidas korraldada infotundi" in extract_text("docx", content)


def test_a_main_part_the_relationships_name_but_the_file_lacks_is_refused():
    content = _zip(
        {
            "[Content_Types].xml": f'<Types xmlns="{CT}"/>',
            "_rels/.rels": (
                f'<Relationships xmlns="{PR}"><Relationship Id="rId1" '
                f'Type="{REL}/officeDocument" Target="word/puudub.xml"/></Relationships>'
            ),
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body/></w:document>',
        }
    )
    valid, form = clean(upload("juhend.docx", content))
    assert not valid and error_codes(form) == ["file_content"]


def test_a_workbook_named_docx_is_refused():
    valid, form = clean(upload("tabel.docx", xlsx()))
    assert not valid and error_codes(form) == ["file_content"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, content",
    [
        ("ole.docx", lambda: docx(parts={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})),
        (
            "tabel.docx",
            lambda: docx(
                parts={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx(cells=CODE)}
            ),
        ),
        ("makro.docx", lambda: docx(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
        ("activex.docx", lambda: docx(parts={"word/activeX/activeX1.bin": b"\x00\x01control"})),
        ("tykk.docx", lambda: docx(parts={"word/afchunk.mht": b"MIME-Version: 1.0\r\n\r\n"})),
        ("ole.xlsx", lambda: xlsx(parts={"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})),
        ("makro.xlsx", lambda: xlsx(parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
        ("ole.odt", lambda: odt(parts={"Object 2": b"\xd0\xcf\x11\xe0embedded"})),
        (
            "makro.odt",
            lambda: odt(parts={"Basic/Standard/Module1.xml": "<script:module/>"}),
        ),
    ],
)
def test_a_file_with_parts_that_cannot_be_read_is_refused(name, content):
    valid, form = clean(upload(name, content()))
    assert not valid and error_codes(form) == ["file_hidden_content"], form.errors
    message = form.errors["files"][0]
    assert name in message and "makrosid" in message  # Estonian: the reason is named


def test_pictures_fonts_and_printer_settings_are_accepted():
    devmode = "HP LaserJet".encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 156
    content = docx(
        picture(descr="Laste joonistused"),
        parts={
            "word/media/image1.png": PNG,
            "word/fonts/font1.odttf": b"\x00\x01\x00\x00font",
            "word/printerSettings/printerSettings1.bin": devmode,
            "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0jpeg",
        },
    )
    valid, form = clean(upload("pildid.docx", content))
    assert valid, form.errors
    assert "HP LaserJet" in extract_text("docx", content)
    odt_content = odt(
        parts={"Pictures/100002010000003C0000002D8F1A2B3C.png": PNG, "layout-cache": b"\x00"}
    )
    valid, form = clean(upload("pildid.odt", odt_content))
    assert valid, form.errors


def test_a_code_in_the_printer_name_is_refused():
    devmode = CODE.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 156
    content = xlsx(parts={"xl/printerSettings/printerSettings1.bin": devmode})
    valid, form = clean(upload("tabel.xlsx", content))
    assert not valid and error_codes(form) == ["isikukood"]


def test_machine_made_numbers_do_not_join_into_a_code():
    """What a program writes beside the text (statistics, times with nanoseconds, identifiers,
    rsids, chart values, positions, shared strings' indexes, numbers' last binary digits) is
    read value by value, or as a reader sees it: numbers that would spell a code if run
    together do not refuse the file. Most here would read "37605030299" joined to their
    neighbours by a line break, as before."""
    docx_content = docx(
        '<w:p w:rsidR="00376050" w:rsidRDefault="30299376"><w:r><w:t>Tekst</w:t></w:r></w:p>'
        + picture(descr="Joonis"),
        parts={
            "docProps/app.xml": app(
                "<TotalTime>3</TotalTime><Pages>7</Pages><Words>605</Words>"
                "<Characters>0302</Characters><Lines>99</Lines>"
                "<AppVersion>16.0000</AppVersion>"
            ),
            "docProps/core.xml": core(
                '<dcterms:created xsi:type="dcterms:W3CDTF" xmlns:xsi="http://www.w3.org/2001/'
                'XMLSchema-instance">2024-05-03T10:11:37Z</dcterms:created><cp:revision>605'
                "</cp:revision>"
            ),
            "docProps/custom.xml": custom("ContentTypeId", "0x0101003760503029937605030299AB"),
            "word/charts/chart1.xml": chart("3760"),
            "word/settings.xml": (
                f'<w:settings xmlns:w="{W}"><w:rsids><w:rsidRoot w:val="37605030"/>'
                '<w:rsid w:val="00299376"/></w:rsids></w:settings>'
            ),
        },
    )
    odt_content = odt(
        parts={
            "meta.xml": (
                f"<office:document-meta {ODF}><office:meta>"
                "<meta:creation-date>2024-05-03T10:11:37.605030299</meta:creation-date>"
                "<dc:date>2024-05-03T10:12:37.605030299</dc:date>"
                "<meta:editing-cycles>3</meta:editing-cycles></office:meta>"
                "</office:document-meta>"
            )
        }
    )
    cells = "".join(
        f'<c r="{column}1" t="s"><v>{index}</v></c>'
        for column, index in zip("ABCDEFG", [3, 7, 60, 50, 30, 29, 9], strict=True)
    )
    # A time of day as Excel stores it, to 17 digits; Excel shows at most 15 (46263.376050303).
    cells += '<c r="H1" s="2"><v>46263.37605030299</v></c>'
    vml = (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:'
        'office:excel"><v:shape><x:ClientData ObjectType="Note"><x:Anchor>3, 7, 6, 0, 5, 0, 3, '
        "0299</x:Anchor><x:Row>0</x:Row><x:Column>1</x:Column></x:ClientData></v:shape><br>"
        "</xml>"
    )
    xlsx_content = xlsx(cells=cells, parts={"xl/drawings/vmlDrawing1.vml": vml})
    for name, content in [
        ("a.docx", docx_content),
        ("a.odt", odt_content),
        ("a.xlsx", xlsx_content),
    ]:
        valid, form = clean(upload(name, content))
        assert valid, (name, form.errors)


# PDF: what a reader sees besides the pages ----------------------------------------------------


def _pdf_writer(text="Vanemate infotunni juhend"):
    from pypdf import PdfReader, PdfWriter

    return PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))


def _pdf_bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_dictionary(**entries):
    from pypdf.generic import DictionaryObject, NameObject

    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def _pdf_annotated(**entries):
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    writer = _pdf_writer()
    annotation = _pdf_dictionary(
        Type=NameObject("/Annot"),
        Rect=ArrayObject([FloatObject(v) for v in (50, 550, 200, 650)]),
        **entries,
    )
    writer.add_annotation(0, annotation)
    return writer


def _pdf_stream(data, **entries):
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return stream


def _pdf_note(**entries):
    from pypdf.generic import NameObject

    return _pdf_bytes(_pdf_annotated(Subtype=NameObject("/Text"), **entries))


def _pdf_link(code):
    from pypdf.generic import NameObject, TextStringObject

    action = _pdf_dictionary(
        S=NameObject("/URI"), URI=TextStringObject(f"https://kool.example/?ik={code}")
    )
    return _pdf_bytes(_pdf_annotated(Subtype=NameObject("/Link"), A=action))


def _pdf_appearance(code):
    """A note whose /Contents is harmless and whose appearance, what a viewer shows, is not."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

    writer = _pdf_writer()
    appearance = writer._add_object(
        _pdf_stream(
            f"BT /Helv 10 Tf 2 2 Td ({code}) Tj ET".encode(),
            Type=NameObject("/XObject"),
            Subtype=NameObject("/Form"),
            BBox=ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(150), NumberObject(100)]
            ),
        )
    )
    writer.add_annotation(
        0,
        _pdf_dictionary(
            Type=NameObject("/Annot"),
            Subtype=NameObject("/FreeText"),
            Rect=ArrayObject([NumberObject(v) for v in (50, 550, 200, 650)]),
            Contents=TextStringObject("Märkus"),
            DA=TextStringObject("/Helv 10 Tf 0 g"),
            AP=_pdf_dictionary(N=appearance),
        ),
    )
    return _pdf_bytes(writer)


XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 5.6-c015 84.159810, '
    '2016/09/10-02:41:30"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" {attributes}>'
    "<xmp:CreateDate>2024-05-03T10:11:37.605+03:00</xmp:CreateDate>"
    "<xmpMM:DocumentID>uuid:37605030-2993-7605-0302-993760503029</xmpMM:DocumentID>"
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>'
    "</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def _pdf_xmp(description="Juhend", attributes='pdf:Producer="Koda"'):
    from pypdf.generic import NameObject

    writer = _pdf_writer()
    data = XMP.format(description=description, attributes=attributes).encode()
    metadata = _pdf_stream(data, Type=NameObject("/Metadata"), Subtype=NameObject("/XML"))
    writer._root_object[NameObject("/Metadata")] = writer._add_object(metadata)
    return _pdf_bytes(writer)


def _pdf_outline(code):
    writer = _pdf_writer()
    writer.add_outline_item(title=f"Lisa: {code}", page_number=0)
    return _pdf_bytes(writer)


def _pdf_form_field(code):
    from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

    writer = _pdf_writer()
    field = writer.add_annotation(
        0,
        _pdf_dictionary(
            Type=NameObject("/Annot"),
            Subtype=NameObject("/Widget"),
            FT=NameObject("/Tx"),
            T=TextStringObject("lapse_kood"),
            V=TextStringObject(code),
            Rect=ArrayObject([NumberObject(v) for v in (50, 700, 250, 720)]),
        ),
    )
    writer._root_object[NameObject("/AcroForm")] = _pdf_dictionary(
        Fields=ArrayObject([field.indirect_reference])
    )
    return _pdf_bytes(writer)


def _pdf_info(code, *, key="/Author", value=None, indirect=False):
    from pypdf.generic import NameObject, TextStringObject

    writer = _pdf_writer()
    writer.add_metadata({"/Title": "Juhend"})
    value = TextStringObject(f"Mari {code}") if value is None else value
    info = writer._info.get_object()
    info[NameObject(key)] = writer._add_object(value) if indirect else value
    return _pdf_bytes(writer)


def _pdf_structure_alt_text(code):
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    writer = _pdf_writer()
    element = _pdf_dictionary(
        Type=NameObject("/StructElem"), S=NameObject("/Figure"), Alt=TextStringObject(code)
    )
    writer._root_object[NameObject("/StructTreeRoot")] = _pdf_dictionary(
        Type=NameObject("/StructTreeRoot"), K=ArrayObject([writer._add_object(element)])
    )
    return _pdf_bytes(writer)


PDF_HIDDEN_CODES = {
    "annotation-contents": lambda code: _pdf_note(Contents=_text(f"Lapse kood {code}")),
    "annotation-author": lambda code: _pdf_note(T=_text(code), Contents=_text("Märkus")),
    "annotation-appearance": _pdf_appearance,
    "link-address": _pdf_link,
    "xmp-element": lambda code: _pdf_xmp(description=f"Nimekiri {code}"),
    "xmp-attribute": lambda code: _pdf_xmp(attributes=f'pdf:Keywords="{code}"'),
    "bookmark": _pdf_outline,
    "form-field-value": _pdf_form_field,
    "document-info": lambda code: _pdf_info(code),
    "document-info-indirect": lambda code: _pdf_info(code, indirect=True),
    "document-info-own-key": lambda code: _pdf_info(code, key="/Lapse_kood"),
    "document-info-number": lambda code: _pdf_info(code, key="/Lapse_kood", value=_number(code)),
    "structure-alt-text": _pdf_structure_alt_text,
}


def _text(value):
    from pypdf.generic import TextStringObject

    return TextStringObject(value)


def _number(value):
    from pypdf.generic import NumberObject

    return NumberObject(int(value))


@pytest.mark.parametrize("attack", PDF_HIDDEN_CODES, ids=list(PDF_HIDDEN_CODES))
def test_a_code_anywhere_in_a_pdf_is_refused(attack):
    content = PDF_HIDDEN_CODES[attack](CODE)
    assert "Vanemate infotunni juhend" in extract_text("pdf", _pdf_bytes(_pdf_writer()))
    valid, form = clean(upload("juhend.pdf", content))
    assert not valid and error_codes(form) == ["isikukood"], form.errors


def test_the_pdf_attacks_hide_nothing_else():
    for attack, build in PDF_HIDDEN_CODES.items():
        valid, form = clean(upload("juhend.pdf", build(NOT_A_CODE)))
        assert valid, (attack, form.errors)


def _pdf_attachment():
    writer = _pdf_writer()
    writer.add_attachment("lapsed.txt", b"Mari Maasikas")
    return _pdf_bytes(writer)


def _pdf_file_annotation():
    from pypdf.generic import NameObject

    embedded = _pdf_stream(b"Mari Maasikas", Type=NameObject("/EmbeddedFile"))
    writer = _pdf_writer()
    spec = _pdf_dictionary(
        Type=NameObject("/Filespec"),
        F=_text("lapsed.txt"),
        EF=_pdf_dictionary(F=writer._add_object(embedded)),
    )
    writer.add_annotation(
        0,
        _pdf_dictionary(
            Type=NameObject("/Annot"),
            Subtype=NameObject("/FileAttachment"),
            Rect=_pdf_rect(),
            FS=spec,
        ),
    )
    return _pdf_bytes(writer)


def _pdf_rect():
    from pypdf.generic import ArrayObject, NumberObject

    return ArrayObject([NumberObject(v) for v in (50, 550, 70, 570)])


def _pdf_script():
    from pypdf.generic import NameObject

    writer = _pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = _pdf_dictionary(
        S=NameObject("/JavaScript"), JS=_text("app.alert('3760' + '5030299');")
    )
    return _pdf_bytes(writer)


@pytest.mark.parametrize(
    "build", [_pdf_attachment, _pdf_file_annotation, _pdf_script], ids=lambda f: f.__name__
)
def test_a_pdf_with_embedded_files_or_scripts_is_refused(build):
    valid, form = clean(upload("lisad.pdf", build()))
    assert not valid and error_codes(form) == ["file_hidden_content"], form.errors


def test_a_pdf_signed_with_an_id_card_carries_the_signers_code():
    """An Estonian ID-card signature names the signer with their code (the certificate's
    serial number, and the signature's /Name): such a PDF is refused like any other code."""
    from pypdf.generic import ByteStringObject, NameObject, NumberObject

    writer = _pdf_writer()
    signature = _pdf_dictionary(
        Type=NameObject("/Sig"),
        Name=_text(f"MAASIKAS,MARI,{CODE}"),
        Contents=ByteStringObject(b"0\x82\x05\x00" + f"PNOEE-{CODE}".encode() + b"\x00\x01"),
    )
    writer._root_object[NameObject("/AcroForm")] = _pdf_dictionary(
        SigFlags=NumberObject(3), Fields=_pdf_array(writer._add_object(signature))
    )
    valid, form = clean(upload("allkirjastatud.pdf", _pdf_bytes(writer)))
    assert not valid and error_codes(form) == ["isikukood"]


def _pdf_array(*items):
    from pypdf.generic import ArrayObject

    return ArrayObject(items)


# Decompression bombs and other files too large to check (issue 16) -----------------------------


def _digits_docx(megabytes):
    """A DOCX whose one paragraph is `megabytes` MB of digits: about 1 KB packed per MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<Types xmlns="{CT}"/>')
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            block = b"0" * 1_000_000  # a run of one digit packs best: ~1,000 times
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    """Issue 16's bomb: about 100 KB that unpacks to 100 MB of digits."""
    return _digits_docx(100)


def _timed_clean(name, content):
    started = time.perf_counter()
    valid, form = clean(upload(name, content))
    return valid, form, time.perf_counter() - started


def test_a_decompression_bomb_is_refused_before_it_is_read(bomb):
    assert len(bomb) < 150_000
    valid, form, seconds = _timed_clean("pomm.docx", bomb)
    print(f"\nA {len(bomb) // 1024} KB DOCX unpacking to 100 MB refused in {seconds * 1000:.1f} ms")
    assert not valid and error_codes(form) == ["file_too_large_unpacked"]
    assert "pomm.docx" in form.errors["files"][0]


def test_a_part_packed_as_tightly_as_a_bomb_is_refused():
    content = _digits_docx(5)  # 5 MB: within the size limits, but packed ~1000 times
    valid, form = clean(upload("tihe.docx", content))
    assert not valid and error_codes(form) == ["file_packed_too_tightly"]


def test_a_bomb_that_understates_its_size_is_cut_at_the_declared_size(bomb):
    """zipfile unpacks no more than the size the directory declares: a part claiming 1,000
    bytes that holds 100 MB fails its checksum after 1,000 bytes."""
    data = bytearray(bomb)
    directory = data.rfind(b"PK\x01\x02")  # the last entry: word/document.xml
    assert data[directory + 46 : directory + 46 + 17] == b"word/document.xml"
    struct.pack_into("<I", data, directory + 24, 1000)  # its uncompressed size
    valid, form, seconds = _timed_clean("valetav.docx", bytes(data))
    print(f"\nA bomb declaring 1,000 bytes refused in {seconds * 1000:.1f} ms")
    assert not valid and error_codes(form) == ["file_unreadable"]


def test_a_file_with_too_many_parts_is_refused():
    parts = {f"word/media/image{n}.png": PNG for n in range(documents.MAX_PARTS)}
    valid, form = clean(upload("osad.docx", docx(parts=parts)))
    assert not valid and error_codes(form) == ["file_too_many_parts"]
    assert "1000" in form.errors["files"][0].replace("\xa0", "").replace(" ", "")


def test_reading_stops_at_the_deadline(monkeypatch):
    monkeypatch.setattr(documents, "READING_SECONDS", 0)
    valid, form = clean(upload("aeglane.docx", docx()))
    assert not valid and error_codes(form) == ["file_too_slow"]
    monkeypatch.setattr(documents, "PDF_READING_SECONDS", 0)
    valid, form = clean(upload("aeglane.pdf", make_pdf()))
    assert not valid and error_codes(form) == ["file_too_slow"]


def test_a_pdf_bomb_is_refused():
    content = one_page_pdf(
        b"BT /F1 12 Tf 72 720 Td (" + b"0" * 100_000_000 + b") Tj ET", compress=True
    )
    assert len(content) < 150_000
    valid, form, seconds = _timed_clean("pomm.pdf", content)
    print(
        f"\nA {len(content) // 1024} KB PDF unpacking to 100 MB refused in {seconds * 1000:.1f} ms"
    )
    assert not valid and error_codes(form) == ["file_too_complex"]


def test_a_pdf_of_many_small_operators_is_refused():
    """A page of 400,000 tiny text operators (tens of seconds of pypdf's reading, from a 40 KB
    file) is refused once its parsing passes the limit set for pypdf."""
    content = one_page_pdf(b"BT /F1 12 Tf 72 720 Td " + b"(1) Tj " * 400_000 + b"ET", compress=True)
    valid, form, seconds = _timed_clean("tihe.pdf", content)
    print(f"\nA PDF page of 400,000 operators refused in {seconds * 1000:.1f} ms")
    assert not valid and error_codes(form) == ["file_too_complex"]


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    from pypdf import PdfWriter

    monkeypatch.setattr(documents, "MAX_PDF_PAGES", 2)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(612, 792)
    valid, form = clean(upload("lehed.pdf", _pdf_bytes(writer)))
    assert not valid and error_codes(form) == ["file_too_many_pages"]


def test_text_beyond_what_the_guard_checks_is_refused(monkeypatch):
    valid, form = clean(upload("pikk.txt", b"a" * (MAX_DOCUMENT_TEXT + 1)))
    assert not valid and error_codes(form) == ["file_too_long"]
    monkeypatch.setattr(documents, "MAX_DOCUMENT_TEXT", 1000)
    paragraphs = "".join(f"<w:p><w:r><w:t>Lõik {n}</w:t></w:r></w:p>" for n in range(500))
    valid, form = clean(upload("pikk.docx", docx(paragraphs)))
    assert not valid and error_codes(form) == ["file_too_long"]
    assert "pikk.docx" in form.errors["files"][0]


def test_a_file_with_too_many_numbers_to_check_is_refused():
    numbers = b" ".join([b"39001010008"] * (MAX_CANDIDATES + 1))  # code-shaped, none valid
    valid, form = clean(upload("numbrid.txt", numbers))
    assert not valid and error_codes(form) == ["file_too_many_numbers"]
    assert "numbrid.txt" in form.errors["files"][0]


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
