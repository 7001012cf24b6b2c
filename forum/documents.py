"""Documents attached to discussions: checked before they are accepted, stored as Wagtail
documents in the forum's private collection and served to members only (the
`before_serve_document` hook in wagtail_hooks.py, Wagtail's serve view, never /media/).

A file is accepted only if its name has an allowed extension, it is not too large, its content
is what the extension says, its text can be read and contains no personal identification code
(isikukood): the forum must never become a register of identifiable children."""

import io
import os
import re
import zipfile
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .privacy import find_isikukood

# Extension -> type name shown to people. A narrower list than WAGTAILDOCS_EXTENSIONS (the
# editors' public documents): only types whose text can be read and checked for a code.
ALLOWED_TYPES = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "xlsx": "XLSX", "txt": "TXT"}
MAX_FILES = 5
FORUM_COLLECTION_NAME = "Foorumi failid"

# The main part each zip-based format must contain.
_ZIP_MAIN_PART = {"docx": "word/document.xml", "odt": "content.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Decompressed XML read from one file at most: a small zip can unpack to gigabytes.
_MAX_XML_BYTES = 100 * 1024 * 1024
_DOCX_PARTS = re.compile(
    r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps/core\.xml"
)
_ODT_PARTS = re.compile(r"content\.xml|styles\.xml|meta\.xml")
_XLSX_PARTS = re.compile(r"xl/sharedStrings\.xml|xl/worksheets/[^/]+\.xml|docProps/core\.xml")


class Unreadable(Exception):
    """The file's content cannot be read (encrypted, damaged, or too large once unpacked)."""


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
    if not _content_matches(ext, data):
        raise ValidationError(
            _(
                "The content of the file “%(name)s” is not %(type)s. Save the file as %(type)s "
                "and attach it again."
            ),
            code="file_content",
            params={"name": name, "type": ALLOWED_TYPES[ext]},
        )
    try:
        text = extract_text(ext, data)
    except Unreadable:
        raise ValidationError(
            _(
                "The file “%(name)s” could not be read: it may be protected with a password or "
                "damaged. Save it again without a password and attach it again."
            ),
            code="file_unreadable",
            params={"name": name},
        ) from None
    if find_isikukood(text):
        raise ValidationError(
            _(
                "The file “%(name)s” contains a personal identification code (isikukood). "
                "Remove it from the file and attach it again: the forum must never identify a "
                "child."
            ),
            code="isikukood",
            params={"name": name},
        )


def _content_matches(ext: str, data: bytes) -> bool:
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext == "txt":
        return b"\x00" not in data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if _ZIP_MAIN_PART[ext] not in names:
                return False
            if ext == "odt" and "mimetype" in names:
                return archive.read("mimetype").strip() == _ODT_MIMETYPE
            return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return False


def extract_text(ext: str, data: bytes) -> str:
    """The readable text of a file of type `ext` (already checked by _content_matches)."""
    if ext == "txt":
        return _decode_text(data)
    if ext == "pdf":
        return _pdf_text(data)
    parts = {"docx": _DOCX_PARTS, "odt": _ODT_PARTS, "xlsx": _XLSX_PARTS}[ext]
    return _zip_xml_text(data, parts)


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1257")  # Baltic Windows, still common in Estonian offices
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            # Only an empty user password (an "owner-restricted" PDF) can be read here.
            raise Unreadable
        texts = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata or {}
        texts.extend(str(value) for value in metadata.values())
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - any damage in a PDF means "cannot be read"
        raise Unreadable from error
    return "\n".join(texts)


def _zip_xml_text(data: bytes, parts: re.Pattern) -> str:
    texts = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if parts.fullmatch(info.filename)]
            if sum(info.file_size for info in members) > _MAX_XML_BYTES:
                raise Unreadable
            for info in members:
                with archive.open(info) as stream:
                    texts.extend(_xml_units(stream))
    except Unreadable:
        raise
    except (zipfile.BadZipFile, expat.ExpatError, OSError, EOFError, ValueError, RuntimeError) as e:
        # RuntimeError: an encrypted zip member.
        raise Unreadable from e
    return "\n".join(texts)


_UNIT_TAGS = frozenset({"p", "h", "si", "c", "title", "subject", "creator", "description"})
_SPACE_TAGS = frozenset({"tab", "br", "cr", "s", "line-break"})


def _xml_units(stream) -> list[str]:
    """Text of each paragraph (DOCX w:p, ODT text:p/text:h), shared string (XLSX si), cell
    (XLSX c) and title or author: runs inside a unit are joined, so a code split over
    formatting runs is still found. Expat directly (ElementTree builds a tree ten times
    slower); a document type declaration, which no office file has, is refused: no entity
    tricks."""
    units, buffer = [], []
    cell_types = []

    def start(name, attributes):
        tag = name.rpartition(":")[2]
        if tag == "c":
            cell_types.append(attributes.get("t"))
        elif tag in _SPACE_TAGS:
            buffer.append(" ")

    def end(name):
        tag = name.rpartition(":")[2]
        if tag in _UNIT_TAGS:
            text = "".join(buffer)
            buffer.clear()
            if tag == "c":
                text = _cell_text(text, cell_types.pop() if cell_types else None)
            units.append(text)

    def refuse(*args):
        raise Unreadable

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = buffer.append
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ParseFile(stream)
    units.append("".join(buffer))
    return units


def _cell_text(text: str, cell_type: str | None) -> str:
    """A spreadsheet cell's value; a number stored as 3.7605030299E10 is written out whole."""
    text = text.strip()
    if cell_type in (None, "n") and "E" in text.upper():
        try:
            number = Decimal(text)
            if number == number.to_integral_value() and abs(number) < Decimal(10) ** 20:
                return str(int(number))
        except (InvalidOperation, ValueError):
            pass
    return text


def _in_forum_collection() -> Q:
    # The forum collection is the root's child of that name (see forum_collection); a filter
    # rather than its id keeps the policy free of queries and of a collection not yet made.
    return Q(collection__name=FORUM_COLLECTION_NAME, collection__depth=2)


class ForumDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for documents, except that the forum's attachments are out of reach in
    the admin for everyone but coordinators: editors' rights on the root collection would
    otherwise cover the forum collection below it (list, choose, edit, delete, upload into)."""

    def _hide_forum(self, user) -> bool:
        from .permissions import is_coordinator

        return not is_coordinator(user)

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        return documents.exclude(_in_forum_collection()) if self._hide_forum(user) else documents

    def user_has_any_permission_for_instance(self, user, actions, instance):
        collection = instance.collection
        in_forum = collection.name == FORUM_COLLECTION_NAME and collection.depth == 2
        if in_forum and self._hide_forum(user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def collections_user_has_any_permission_for(self, user, actions):
        collections = super().collections_user_has_any_permission_for(user, actions)
        if self._hide_forum(user):
            collections = collections.exclude(name=FORUM_COLLECTION_NAME, depth=2)
        return collections


def document_permission_policy():
    from wagtail.documents import get_document_model_string

    return ForumDocumentPermissionPolicy(
        get_document_model_string(),
        auth_model="wagtaildocs.Document",
        owner_field_name="uploaded_by_user",
    )


def forum_collection():
    """The private collection under the root that holds every forum attachment, signed-in
    readers only (a LOGIN restriction: Wagtail itself sends visitors to sign in); which
    members may read a file is decided by the before_serve_document hook."""
    from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=FORUM_COLLECTION_NAME).first()
    if collection is None:
        try:
            with transaction.atomic():
                collection = root.add_child(instance=Collection(name=FORUM_COLLECTION_NAME))
        except IntegrityError:
            # Another request created it at the same moment (the tree path is unique).
            collection = root.get_children().get(name=FORUM_COLLECTION_NAME)
    if not CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=BaseViewRestriction.LOGIN
    ).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.LOGIN
        )
    return collection


def attach_documents(*, discussion, files, user) -> list:
    """Store accepted uploads (AttachmentField's list) as documents of `discussion`. Call inside
    the service's transaction: a failure stores none of them."""
    from wagtail.documents import get_document_model

    from .models import DiscussionDocument

    Document = get_document_model()
    collection = forum_collection()
    attachments = []
    for upload in files:
        upload.seek(0)
        title = os.path.splitext(os.path.basename(upload.name))[0] or upload.name
        document = Document(
            title=title[:255], file=upload, collection=collection, uploaded_by_user=user
        )
        document._set_document_file_metadata()
        document.save()
        attachments.append(
            DiscussionDocument.objects.create(
                discussion=discussion, document=document, uploaded_by=user
            )
        )
    return attachments
