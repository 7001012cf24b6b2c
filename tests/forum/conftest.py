import pytest

from forum.moderation.scan import CODE, Scan, scan_database


@pytest.fixture(autouse=True)
def _nothing_identifying_stored(request):
    """After every random-input test, whatever it got stored is read back as the scan would
    read it: no personal identification code may be anywhere in the database, however the
    input disguised it (DESIGN.md, "Privacy of children")."""
    yield
    module = request.module.__name__.rpartition(".")[2]
    if not (module == "test_bad_input" or module.startswith("test_fuzz_")):
        return
    if "db" not in request.fixturenames and "django_db_setup" not in request.fixturenames:
        return
    scan = Scan()
    scan_database(scan)
    assert [hit for hit in scan.hits if hit.problem == CODE] == []
