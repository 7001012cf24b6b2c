"""The search's system checks."""

from django.core import checks

from . import estonian


@checks.register()
def estonian_analyser_loads(app_configs=None, **kwargs):
    """Without Vabamorf the search still works, on snowball's stems, but finds far fewer
    inflected forms and compounds (README, "Estonian search"): say so wherever the site runs."""
    if estonian.vabamorf() is not None:
        return []
    return [
        checks.Warning(
            "Vabamorf, the Estonian morphological analyser, cannot load: the search uses "
            "snowball's stems and finds fewer word forms and compounds.",
            hint="Install it as the Makefile does: pip install --no-deps 'estnltk>=1.7.5,<1.8', "
            "then rebuild the index (manage.py update_index).",
            id="search.W001",
        )
    ]
