import pytest


@pytest.fixture(scope="session", autouse=True)
def _report_database_vendor(record_testsuite_property):
    """CI reads this from the JUnit report to prove which database the run used."""
    from django.db import connection

    record_testsuite_property("database_vendor", connection.vendor)
