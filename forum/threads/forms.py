"""Form parts both kinds of thread share: where, for whom and under which tags, and the list
filters. They only validate; free text runs the privacy guard."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.core.tags import normalize_tags
from forum.members.models import Organization


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


class MunicipalitySelect(forms.Select):
    """Municipalities, each option naming its county (`county_field` of it, as the county list
    names counties), so that forum/static/forum/forms.js can show only the chosen county's."""

    def __init__(self, *, county_field: str = "pk", county_id: str = "id_county"):
        super().__init__(attrs={"data-county-from": county_id})
        self.county_field = county_field

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        municipality = getattr(value, "instance", None)
        if municipality is not None:
            county = (
                municipality.county_id
                if self.county_field == "pk"
                else getattr(municipality.county, self.county_field)
            )
            option["attrs"]["data-county"] = str(county)
        return option


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
        widget=MunicipalitySelect(),
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


def slug_filter(label, queryset, **kwargs) -> forms.ModelChoiceField:
    """A list filter naming its choice by slug in the address; "All" when empty."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
        **kwargs,
    )


class ThreadFilterForm(forms.Form):
    """A thread list's filters (GET), shared by issues and discussions; unknown values are
    ignored rather than refused. Each kind adds its own filters and its `SORTS` ({key: (order,
    label)}, the first the default), and lists its whole `field_order`."""

    SORTS: dict

    q = forms.CharField(label=_("Words in the title"), required=False, max_length=100)
    county = slug_filter(_("County"), County.objects.all())
    theme = slug_filter(_("Theme"), Theme.objects.all())
    organization = slug_filter(_("Organisation"), Organization.objects.members())
    sort = forms.ChoiceField(label=_("Order"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(key, label) for key, (_order, label) in self.SORTS.items()]

    def in_use(self) -> int:
        """How many filters narrow the list (the order is not one)."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name, value in self.cleaned_data.items() if value and name != "sort")

    def order(self):
        """The chosen order's fields (the default's when none or an unknown one is chosen)."""
        chosen = self.cleaned_data.get("sort") if self.is_bound else None
        return self.SORTS.get(chosen or next(iter(self.SORTS)))[0]


class ListFilters:
    """A thread list's filters as its address gives them: `form`, the `cleaned` values, how many
    are `in_use` and the `order`. An address without any (the list as first opened) builds the
    form only if its fields are rendered, which their cached fragment spares: a form deep-copies
    every field and its queryset."""

    def __init__(self, form_class: type[ThreadFilterForm], data):
        if data:
            form = form_class(data)
            form.is_valid()
            self.form, self.cleaned, self.in_use = form, form.cleaned_data, form.in_use()
            self.order = form.order()
        else:
            self.form, self.cleaned, self.in_use = SimpleLazyObject(form_class), {}, 0
            self.order = next(iter(form_class.SORTS.values()))[0]

    def narrow(self, queryset, lookups: dict[str, str]):
        """`queryset` narrowed by each filter in use, through its lookup ({filter: lookup})."""
        for name, lookup in lookups.items():
            if self.cleaned.get(name):
                queryset = queryset.filter(**{lookup: self.cleaned[name]})
        return queryset
