"""Forum forms: they only validate. Every form that takes free text runs the privacy guard."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.core.models import AgeGroup, County, Municipality
from forum.core.tags import normalize_tags


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id beyond the database's integers is an unknown choice (SQLite
    raises OverflowError for it in an `__in` lookup, a 500 otherwise)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # Django's own check refuses it with the right message
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PlaceAndTagsForm(forms.Form):
    """Where, for whom and under which tags: the fields issues and discussions share, with
    their checks. Subclasses list their whole `field_order`, as these come first otherwise."""

    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All of Estonia"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("county"),
        required=False,
        empty_label=_("The whole county"),
    )
    age_groups = ModelChoicesField(
        label=_("Age groups"),
        queryset=AgeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Up to 8, separated by commas, for example: koolikiusamine, vaimne tervis."),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )

    def clean_tags(self):
        return normalize_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        county, municipality = cleaned.get("county"), cleaned.get("municipality")
        if municipality and county and municipality.county_id != county.pk:
            self.add_error(
                "municipality",
                _("%(municipality)s is not in %(county)s.")
                % {"municipality": municipality, "county": county},
            )
        return cleaned

    @staticmethod
    def place_initial(thread) -> dict:
        """The shared fields' initial values from an issue or a discussion."""
        return {
            "county": thread.county,
            "municipality": thread.municipality,
            "age_groups": list(thread.age_groups.all()),
            "tags": ", ".join(sorted(thread.tags.names())),
        }
