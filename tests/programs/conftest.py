import pytest

from tests.programs.factories import StaffFactory


@pytest.fixture
def staff(login):
    """A municipal staff member, logged in with the second factor."""
    user = StaffFactory()
    login(user)
    return user
