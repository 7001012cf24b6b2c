"""How Vabamorf is loaded (search/estonian.py), and the search without it."""

import subprocess
import sys

from search import checks, estonian
from search.analysis import query_terms, terms

from . import blind


def test_only_the_analyser_is_loaded_never_estnltk_or_what_it_imports():
    code = (
        "import sys; from search import estonian; "
        "assert estonian.vabamorf() is not None; "
        "print(estonian.terms('lasteaiakohtadele')); "
        "print([m for m in ('estnltk', 'estnltk_core', 'pandas', 'nltk') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["['lasteaiakoht', 'lasteaed', 'koht']", "[]"]


def test_the_system_check_is_quiet_while_vabamorf_loads():
    assert checks.estonian_analyser_loads() == []


def test_without_vabamorf_the_search_stems_with_snowball_and_a_check_warns():
    with blind.without_vabamorf():
        assert [w.id for w in checks.estonian_analyser_loads()] == ["search.W001"]
        assert terms("lapsed") == terms("lapsed")  # no error, some stem
        assert terms("õigused") == terms("oigused")  # folded still
        assert query_terms("kiusamnie") == terms("kiusamnie")  # no speller
        assert estonian.spelling("kiusamnie") is None
    assert estonian.vabamorf() is not None
    assert "kiusamine" in query_terms("kiusamnie")
