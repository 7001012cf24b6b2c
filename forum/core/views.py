"""Helpers every forum view uses: the submitted data of a POST, and running a service whose
refusal lands on the form."""

from django.core.exceptions import ValidationError

PAGE_SIZE = 20


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _pk(value) -> int | None:
    """A row's id as a form posted it, or None for anything that cannot be one."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _apply(form, call, *args, **kwargs):
    """Run a service; a ValidationError it raises lands on the form. Returns the result or None."""
    try:
        return call(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None
