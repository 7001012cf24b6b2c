"""The file reader: what a document or a picture says, read before it is accepted. Members'
attachments (stored by forum.discussions.attachments) and the editors' documents and pictures
uploaded in Wagtail's admin (DocumentForm, ImageForm) pass the same check.

A file is accepted only if its name has an allowed extension, it is not too large, its content
is what the extension says, and its text contains no personal identification code (isikukood):
the forum must never become a register of identifiable children. The text is read from every
part of the file where a person's text can be kept (properties, comments, alt texts, link
targets, charts, diagrams, text boxes, sheet names, embedded ODF objects; in a PDF also
annotations, bookmarks, form fields and metadata); a file with a part that cannot be read
(embedded files and objects, macros) is refused rather than accepted unread. Reading is bounded
before it starts (unpacked size, packing ratio, number of parts, PDF pages and streams) and while
it runs (a deadline), so that a small file cannot keep a worker busy (issue 16)."""

import csv
import io
import os
import posixpath
import re
import struct
import time
import zipfile
from decimal import Decimal, InvalidOperation, localcontext
from urllib.parse import unquote
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from forum.core.privacy import MAX_DOCUMENT_TEXT, PrivacyGuardMixin, guard_text

# Extension -> type name shown to people: the types whose text can be read and checked for a
# code, for the forum's attachments and the editors' documents alike (WAGTAILDOCS_EXTENSIONS
# names no other: tests/privacy/test_wagtail_files.py).
ALLOWED_TYPES = {
    "pdf": "PDF", "docx": "DOCX", "odt": "ODT", "ods": "ODS", "xlsx": "XLSX", "txt": "TXT",
    "csv": "CSV",
}  # fmt: skip
# Types read as another: ODS is an OpenDocument zip like ODT.
_READ_AS = {"ods": "odt"}
MAX_FILES = 5
FORUM_COLLECTION_NAME = "Foorumi failid"

# Limits on reading a file, each checked before the work it bounds. The zip-based types (DOCX,
# ODT, XLSX) are judged by their zip directory before anything is unpacked: zipfile never
# unpacks a part beyond the size the directory declares for it (a part that claims less than
# it holds fails its checksum and is unreadable).
MAX_PARTS = 1000  # office files have a few dozen parts, one more per picture
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts together (pictures too: readers unpack them)
# The XML parts that are read: about the XML of MAX_DOCUMENT_TEXT of text, and READING_SECONDS
# of expat's reading here (about 15 MB of Word's XML a second).
MAX_READ_BYTES = 32 * 1024 * 1024
# Unpacked size / packed size of one part larger than RATIO_FROM unpacked: documents' XML packs
# 5 to 30 times, pictures hardly at all; a bomb packs a thousand times.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024
READING_SECONDS = 2
# PDF: pypdf takes about 15 ms to read a page of text here, so a PDF gets more time (300 or so
# such pages); pages, objects and streams are limited first, so that a bomb is refused at once.
MAX_PDF_PAGES = 1000
PDF_READING_SECONDS = 5
MAX_PDF_OBJECTS = 200_000  # objects whose strings are read (a tagged PDF has one per element)
_PDF_STREAM_BYTES = 8 * 1024 * 1024
_PDF_LIMITS = {
    # pypdf's own limits (75 MB a stream by default), for streams it unpacks: page contents,
    # fonts' character maps, metadata, object streams. Pictures are not unpacked for text.
    "zlib_maximum_output_length": _PDF_STREAM_BYTES,
    "lzw_maximum_output_length": _PDF_STREAM_BYTES,
    "run_length_maximum_output_length": _PDF_STREAM_BYTES,
    "brotli_maximum_output_length": _PDF_STREAM_BYTES,
    "array_based_stream_maximum_output_length": _PDF_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * _PDF_STREAM_BYTES,
    # A content stream is parsed whole before its text is read (the deadline cannot stop
    # that): 100,000 tokens take about 0.4 s here; a page of text has a few thousand, a
    # detailed chart some tens of thousands.
    "stream_parsing_work_maximum_count": 100_000,
    # The page tree is flattened before the pages are counted by hand.
    "page_tree_maximum_entries": 4 * MAX_PDF_PAGES,
    "page_tree_maximum_page_entries": 200 * MAX_PDF_PAGES,
    "xform_maximum_invocations_per_extraction": 1000,
    "jbig2dec_binary": None,  # never a program of the system's for a picture
}

# The main part each zip-based format must contain (DOCX and XLSX: unless _rels/.rels names
# another) and the kind of content type a DOCX's or XLSX's main part must have, if declared.
_ZIP_MAIN_PART = {"docx": "word/document.xml", "odt": "content.xml", "xlsx": "xl/workbook.xml"}
_MAIN_CONTENT_TYPE = {"docx": "wordprocessingml", "xlsx": "spreadsheetml"}
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_SMALL_PART_BYTES = 1024 * 1024  # _rels/.rels, [Content_Types].xml, mimetype: a few KB
_XML_EXTENSIONS = frozenset({"xml", "rels", "vml", "rdf"})
# Parts accepted without reading them: pictures, sound and video (their text, if any, is in
# pixels or sound, as in a picture attached anywhere), fonts.
_MEDIA_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "jpe", "jfif", "gif", "bmp", "dib", "tif", "tiff", "emf", "wmf",
        "emz", "wmz", "svg", "svgz", "webp", "ico", "pict", "pct", "wdp", "jxr", "hdp", "heic",
        "heif", "avif", "svm", "mp3", "wav", "m4a", "wma", "mp4", "m4v", "mov", "avi", "wmv",
        "mpg", "mpeg", "odttf", "ttf", "otf", "fntdata", "woff", "woff2",
    }
)  # fmt: skip
# ODF folders of pictures (LibreOffice names some without an extension) and the objects'
# replacement pictures; LibreOffice's "layout-cache" holds page positions, no text.
_ODT_MEDIA_FOLDERS = ("pictures/", "thumbnails/", "objectreplacements/", "media/")
_ODT_MEDIA_PARTS = frozenset({"layout-cache"})
_ODT_MACRO_FOLDERS = ("basic/", "scripts/")
_ODT_MACRO_INDEXES = frozenset({"script-lc.xml", "dialog-lc.xml", "script-lb.xml", "dialog-lb.xml"})


class Refused(Exception):
    """The file is refused while it is read; `code` names the message (_MESSAGES), `params`
    fill it in."""

    code = "file_unreadable"

    def __init__(self, code: str | None = None, **params):
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.params = params


class Unreadable(Refused):
    """The file's content cannot be read (encrypted or damaged)."""


class _Full(Exception):
    """More text was found than the guard checks: reading stops there."""


_MESSAGES = {
    "file_unreadable": _(
        "The file “%(name)s” could not be read: it may be protected with a password or "
        "damaged. Save it again without a password and attach it again."
    ),
    "file_hidden_content": _(
        "The file “%(name)s” contains embedded files, objects or macros, whose content cannot "
        "be checked for a personal identification code. Save the file without them and attach "
        "it again."
    ),
    "file_too_large_unpacked": _(
        "The file “%(name)s” unpacks to more than %(limit)s, more than can be checked. Split it "
        "into smaller files and attach them again."
    ),
    "file_packed_too_tightly": _(
        "The file “%(name)s” is compressed far more tightly than ordinary documents (part of "
        "it unpacks to over %(ratio)s times its size), as harmful files often are, so it will "
        "not be opened. Save it again with your office program and attach it again."
    ),
    "file_too_many_parts": _(
        "The file “%(name)s” has more than %(limit)s parts, more than can be checked. Split it "
        "into smaller files and attach them again."
    ),
    "file_too_many_pages": _(
        "The file “%(name)s” has more than %(limit)s pages, more than can be checked. Split it "
        "into smaller files and attach them again."
    ),
    "file_too_complex": _(
        "The file “%(name)s” is too large or too complex to be checked once unpacked. Split it "
        "into smaller files and attach them again."
    ),
    "file_too_slow": _(
        "Checking the file “%(name)s” took too long (over %(seconds)s seconds). Split it into "
        "smaller files and attach them again."
    ),
    "file_too_long": _(
        "The file “%(name)s” has more text than can be checked (at most %(limit)s characters). "
        "Split it into smaller files and attach them again."
    ),
    "file_control_characters": _(
        "The file “%(name)s” contains control characters (such as terminal escape codes) that "
        "change how its text is shown. Save it as plain text and attach it again."
    ),
    "file_too_many_numbers": _(
        "The file “%(name)s” has too many numbers to be checked. Split it into smaller files "
        "and attach them again."
    ),
    "isikukood": _(
        "The file “%(name)s” contains a personal identification code (isikukood). "
        "Remove it from the file and attach it again: the forum must never identify a "
        "child."
    ),
}
# The guard's refusals of a text, as refusals of the file.
_GUARD_CODES = {
    "isikukood": "isikukood",
    "too_long_to_check": "file_too_long",
    "too_many_numbers": "file_too_many_numbers",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentField(forms.FileField):
    """Several files in one field; clean() returns the accepted uploads as a list (empty when
    none were chosen), or raises one ValidationError listing every file's problem."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files=MAX_FILES, **kwargs):
        kwargs.setdefault("required", False)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            files = [f for f in data if f]
        else:
            # None, False (the "clear" box) or the widget's contradiction marker: nothing new.
            files = [data] if hasattr(data, "name") else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                ngettext_lazy(
                    "Attach at most %(max)d file at a time.",
                    "Attach at most %(max)d files at a time.",
                    "max",
                )
                % {"max": self.max_files},
                code="too_many_files",
            )
        errors = []
        accepted = []
        for upload in files:
            try:
                if not upload.size:
                    raise ValidationError(
                        _("The file “%(name)s” is empty. Choose the file again."),
                        code="empty",
                        params={"name": upload.name},
                    )
                upload = super().clean(upload, initial)
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                accepted.append(upload)
        if errors:
            raise ValidationError(errors)
        return accepted


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def check_attachment(upload) -> None:
    """Raise ValidationError unless `upload` may be attached (type, size, content, no code)."""
    name = upload.name
    ext = _extension(name)
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            _("The file “%(name)s” is not of an allowed type. Allowed types: %(types)s."),
            code="file_type",
            params={"name": name, "types": ", ".join(ALLOWED_TYPES.values())},
        )
    limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s). A file may be at most %(limit)s."),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        if not _content_matches(ext, data):
            raise ValidationError(
                _(
                    "The content of the file “%(name)s” is not %(type)s. Save the file as "
                    "%(type)s and attach it again."
                ),
                code="file_content",
                params={"name": name, "type": ALLOWED_TYPES[ext]},
            )
        _guard_file_text(name, extract_text(ext, data))
    except Refused as refusal:
        raise _refusal(refusal.code, name, refusal.params) from None


def _guard_file_text(name: str, text: str) -> None:
    """The guard on the text read from the file `name`, its refusal worded for the file."""
    try:
        guard_text(text, limit=MAX_DOCUMENT_TEXT)
    except ValidationError as error:
        params = {"limit": number_format(MAX_DOCUMENT_TEXT, force_grouping=True)}
        raise _refusal(_GUARD_CODES[error.code], name, params) from None


# Pictures: their text is in their metadata (EXIF, XMP, IPTC, PNG text chunks, GIF and JPEG
# comments), which picture viewers show and Wagtail keeps in the original file. Pillow reads the
# usual places; any run of printable characters in the file is read too, so that a chunk or
# segment Pillow skips (a PNG private chunk, a later GIF frame's comment) is not a hiding place.
_PRINTABLE_RUN = re.compile(rb"[\t\x20-\x7e]{8,}")
_EXIF_IFDS = (0x8769, 0x8825, 0xA005)  # Exif, GPS, interoperability
_EXIF_UTF16_TAGS = range(0x9C9B, 0x9CA0)  # Windows' XPTitle, XPComment, XPAuthor, …


def image_text(data: bytes) -> str:
    """The text a picture's file carries, for the guard; raises Unreadable when Pillow cannot
    open it."""
    from PIL import Image, IptcImagePlugin, UnidentifiedImageError

    pieces = [run.decode("ascii") for run in _PRINTABLE_RUN.findall(data)]

    def add(value):
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            pieces.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)

    try:
        with Image.open(io.BytesIO(data)) as picture:
            for key, value in picture.info.items():
                if key not in ("icc_profile", "exif"):
                    add(value)
            exif = picture.getexif()
            for directory in [exif] + [exif.get_ifd(ifd) for ifd in _EXIF_IFDS]:
                for tag, value in directory.items():
                    if tag in _EXIF_UTF16_TAGS and isinstance(value, bytes):
                        value = value.decode("utf-16-le", "replace")
                    add(value)
            for value in (IptcImagePlugin.getiptcinfo(picture) or {}).values():
                add(value)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error) as e:
        raise Unreadable from e
    return _APART.join(pieces)


def check_picture(upload) -> None:
    """Raise ValidationError when a picture's text (image_text) holds a code or cannot be
    read. The type and size are Wagtail's to check (WAGTAILIMAGES_EXTENSIONS)."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        _guard_file_text(upload.name, image_text(data))
    except Refused as refusal:
        raise _refusal(refusal.code, upload.name, refusal.params) from None


def _new_upload(form):
    """The file just uploaded in a Wagtail document or image form, or None (the stored one
    kept)."""
    upload = form.cleaned_data.get("file")
    return upload if isinstance(upload, UploadedFile) else None


class DocumentForm(PrivacyGuardMixin, BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) for the admin's uploaders and
    chooser: an editor's document is read and guarded as a forum attachment is."""

    def clean_file(self):
        if upload := _new_upload(self):
            check_attachment(upload)
        return self.cleaned_data.get("file")


class ImageForm(PrivacyGuardMixin, BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): a picture's metadata is
    guarded."""

    def clean_file(self):
        if upload := _new_upload(self):
            check_picture(upload)
        return self.cleaned_data.get("file")


def _refusal(code: str, name: str, params: dict) -> ValidationError:
    return ValidationError(_MESSAGES[code], code=code, params={"name": name, **params})


def _content_matches(ext: str, data: bytes) -> bool:
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext in ("txt", "csv"):
        return b"\x00" not in data
    try:
        with _open_zip(data) as archive:
            names = {info.filename for info in archive.infolist()}
            if ext in _ODF_MIMETYPES:
                if "content.xml" not in names:
                    return False
                if "mimetype" in names:
                    return _small_part(archive, "mimetype").strip() == _ODF_MIMETYPES[ext]
                return True
            main = _main_part(archive, ext)
            if main is None:
                return False
            declared = _content_types(archive).get(main.lower())
            return declared is None or _MAIN_CONTENT_TYPE[ext] in declared
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError):
        return False


def extract_text(ext: str, data: bytes) -> str:
    """The readable text of a file of type `ext` (already checked by _content_matches), for
    the guard. Raises Refused when the file cannot or may not be read whole (Unreadable when it
    is damaged or encrypted). Reading stops once the text is longer than MAX_DOCUMENT_TEXT:
    what was read is returned, for the guard to refuse as too long."""
    ext = _READ_AS.get(ext, ext)
    if ext == "txt":
        return _plain_text(data)
    if ext == "csv":
        return _csv_text(data)
    text = _Text(PDF_READING_SECONDS if ext == "pdf" else READING_SECONDS)
    try:
        if ext == "pdf":
            _pdf_text(data, text)
        else:
            _zip_text(ext, data, text)
    except _Full:
        pass
    return text.joined()


# Control characters a terminal acts on (escape sequences, backspace): text shown through them
# is not the text stored. Tabs, line and page breaks are a text file's own.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _plain_text(data: bytes) -> str:
    """A text file's text; a line with a carriage return inside is read as a terminal shows it
    too (what follows the return is written over the line's start)."""
    text = _decode_text(data)
    if _TERMINAL_CONTROLS.search(text):
        raise Refused("file_control_characters")
    overprinted = [_overprinted(line) for line in text.split("\n") if "\r" in line.rstrip("\r")]
    return "\n".join([text, *overprinted])


def _csv_text(data: bytes) -> str:
    """A CSV file's cells, each on its own as a spreadsheet's are: a timesheet's row
    "16:30;30;6;14,35" is four values, not one number (it made one CSV file in six a "code").
    The separator is the one the first line uses most; a file the csv module cannot split is
    read as plain text."""
    plain = _plain_text(data)
    first = next((line for line in plain.splitlines() if line.strip()), "")
    delimiter = max(";,\t|", key=first.count)
    text = _Text(READING_SECONDS)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(plain), delimiter=delimiter)):
            if number % 1000 == 0:
                text.check_time()
            for cell in row:
                text.value(_number_shown(cell.strip()))
                if cell.startswith("="):  # a spreadsheet opening the file computes it
                    text.value(_computed(cell))
    except _Full:
        pass
    except csv.Error:
        return plain
    return text.joined()


def _overprinted(line: str) -> str:
    shown: list[str] = []
    for part in line.rstrip("\r").split("\r"):
        shown[: len(part)] = part
    return "".join(shown)


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1257")  # Baltic Windows, still common in Estonian offices
    except UnicodeDecodeError:
        return data.decode("latin-1")


# What a reader sees apart from the text around it: a property, an alt text, a link target, a
# part. Kept apart by a character the guard does not read past between two digits (not one of
# forum.core.privacy's separators), so that numbers from unrelated places (a page count and a word
# count, two chart values) do not join into a code; paragraphs and cells, which a reader does
# see one after another, are joined by a line break as before.
_APART = "¶"
# Values that are machine-made, not a person's text: times (LibreOffice writes nanoseconds, whose
# digits after the seconds could make a code-like number), PDF dates, GUIDs, long hex identifiers.
_NOT_TEXT = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?"
    r"|D:\d{4,14}(?:Z|[+-]\d\d'?(?:\d\d'?)?)?"
    r"|(?:urn:uuid:|uuid:|\{)?[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}?"
    r"|(?:0x|xmp\.[di]id:)?[0-9A-Fa-f]{16,}"
)


class _Text:
    """The text read from one file, up to a little more than MAX_DOCUMENT_TEXT (then _Full
    stops the reading), by a deadline (then Refused "file_too_slow")."""

    def __init__(self, seconds: int):
        self.pieces: list[str] = []
        self.length = 0
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        # A workbook's number formats that write digits of their own, and its numbers: shown
        # together when the zip's parts are all read (_formatted_numbers).
        self.digit_formats: list[tuple[str, int, str]] = []
        self.numbers: list[str] = []
        # List labels a word processor writes before list paragraphs (Word's lvlText with its
        # start, ODF's num-prefix and start-value) and those paragraphs' starts (_list_labels).
        self.list_labels: list[tuple[str, str | None]] = []
        self.list_starts: list[str] = []
        self.list_items: list[str] = []

    def unit(self, text: str) -> None:
        """A paragraph, a cell, a page: joined to the one before by a line break."""
        if text and not text.isspace():
            self._add(text)

    def apart(self) -> None:
        """What comes next is apart from what came before (another part of the file)."""
        self._add(_APART)

    def value(self, text: str) -> None:
        """A value on its own (see _APART)."""
        text = _as_shown(text.strip())
        if text and not _NOT_TEXT.fullmatch(text):
            self._add(_APART)
            self._add(text)
            self._add(_APART)

    def _add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text) + 1  # and the line break that joins it to the next
        if self.length > MAX_DOCUMENT_TEXT + 1:
            raise _Full

    def check_time(self, *args) -> None:
        """Raises Refused once the deadline has passed; takes (and ignores) the arguments of
        pypdf's visitor_operand_before, so that pypdf calls it before each operator."""
        if time.monotonic() > self.deadline:
            raise Refused("file_too_slow", seconds=self.seconds)

    def joined(self) -> str:
        return "\n".join(self.pieces)


# Zip-based files ------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its end record says it has at most MAX_PARTS parts: zipfile would make an
    object of every entry of its directory first (hundreds of thousands fit in 10 MB)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        raise zipfile.BadZipFile("no end of central directory")
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if entries == 0xFFFF and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        # Zip64: the count is in the Zip64 end record the locator points to.
        (record,) = struct.unpack_from("<Q", data, end - 12)
        if data[record : record + 4] == b"PK\x06\x06" and record + 40 <= len(data):
            (entries,) = struct.unpack_from("<Q", data, record + 32)
    if entries > MAX_PARTS:
        raise Refused("file_too_many_parts", limit=number_format(MAX_PARTS, force_grouping=True))
    archive = zipfile.ZipFile(io.BytesIO(data))
    if len(archive.infolist()) > MAX_PARTS:
        archive.close()
        raise Refused("file_too_many_parts", limit=number_format(MAX_PARTS, force_grouping=True))
    return archive


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _SMALL_PART_BYTES:
        raise ValueError(f"{name} is too large")
    return archive.read(info)


def _elements(data: bytes) -> list[tuple[str, dict]]:
    """(local name, attributes) of each element of a small XML part."""
    found = []
    parser = _parser()
    parser.StartElementHandler = lambda name, attributes: found.append(
        (name.rpartition(":")[2], attributes)
    )
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise Unreadable from error
    return found


def _main_part(archive: zipfile.ZipFile, ext: str) -> str | None:
    """The name of a DOCX's or XLSX's main part, as Word and Excel find it: the target of the
    package's officeDocument relationship (whatever its name), else the usual name."""
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    if "_rels/.rels" in names:
        for tag, attributes in _elements(_small_part(archive, names["_rels/.rels"])):
            if (
                tag == "Relationship"
                and attributes.get("Type", "").endswith("/officeDocument")
                and attributes.get("TargetMode") != "External"
            ):
                target = posixpath.normpath("/" + unquote(attributes.get("Target", "")))
                return names.get(target.lstrip("/").lower())
        return None
    return names.get(_ZIP_MAIN_PART[ext])


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """[Content_Types].xml as {part name: type, ".extension": type}, lower case."""
    try:
        data = _small_part(archive, "[Content_Types].xml")
    except KeyError:
        return {}
    types = {}
    for tag, attributes in _elements(data):
        content_type = attributes.get("ContentType", "").lower()
        if tag == "Override" and "PartName" in attributes:
            types[unquote(attributes["PartName"]).lstrip("/").lower()] = content_type
        elif tag == "Default" and "Extension" in attributes:
            types["." + attributes["Extension"].lower()] = content_type
    return types


def _zip_text(ext: str, data: bytes, text: "_Text") -> None:
    try:
        with _open_zip(data) as archive:
            infos = archive.infolist()
            if ext == "odt":
                read, printers = _odt_parts(infos)
            else:
                main = _main_part(archive, ext)
                read, printers = _ooxml_parts(infos, main, _content_types(archive))
            _check_sizes(infos, read)
            if any(info.flag_bits & 0x1 for info in infos):
                raise Unreadable  # a part encrypted with a zip password
            for comment in [archive.comment] + [info.comment for info in infos]:
                text.value(comment.decode("utf-8", "replace"))
            for info in infos:  # the parts' names: whoever unpacks the file sees them
                text.value(info.filename)
            for info in read:
                text.apart()
                with archive.open(info) as stream:
                    try:
                        _read_xml(stream, text)
                    except expat.ExpatError:
                        if not info.filename.lower().endswith(".vml"):
                            raise
                        _read_loose_markup(archive.read(info), text)
            for info in printers:
                with archive.open(info) as stream:
                    text.value(_printer_name(stream.read(64)))
            _formatted_numbers(text)
            _list_labels(text)
    except (Refused, _Full):
        raise
    except (zipfile.BadZipFile, expat.ExpatError, OSError, EOFError, ValueError, RuntimeError) as e:
        raise Unreadable from e


def _check_sizes(infos: list[zipfile.ZipInfo], read: list[zipfile.ZipInfo]) -> None:
    """Refuse, from the sizes the zip's directory declares and before anything is unpacked, a
    file that would unpack to more than can be checked or is packed as tightly as a bomb."""
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise Refused("file_too_large_unpacked", limit=filesizeformat(MAX_UNPACKED_BYTES))
    if sum(info.file_size for info in read) > MAX_READ_BYTES:
        raise Refused("file_too_large_unpacked", limit=filesizeformat(MAX_READ_BYTES))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused("file_packed_too_tightly", ratio=MAX_RATIO)


def _name_parts(info: zipfile.ZipInfo) -> tuple[str, str, str]:
    lower = info.filename.lower()
    base = posixpath.basename(lower)
    return lower, base, base.rpartition(".")[2] if "." in base else ""


def _ooxml_parts(infos, main: str | None, types: dict[str, str]):
    """The parts of a DOCX or XLSX to read (XML, by extension or declared type, and the main
    part whatever its name) and its printer settings; refuses embedded files and objects,
    macros and any part of an unknown kind."""
    read, printers = [], []
    for info in infos:
        if info.is_dir() or not info.file_size:
            continue
        lower, base, ext = _name_parts(info)
        content_type = types.get(lower) or types.get("." + ext, "")
        if base in ("vbaproject.bin", "vbadata.xml") or "vba" in content_type:
            raise Refused("file_hidden_content")  # macros
        if "/embeddings/" in "/" + lower:
            raise Refused("file_hidden_content")  # OLE objects, embedded workbooks, files
        is_xml = content_type.endswith(("+xml", "/xml")) and not content_type.startswith("image/")
        if info.filename == main or ext in _XML_EXTENSIONS or is_xml:
            read.append(info)
        elif ext in _MEDIA_EXTENSIONS or content_type.startswith(("image/", "audio/", "video/")):
            continue
        elif "printersettings" in content_type or "/printersettings/" in "/" + lower:
            printers.append(info)
        else:
            raise Refused("file_hidden_content")  # ActiveX, alternative-format chunks, ...
    return read, printers


def _odt_parts(infos):
    """The XML parts of an ODT to read (its own and its embedded ODF objects'); refuses macros
    and any part of an unknown kind (an embedded OLE object is a part without an extension)."""
    read = []
    for info in infos:
        if info.is_dir() or not info.file_size or info.filename == "mimetype":
            continue
        lower, base, ext = _name_parts(info)
        if lower.startswith(_ODT_MACRO_FOLDERS) and base not in _ODT_MACRO_INDEXES:
            raise Refused("file_hidden_content")  # Basic macros, scripts
        if ext in _XML_EXTENSIONS:
            read.append(info)
        elif (
            ext in _MEDIA_EXTENSIONS
            or lower.startswith(_ODT_MEDIA_FOLDERS)
            or lower in _ODT_MEDIA_PARTS
        ):
            continue
        else:
            raise Refused("file_hidden_content")
    return read, []


def _printer_name(devmode: bytes) -> str:
    """The printer's name at the start of Windows' DEVMODE (printer settings of a DOCX/XLSX)."""
    return devmode[:64].decode("utf-16-le", "replace").partition("\x00")[0]


_LOOSE_TAG = re.compile(rb"<[^<>]*>")
_VML_ANCHOR = re.compile(rb"<x:Anchor>[^<]*</x:Anchor>", re.IGNORECASE)


def _read_loose_markup(data: bytes, text: "_Text") -> None:
    """The text between the tags of markup that is not well-formed XML (Excel's VML drawings
    may have <br> without its end)."""
    if _DOCTYPE.search(data):
        raise Unreadable
    for piece in _LOOSE_TAG.split(_VML_ANCHOR.sub(b"", data)):
        text.value(piece.decode("utf-8", "replace"))
    text.check_time()


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

# Elements whose text is a paragraph or a cell: the runs inside are joined (a code split over
# formatting runs is still found). DOCX and DrawingML w:p/a:p (charts, diagrams, text boxes
# and shapes too), ODF text:p/text:h, XLSX shared strings si, cells c and comments' text.
_UNIT_TAGS = frozenset({"p", "h", "si", "c", "text"})
_SPACE_TAGS = frozenset({"tab", "ptab", "br", "cr", "s", "line-break", "noBreakHyphen"})
# Elements inside a paragraph or a cell whose text is not part of the paragraph's or the cell's
# own: a cell's formula (its value follows it), Word's field codes and positions of pictures,
# ODF's titles and descriptions of frames, comments' authors and dates, note numbers, ruby
# (the small text above a word). Each is a value of its own: "A1*2" before 37605030299 is not
# "A1*237605030299".
_APART_TAGS = frozenset(
    {
        "f", "instrText", "posOffset", "pctWidth", "pctHeight", "align", "title", "desc",
        "creator", "date", "initials", "note-citation", "rt", "ruby-text",
    }
)  # fmt: skip
# Elements whose text is not a person's: positions of Excel's comment boxes (eight numbers
# in one), pictures in base64, Adobe's lists of document identifiers; so are elements named
# ...ID or ...Id.
_SKIPPED_TAGS = frozenset({"Anchor", "binData", "DocumentAncestors"})
# Attributes that carry people's text (the others are formatting, sizes, positions and
# identifiers, read by nobody), by the element's local name.
_TEXT_ATTRIBUTES = {
    # Alt text of pictures and shapes: Word (wp:docPr), Excel's drawings and pictures (cNvPr),
    # VML.
    "docPr": frozenset({"descr", "title"}),
    "cNvPr": frozenset({"descr", "title"}),
    "shape": frozenset({"alt"}),
    "imagedata": frozenset({"title"}),
    # Excel: sheet names, defined names (the value is the element's text), links' text and
    # tooltips (Word's tooltips too), input prompts and error messages.
    "sheet": frozenset({"name"}),
    "definedName": frozenset({"name"}),
    "hyperlink": frozenset({"display", "tooltip"}),
    "dataValidation": frozenset({"prompt", "promptTitle", "error", "errorTitle"}),
    # Authors of comments and tracked changes; people of threaded comments.
    "comment": frozenset({"author", "initials"}),
    "ins": frozenset({"author"}),
    "del": frozenset({"author"}),
    "person": frozenset({"author", "displayName"}),
    # Word: document variables, content controls' titles, tags and choices, form fields.
    "docVar": frozenset({"name", "val"}),
    "alias": frozenset({"val"}),
    "tag": frozenset({"val"}),
    "listItem": frozenset({"displayText", "value"}),
    "listEntry": frozenset({"val"}),
    "statusText": frozenset({"val"}),
    "helpText": frozenset({"val"}),
    "default": frozenset({"val"}),
    # Names of custom properties (docProps/custom.xml, ODF meta.xml), ODF's values of fields
    # and table cells, ODF's link targets (xlink:href).
    "property": frozenset({"name"}),
    "user-defined": frozenset({"name", "string-value"}),
    "user-field-decl": frozenset({"string-value"}),
    "variable-set": frozenset({"string-value"}),
    "table-cell": frozenset({"value", "string-value"}),
    "table": frozenset({"name"}),  # an ODF sheet's name
    "a": frozenset({"href"}),
}
# XMP metadata keeps values in attributes too; these are not a person's text.
_XMP_SKIPPED_ATTRIBUTES = frozenset({"about", "xmptk", "parseType", "lang", "resource"})
_CHUNK = 64 * 1024


def _parser():
    """Expat, refusing a document type declaration (no office file has one): no entity
    tricks."""

    def refuse(*args):
        raise Unreadable

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


# Text a reader does not see, between markers in a unit's text: Word's hidden runs (w:vanish)
# and deleted text (shown struck out only while changes are tracked), ODF's spans of a style
# with text:display="none" (declared before the body in content.xml).
_HIDE, _SHOW = "\ue000", "\ue001"
_HIDDEN_TEXT = re.compile(f"{_HIDE}[^{_SHOW}]*{_SHOW}")
_OFF = frozenset({"0", "false", "off"})


class _Hiding:
    """Where hidden text starts and ends in one XML part: start() and end() return the marker to
    put in the text, if any."""

    def __init__(self):
        self.run_hidden = False
        self.hidden_styles: set[str] = set()
        self.style = ""
        self.spans: list[bool] = []  # open ODF spans: hidden or not

    def start(self, tag: str, attributes: dict) -> str:
        if tag == "r":
            self.run_hidden = False
        elif tag == "vanish":
            self.run_hidden = _value(attributes, ":val") not in _OFF
        elif tag == "delText" or (tag == "t" and self.run_hidden):
            return _HIDE
        elif tag == "style":
            self.style = _value(attributes, ":name") or ""
        elif tag == "text-properties" and _value(attributes, ":display") == "none":
            self.hidden_styles.add(self.style)
        elif tag == "span":
            hidden = _value(attributes, ":style-name") in self.hidden_styles
            outermost = hidden and not any(self.spans)
            self.spans.append(hidden)
            return _HIDE if outermost else ""
        elif tag == "sym":
            return _symbol(_value(attributes, ":char") or "")
        return ""

    def end(self, tag: str) -> str:
        if tag == "delText" or (tag == "t" and self.run_hidden):
            return _SHOW
        if tag == "span" and self.spans and self.spans.pop() and not any(self.spans):
            return _SHOW
        return ""


_HEX = re.compile(r"[0-9A-Fa-f]{1,6}")


def _symbol(char: str) -> str:
    """A character of a symbol font (w:sym): F030 is "0" as Symbol or Wingdings draws it."""
    if not _HEX.fullmatch(char):
        return ""
    code = int(char, 16)
    if code >= 0xF000:
        code -= 0xF000
    return chr(code) if 0x20 <= code < 0x110000 else ""


def _value(attributes: dict, suffix: str) -> str | None:
    """An attribute by its local name, whatever its namespace prefix (":val")."""
    return next((v for k, v in attributes.items() if k.endswith(suffix)), None)


def _read_xml(stream, text: _Text, *, all_attributes: bool = False) -> None:
    """The text of an XML part: the character data of its elements, paragraph by paragraph and
    cell by cell (the units) or value by value (any other element), and the attributes that
    carry people's text (`all_attributes`: every attribute but identifiers, for XMP). Expat
    directly (ElementTree builds a tree ten times slower), fed in chunks with the deadline
    checked between them."""
    buffer: list[str] = []  # character data not yet given to `text`
    opened: list[int] = []  # where each open unit's text starts in `buffer`
    cells: list[str | None] = []  # the type of each open spreadsheet cell
    aparts: list[int] = []  # where each open _APART_TAGS element's text starts in `buffer`
    odf_cells: list[int] = []  # where each open ODF table cell's text starts in `buffer`
    hiding = _Hiding()
    list_paragraph = False  # a Word paragraph with a list label (w:numPr)
    list_items = 0  # open ODF list items
    skipping = 0

    def start(name, attributes):
        nonlocal skipping, list_paragraph, list_items
        tag = name.rpartition(":")[2]
        if skipping or tag in _SKIPPED_TAGS or tag.endswith(("ID", "Id")):
            skipping += 1
            return
        if marker := hiding.start(tag, attributes):
            buffer.append(marker)
        if tag in _UNIT_TAGS:
            opened.append(len(buffer))
            if tag == "c":
                cells.append(attributes.get("t"))
        elif tag == "table-cell":
            # An ODF table's cell stands on its own, as an XLSX cell does: neighbouring cells
            # ("Palk 05/2020", "2184623") are not one number.
            odf_cells.append(len(buffer))
        elif tag in _SPACE_TAGS:
            buffer.append(" ")
        elif tag in _APART_TAGS and (opened or odf_cells):
            aparts.append(len(buffer))
        if tag in _LIST_TAGS:
            _list_attributes(tag, attributes, text)
            list_paragraph = list_paragraph or tag == "numPr"
            list_items += tag == "list-item"
        if tag == "numFmt":
            code = _value(attributes, "formatCode") or ""
            text.value("".join(q or e for q, e, *_ in _FORMAT_PART.findall(code)))  # its text
            if shape := _number_format(code):
                text.digit_formats.append(shape)
        if attributes:
            _attribute_text(tag, attributes, text, all_attributes)

    def end(name):
        nonlocal skipping, list_paragraph, list_items
        if skipping:
            skipping -= 1
            return
        tag = name.rpartition(":")[2]
        if marker := hiding.end(tag):
            buffer.append(marker)
        list_items -= tag == "list-item" and list_items > 0
        if tag in _UNIT_TAGS and opened and odf_cells and opened[-1] >= odf_cells[-1]:
            opened.pop()  # a paragraph of a table cell: read with the cell, below
            buffer.append("\n")
        elif tag in _UNIT_TAGS and opened:
            at = opened.pop()
            unit = "".join(buffer[at:])
            del buffer[at:]
            if tag == "p" and (list_paragraph or list_items):
                list_paragraph = False
                if len(text.list_items) < _MAX_LIST_ITEMS:
                    text.list_items.append(unit.strip()[:_EDGE_CHARS])
            if tag == "c":
                # A number cell stands on its own: a column of numbers read across cells
                # made an eleven-digit code of one workbook in five.
                kind = cells.pop() if cells else None
                text.value(_cell_text(unit, kind))
                if kind in (None, "n") and len(text.numbers) < _MAX_FORMATTED:
                    text.numbers.append(unit.strip())
            elif _HIDE in unit:
                # Read whole, and as shown: hidden text between two halves of a code must
                # not keep them apart.
                text.unit(unit.replace(_HIDE, "").replace(_SHOW, ""))
                text.apart()
                text.unit(_HIDDEN_TEXT.sub("", unit))
            else:
                text.unit(unit)
        elif tag in _APART_TAGS and aparts:
            at = aparts.pop()
            value = "".join(buffer[at:])
            text.value(value)
            if tag == "f":  # a formula of literals, as the spreadsheet computes it
                text.value(_computed(value))
            del buffer[at:]
        elif tag == "table-cell" and odf_cells:
            at = odf_cells.pop()
            text.value(_cell_text("".join(buffer[at:]), None))
            del buffer[at:]
        elif not opened and buffer and not odf_cells:
            text.value("".join(buffer))
            buffer.clear()

    def characters(data):
        if not skipping:
            buffer.append(data)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
        text.check_time()
    parser.Parse(b"", True)
    text.unit("".join(buffer))


def _attribute_text(tag: str, attributes: dict, text: _Text, all_attributes: bool) -> None:
    if tag == "Relationship":
        # A link's address in a part's relationships (Word's and Excel's hyperlinks, pictures
        # linked from the web); as its reader's browser would show it, too.
        if attributes.get("TargetMode") == "External":
            target = attributes.get("Target", "")
            text.value(target)
            if unquote(target) != target:
                text.value(unquote(target))
        return
    if all_attributes:
        for key, value in attributes.items():
            local = key.rpartition(":")[2]
            if not (
                key.startswith("xmlns")
                or local in _XMP_SKIPPED_ATTRIBUTES
                or local.endswith(("ID", "Id"))
            ):
                text.value(value)
        return
    wanted = _TEXT_ATTRIBUTES.get(tag)
    if wanted:
        for key, value in attributes.items():
            local = key.rpartition(":")[2]
            if local in wanted:
                text.value(_number_shown(value) if local == "value" else value)


def _cell_text(text: str, cell_type: str | None) -> str:
    """A spreadsheet cell's value as the reader sees it. A number as Excel shows it at most
    (_as_shown). A shared string's cell holds the string's index (its text is read in
    sharedStrings.xml) and a true/false cell 1 or 0: neither is text."""
    if cell_type in ("s", "b"):
        return ""
    text = text.strip()
    if cell_type in (None, "n"):
        return _number_shown(text)
    return text


# Formulas of literals only ("50003*1000000+196539", '"51306"&"064364"'): a spreadsheet shows
# their result, which a file need not store. Cell references and functions are not computed.
_FORMULA_TOKEN = re.compile(r'\s*(?:(\d+(?:\.\d+)?)|"([^"]*)"|([-+*/&()]))')


def _computed(formula: str) -> str:
    """The result of a formula of number and text literals with + - * / & and brackets, or ""
    when it has anything else (or its numbers grow beyond 30 digits)."""
    tokens, at = [], 0
    formula = formula.strip().lstrip("=")
    while at < len(formula):
        match = _FORMULA_TOKEN.match(formula, at)
        if not match or len(tokens) > 200:
            return ""
        tokens.append(match.groups())
        at = match.end()
    try:
        value, rest = _formula_sum(tokens)
    except (ValueError, ArithmeticError, IndexError):
        return ""
    if rest or isinstance(value, Decimal) and abs(value) >= Decimal(10) ** 30:
        return ""
    return _as_shown(format(value, "f")) if isinstance(value, Decimal) else value


def _formula_sum(tokens):
    """(value, tokens left) of `a op b op …` with &, then + -, then * / binding tighter."""
    value, tokens = _formula_product(tokens)
    while tokens and tokens[0][2] in ("+", "-", "&"):
        op, (right, tokens) = tokens[0][2], _formula_product(tokens[1:])
        if op == "&":
            value = _formula_text(value) + _formula_text(right)
        else:
            value = Decimal(value) + (Decimal(right) if op == "+" else -Decimal(right))
    return value, tokens


def _formula_product(tokens):
    value, tokens = _formula_atom(tokens)
    while tokens and tokens[0][2] in ("*", "/"):
        op, (right, tokens) = tokens[0][2], _formula_atom(tokens[1:])
        value = Decimal(value) * Decimal(right) if op == "*" else Decimal(value) / Decimal(right)
        if abs(value) >= Decimal(10) ** 30:
            raise ValueError
    return value, tokens


def _formula_atom(tokens):
    number, string, op = tokens[0]
    if number is not None:
        return Decimal(number), tokens[1:]
    if string is not None:
        return string, tokens[1:]
    if op == "(":
        value, rest = _formula_sum(tokens[1:])
        if not rest or rest[0][2] != ")":
            raise ValueError
        return value, rest[1:]
    if op == "-":
        value, rest = _formula_atom(tokens[1:])
        return -Decimal(value), rest
    raise ValueError


def _formula_text(value) -> str:
    return _as_shown(format(value, "f")) if isinstance(value, Decimal) else value


# Number formats that write digits of their own around a number ('"51211"000000',
# '\5\0\4\1\0000000'): each is applied to each of the workbook's numbers (at most
# _MAX_FORMATTED of them), as the cells that use it would show them.
_MAX_FORMATTED = 20_000
_FORMAT_PART = re.compile(r'"([^"]*)"|\\(.)|([0#?])|\[[^\]]*\]|(.)')


def _number_format(code: str | None) -> tuple[str, int, str] | None:
    """(text before, zeros, text after) of a number format's first section whose own text
    has a digit; None for any other."""
    before, after, zeros, placeholders = [], [], 0, 0
    for quoted, escaped, placeholder, other in _FORMAT_PART.findall((code or "").split(";")[0]):
        if placeholder:
            placeholders += 1
            zeros += placeholder == "0"
            after.clear()
        else:
            (after if placeholders else before).append(quoted or escaped or other)
    shape = ("".join(before), zeros, "".join(after))
    has_digits = any(c.isdigit() for c in shape[0] + shape[2])
    return shape if placeholders and has_digits else None


def _formatted_numbers(text: _Text) -> None:
    for before, zeros, after in text.digit_formats[:10]:
        for number in text.numbers:
            whole = _as_shown(number).partition(".")[0].lstrip("-")
            if whole.isdigit():
                text.value(f"{before}{whole.zfill(zeros)}{after}")


# List labels: Word's numbering.xml (w:start, then w:lvlText, "%1." or any text), ODF's list
# styles (num-prefix, num-suffix, start-value) and items (start-value). A label is written
# before its paragraph: "38504%1" starting at 171334 shows a code no text holds. Each label is
# read with each start, alone and before each list paragraph's start.
_LIST_TAGS = frozenset({"start", "lvlText", "list-level-style-number", "list-item", "numPr"})
_MAX_LIST_ITEMS = 500
_EDGE_CHARS = 64
_LEVEL_NUMBER = re.compile(r"%[1-9]")


def _list_attributes(tag: str, attributes: dict, text: _Text) -> None:
    if tag == "start":
        text.list_starts.append(_value(attributes, ":val") or "")
    elif tag == "lvlText":
        start = text.list_starts[-1] if text.list_starts else None
        text.list_labels.append((_value(attributes, ":val") or "", start))
    elif tag == "list-level-style-number":
        shown = "%1" if _value(attributes, ":num-format") != "" else ""
        label = f"{_value(attributes, ':num-prefix') or ''}{shown}"
        text.list_labels.append((label + (_value(attributes, ":num-suffix") or ""), None))
        text.list_starts.append(_value(attributes, ":start-value") or "")
    elif tag == "list-item" and (start := _value(attributes, ":start-value")):
        text.list_starts.append(start)


def _list_labels(text: _Text) -> None:
    starts = {s for s in text.list_starts[:50] if s.isdigit() and len(s) <= 11} or {"1"}
    for pattern, own_start in text.list_labels[:20]:
        own_digits = any(c.isdigit() for c in _LEVEL_NUMBER.sub("", pattern))
        for start in {own_start, *starts} - {None}:
            label = _LEVEL_NUMBER.sub(start, pattern)[:100]
            if own_digits or sum(c.isdigit() for c in label) >= 5:
                text.value(label)  # "38504171334", "38504" and 171334, a list from 37605030299
            if own_digits:  # a label writing digits of its own, before each list paragraph
                for item in text.list_items:
                    text.value(f"{label}{item}")


def _number_shown(text: str) -> str:
    """A spreadsheet's number as shown (_as_shown), its whole part and its decimals kept apart:
    7.47905020345 is a measurement, and its eleven decimals are no code."""
    shown = _as_shown(text)
    whole, point, decimals = shown.partition(".")
    return f"{whole}{_APART}{decimals}" if point and _NUMBER.fullmatch(shown) else shown


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[Ee][-+]?\d+)?")
_ZERO_PADDED = re.compile(r"[-+]?0\d")


def _as_shown(text: str) -> str:
    """A stored number as a spreadsheet shows it at most: 15 significant digits (Excel's
    precision; files keep 17, so a computed 123456.78901234567 would read as a code after its
    point), written out whole (3.7605030299E10 is 37605030299). Other text unchanged."""
    if not _NUMBER.fullmatch(text) or _ZERO_PADDED.match(text):
        return text  # not a number a spreadsheet stores: "0047301310547" is a card's text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite() or abs(number) >= Decimal(10) ** 20:
        return text
    with localcontext() as context:
        context.prec = 15
        shown = format(+number, "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


# PDF ------------------------------------------------------------------------------------------

# Annotations whose content cannot be read as text: attached files, multimedia, 3D models.
_PDF_HIDDEN_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/3D"})
_PDF_SHOW_TEXT = frozenset({b"Tj", b"'", b'"', b"TJ"})


def _pdf_text(data: bytes, text: _Text) -> None:
    """The text of a PDF's pages and of every string its objects hold (document information,
    bookmarks, annotations and their appearance, link addresses, form fields, structure alt
    texts), its XMP metadata and XFA form data; refuses a PDF with embedded files or
    JavaScript. pypdf's limits are lowered for the reading (_PDF_LIMITS), the page count is
    checked first and the deadline before each operator of a page."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    with apply_configuration(**_PDF_LIMITS):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                # Only an empty user password (an "owner-restricted" PDF) can be read here.
                raise Unreadable
            if len(reader.pages) > MAX_PDF_PAGES:
                raise Refused(
                    "file_too_many_pages", limit=number_format(MAX_PDF_PAGES, force_grouping=True)
                )
            # The objects first: an embedded file or a script is refused before the pages' text,
            # the slow part, is read.
            _pdf_objects(reader, text)
            drawn = []  # pages to read again as drawn
            for number, page in enumerate(reader.pages, start=1):
                if number > MAX_PDF_PAGES:  # /Count may understate the pages
                    raise Refused(
                        "file_too_many_pages",
                        limit=number_format(MAX_PDF_PAGES, force_grouping=True),
                    )
                text.check_time()
                page_text = page.extract_text(visitor_operand_before=text.check_time) or ""
                text.unit(page_text)
                if sum(c.isdigit() for c in page_text) >= 11 or _pdf_glyph_names_differ(page):
                    drawn.append(number - 1)
            if drawn:
                _pdf_drawn_text(data, drawn, text)
        except (Refused, _Full):
            raise
        except LimitReachedError as error:
            raise Refused("file_too_complex") from error
        except Exception as error:  # noqa: BLE001 - any damage in a PDF means "cannot be read"
            raise Unreadable from error


# A page as a reader sees it: pypdf reads a page's text in the order it is drawn, and a PDF can
# draw a code's digits right to left, shuffled, with a tiny, white or invisible letter between
# them, or as digit glyphs its ToUnicode map calls letters. pdfminer gives each character its
# place, size, colour and glyph name; the page is read line by line, left to right: all its
# characters, those a reader sees, and the characters by their glyph names. Only pages with
# eleven digits or more, or a font whose map and glyph names disagree, are read again: it is
# twice pypdf's time.
_PDF_INVISIBLE_MODES = (3, 7)  # text render modes: neither filled nor stroked
_PDF_SMALLEST = 1.0  # points: a smaller character is not read by anyone
_PDF_COLUMN_GAP = 3.0  # em: wider is another column, kept apart
_PDF_WORD_GAP = 0.25  # em
_DIGIT_GLYPHS = frozenset(
    ["/zero", "/one", "/two", "/three", "/four", "/five", "/six", "/seven", "/eight", "/nine"]
)


def _pdf_glyph_names_differ(page) -> bool:
    """Whether a font of the page names digit glyphs in its encoding and maps its characters
    to text through a ToUnicode map too: the two may disagree."""
    try:
        fonts = page["/Resources"]["/Font"].get_object()
        for font in fonts.values():
            font = font.get_object()
            encoding = font.get("/Encoding")
            encoding = encoding.get_object() if encoding is not None else None
            names = encoding.get("/Differences", []) if hasattr(encoding, "get") else []
            if "/ToUnicode" in font and _DIGIT_GLYPHS.intersection(map(str, names)):
                return True
    except (KeyError, AttributeError, TypeError):
        pass
    return False


def _pdf_drawn_text(data: bytes, pages: list[int], text: _Text) -> None:
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFSimpleFont
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Device(PDFLayoutAnalyzer):
        """Each character with its place, whether a reader sees it, and its glyph's name."""

        def __init__(self, resources):
            super().__init__(resources, laparams=None)
            self.start_page()
            self.invisible = False

        def start_page(self):
            self.chars: list[tuple] = []
            self.clip = None  # the clipping rectangle, if any
            self.covers: list[tuple] = []  # shapes filled, with how many characters came before

        def render_string(self, textstate, seq, ncs, graphicstate):
            self.invisible = textstate.render in _PDF_INVISIBLE_MODES
            super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            text.check_time()
            width = super().render_char(
                matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate
            )
            char = self.cur_item._objs[-1]
            seen = not (
                self.invisible
                or char.size < _PDF_SMALLEST
                or _pdf_white(graphicstate.ncolor)
                or not _pdf_inside(char, self.clip)
            )
            named = None
            if isinstance(font, PDFSimpleFont) and font.unicode_map is not None:
                named = font.cid2unicode.get(cid)
            self.chars.append((char, seen, named or char.get_text()))
            return width

        def paint_path(self, gstate, stroke, fill, evenodd, path):
            text.check_time()
            if fill and self.chars and len(self.covers) < _PDF_MAX_COVERS:
                self.covers.append((_pdf_box(path, self.ctm), len(self.chars)))

        def receive_layout(self, ltpage):
            pass

    class Interpreter(PDFPageInterpreter):
        """Keeps the clipping rectangle (`re W n`, as a box), which pdfminer leaves out."""

        def init_state(self, ctm):
            super().init_state(ctm)
            self.clips: list = []
            self.clipping = False

        def do_q(self):
            super().do_q()
            self.clips.append(self.device.clip)

        def do_Q(self):
            super().do_Q()
            if self.clips:
                self.device.clip = self.clips.pop()

        def do_W(self):
            self.clipping = True

        do_W_a = do_W

        def do_n(self):
            if self.clipping:
                self.device.clip = _pdf_intersection(
                    self.device.clip, _pdf_box(self.curpath, self.ctm)
                )
                self.clipping = False
            super().do_n()

    resources = PDFResourceManager()
    device = Device(resources)
    interpreter = Interpreter(resources, device)
    for page in PDFPage.get_pages(io.BytesIO(data), pagenos=set(pages)):
        device.start_page()
        interpreter.process_page(page)
        chars = [
            (char, seen and not _pdf_covered(char, index, device.covers), named)
            for index, (char, seen, named) in enumerate(device.chars)
        ]
        for line in _pdf_lines(chars):
            every = _pdf_line(line, lambda c: c[0].get_text())
            text.unit(every)
            for variant in (
                _pdf_line(line, lambda c: c[0].get_text() if c[1] else None),
                _pdf_line(line, lambda c: c[2]),
            ):
                if variant != every:
                    text.unit(variant)


_PDF_MAX_COVERS = 500  # filled shapes after text on one page that are checked for hiding it


def _pdf_box(path, ctm) -> tuple[float, float, float, float] | None:
    """The bounding box on the page of a path's points."""
    a, b, c, d, e, f = ctm
    points = [
        (a * x + c * y + e, b * x + d * y + f)
        for segment in path
        for x, y in zip(segment[1::2], segment[2::2], strict=False)
    ]
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _pdf_intersection(one, other):
    if one is None or other is None:
        return other if one is None else one
    return (
        max(one[0], other[0]),
        max(one[1], other[1]),
        min(one[2], other[2]),
        min(one[3], other[3]),
    )


def _pdf_inside(char, box) -> bool:
    if box is None:
        return True
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _pdf_covered(char, index: int, covers) -> bool:
    """Whether a shape filled after the character (`index`) covers its middle."""
    return any(box and after > index and _pdf_inside(char, box) for box, after in covers)


def _pdf_white(colour) -> bool:
    if isinstance(colour, (int, float)):
        return colour >= 0.99  # grey
    if isinstance(colour, (list, tuple)) and len(colour) == 3:
        return all(isinstance(c, (int, float)) and c >= 0.99 for c in colour)  # RGB
    if isinstance(colour, (list, tuple)) and len(colour) == 4:
        return all(isinstance(c, (int, float)) and c <= 0.01 for c in colour)  # CMYK
    return False


def _pdf_lines(chars: list[tuple]) -> list[list[tuple]]:
    """The characters by line: top to bottom, a line's characters on one baseline (within
    half their size)."""
    lines: list[list[tuple]] = []
    baseline = None
    for entry in sorted(chars, key=lambda c: (-round(c[0].y0), c[0].x0)):
        char = entry[0]
        if baseline is None or abs(char.y0 - baseline) > max(char.size, 1) / 2:
            lines.append([])
            baseline = char.y0
        lines[-1].append(entry)
    return lines


def _pdf_line(line: list[tuple], pick) -> str:
    """A line's characters left to right (those `pick` gives text for), a space where a word
    gap is, apart where a column gap is."""
    out: list[str] = []
    before = None
    for entry in sorted(line, key=lambda c: c[0].x0):
        shown = pick(entry)
        if shown is None:
            continue
        char = entry[0]
        if before is not None:
            gap = (char.x0 - before.x1) / max(char.size, 1)
            out.append(_APART if gap > _PDF_COLUMN_GAP else " " if gap > _PDF_WORD_GAP else "")
        out.append(shown)
        before = char
    return "".join(out)


def _pdf_objects(reader, text: _Text) -> None:
    """Every string reachable from the PDF's catalog and its document information, each a
    value of its own; XMP metadata, XFA form data and annotations' appearances read as well.
    Page contents, fonts and pictures are streams whose data is not read here."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        FloatObject,
        IndirectObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    stack = [reader.trailer.get("/Info"), reader.trailer.get("/Root")]
    info = _pdf_get(reader.trailer, "/Info")
    if isinstance(info, DictionaryObject):  # its values are shown as they are, numbers too
        for value in info.values():
            if isinstance(value.get_object(), (NumberObject, FloatObject)):
                text.value(str(value.get_object()))
    seen = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited % 1000 == 0:
            text.check_time()
            if visited > MAX_PDF_OBJECTS:
                raise Refused("file_too_complex")
        if isinstance(item, DictionaryObject):
            if (
                "/EF" in item
                or "/EmbeddedFiles" in item
                or _pdf_get(item, "/Type") == "/EmbeddedFile"
                or _pdf_get(item, "/Subtype") in _PDF_HIDDEN_ANNOTATIONS
            ):
                raise Refused("file_hidden_content")
            if "/JS" in item or "/JavaScript" in item or _pdf_get(item, "/S") == "/JavaScript":
                raise Refused("file_hidden_content")  # scripts, the PDF's macros
            if isinstance(item, StreamObject) and (
                _pdf_get(item, "/Type") == "/Metadata" or _pdf_get(item, "/Subtype") == "/XML"
            ):
                _read_markup(item.get_data(), text, all_attributes=True)
            for key, value in item.items():
                if key == "/XFA":
                    _pdf_xfa(value, text)
                elif key == "/AP":
                    _pdf_appearances(value, reader, text)
                elif key in ("/V", "/DV") and isinstance(value, (NumberObject, FloatObject)):
                    text.value(str(value))  # a form field's number
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, TextStringObject):
            text.value(str(item))
        elif isinstance(item, ByteStringObject):
            text.value(bytes(item).decode("latin-1"))


def _pdf_get(dictionary, key: str):
    """dictionary[key] resolved, or None (pypdf's get() returns references unresolved)."""
    value = dictionary.get(key)
    return value.get_object() if value is not None else None


def _read_markup(data: bytes, text: _Text, *, all_attributes: bool = False) -> None:
    """An XML stream of a PDF (XMP metadata, XFA form data); as loose markup if it is not
    well-formed, as some PDF producers write it."""
    try:
        _read_xml(io.BytesIO(data), text, all_attributes=all_attributes)
    except expat.ExpatError:
        _read_loose_markup(data, text)


def _pdf_xfa(value, text: _Text) -> None:
    """XFA form data: one stream, or an array of names and streams."""
    from pypdf.generic import ArrayObject, StreamObject

    value = value.get_object()
    parts = value if isinstance(value, ArrayObject) else [value]
    for part in parts:
        part = part.get_object()
        if isinstance(part, StreamObject):
            _read_markup(part.get_data(), text)


def _pdf_appearances(value, reader, text: _Text) -> None:
    """The text an annotation shows (its appearance streams), which need not be its /Contents:
    the strings of its text operators, read as they are (no font's encoding)."""
    from pypdf.errors import LimitReachedError
    from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject, StreamObject

    streams = []
    pending = [value]
    for _step in range(64):  # /N, /R, /D, each a stream or a few states' streams
        if not pending:
            break
        item = pending.pop().get_object()
        if isinstance(item, StreamObject):
            streams.append(item)
        elif isinstance(item, DictionaryObject):
            pending.extend(item.values())
    for stream in streams:
        try:
            operations = ContentStream(stream, reader).operations
        except LimitReachedError:
            raise
        except Exception:  # noqa: BLE001 - a viewer cannot show a damaged appearance either
            continue
        pieces = []
        for operands, operator in operations:
            if operator not in _PDF_SHOW_TEXT:
                continue
            for operand in operands:
                items = operand if isinstance(operand, ArrayObject) else [operand]
                for item in items:
                    if isinstance(item, bytes):
                        pieces.append(item.decode("latin-1"))
                    elif isinstance(item, str) and not isinstance(item, NameObject):
                        pieces.append(item)
        text.unit("".join(pieces))
        text.check_time()
