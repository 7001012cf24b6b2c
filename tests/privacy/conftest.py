# The forum's bad-input fixtures: a member, her client and a valid issue's form data.
from tests.forum.test_bad_input import issue_data, member, member_client  # noqa: F401
