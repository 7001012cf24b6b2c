"""Forms of discussions and their replies. They only validate; every free-text field, the
kind's own ones included, goes through the privacy guard as the issue form's do."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from forum.core.documents import AttachmentField
from forum.core.forms import MAX_BODY
from forum.core.markdown import MARKDOWN_HELP
from forum.core.models import Theme
from forum.core.privacy import PrivacyGuardMixin
from forum.discussions.models import Discussion, Reply
from forum.members.forms import OrganizationChoiceField, limit_to_organizations
from forum.threads.forms import PlaceAndTagsForm, ThreadFilterForm

KIND = Discussion.Kind


def _label(name: str):
    """The model field's name, as a form label."""
    return capfirst(Discussion._meta.get_field(name).verbose_name)


def _help(name: str):
    return Discussion._meta.get_field(name).help_text


def kind_from(value) -> str:
    """A kind from a query string or a submission; anything unknown is a question."""
    return value if value in KIND.values else KIND.QUESTION


class DiscussionForm(PrivacyGuardMixin, PlaceAndTagsForm):
    """Start or edit a discussion: the shared fields and the fields of its kind
    (Discussion.KIND_FIELDS); the other kinds' fields are not in the form at all."""

    DETAIL_LEGENDS = {
        KIND.PRACTICE: _("What came of it"),
        KIND.MATERIAL: _("About the material"),
        KIND.TRAINING: _("About the training need"),
        KIND.PARTNERS: _("About the partner search"),
    }

    field_order = [
        "kind", "organization", "title", "body",
        *(name for fields in Discussion.KIND_FIELDS.values() for name in fields),
        "theme", "county", "municipality", "age_groups", "tags", "files",
    ]  # fmt: skip

    kind = forms.ChoiceField(choices=KIND.choices, widget=forms.HiddenInput)
    organization = OrganizationChoiceField()
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    results = forms.CharField(
        label=_label("results"),
        help_text=_help("results"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    material_type = forms.ChoiceField(
        label=_label("material_type"),
        choices=[("", _("Choose"))] + Discussion.MaterialType.choices,
        required=False,
    )
    participants = forms.IntegerField(
        label=_label("participants"), min_value=1, max_value=32_767, required=False
    )
    partner_countries = forms.CharField(
        label=_label("partner_countries"),
        max_length=200,
        required=False,
        help_text=_("For example: Finland, Latvia, any EU country."),
    )
    programme = forms.CharField(
        label=_label("programme"), help_text=_help("programme"), max_length=200, required=False
    )
    deadline = forms.DateField(
        label=_label("deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.filter(active=True),
        required=False,
        empty_label=_("No particular theme"),
    )
    files = AttachmentField(
        label=_("Attach documents"),
        required=False,
        help_text=_(
            "PDF, DOCX, ODT, XLSX or TXT. Members of the network can download them; a file with "
            "a personal identification code is refused."
        ),
    )

    def __init__(self, *args, kind, organizations, discussion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.discussion = discussion
        self.kind = kind_from(discussion.kind if discussion else kind)
        own = Discussion.KIND_FIELDS[KIND(self.kind)]
        for fields in Discussion.KIND_FIELDS.values():
            for name in fields:
                if name not in own:
                    self.fields.pop(name, None)
        if discussion is not None:
            # A discussion keeps its kind: the submitted value is ignored.
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = discussion.kind
        else:
            self.fields["kind"].initial = self.kind
        if self.kind == KIND.PARTNERS:
            self.fields["partner_countries"].required = True
            self.fields["deadline"].required = True
        if self.kind == KIND.MATERIAL:
            self.fields["material_type"].required = True
        limit_to_organizations(self.fields["organization"], organizations)
        self.add_privacy_confirmation()

    @property
    def detail_legend(self):
        return self.DETAIL_LEGENDS.get(self.kind, "")

    @property
    def detail_fields(self):
        """The bound fields of this kind, in the order KIND_FIELDS gives them."""
        return [self[name] for name in Discussion.KIND_FIELDS[KIND(self.kind)]]

    @property
    def shared_fields(self):
        details = set(Discussion.KIND_FIELDS[KIND(self.kind)])
        return [field for field in self if field.name not in details]

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        unchanged = self.discussion is not None and deadline == self.discussion.deadline
        if deadline and deadline < timezone.localdate() and not unchanged:
            raise forms.ValidationError(
                _("The deadline has already passed. Give a date from today on."), code="past"
            )
        return deadline

    def details(self) -> dict:
        """The kind's own fields, as post_discussion and edit_discussion take them."""
        own = Discussion.KIND_FIELDS[KIND(self.kind)]
        return {name: self.cleaned_data.get(name) for name in own}

    @classmethod
    def initial_for(cls, discussion: Discussion) -> dict:
        initial = {
            "kind": discussion.kind,
            "organization": discussion.organization,
            "title": discussion.title,
            "body": discussion.body,
            "theme": discussion.theme,
            **cls.place_initial(discussion),
        }
        for name in discussion.kind_fields:
            initial[name] = getattr(discussion, name)
        return initial


class ReplyForm(PrivacyGuardMixin, forms.Form):
    body = forms.CharField(
        label=capfirst(Reply._meta.get_field("body").verbose_name),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_confirmation()


class DiscussionFilterForm(ThreadFilterForm):
    """The discussion list's filters (GET). Unknown values are ignored rather than refused."""

    SORTS = {
        "activity": (("-last_activity", "-pk"), _("Latest activity")),
        "new": (("-created", "-pk"), _("Newest")),
        "helpful": (("-helpful_count", "-created", "-pk"), _("Most helpful")),
    }

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "")] + KIND.choices, widget=forms.HiddenInput
    )
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True)

    field_order = ["kind", "q", "county", "theme", "organization", "tag", "sort"]
