"""Fixtures of the records and reports tests: a logged-in municipal staff member."""
import pytest

from .factories import staff_user


@pytest.fixture
def staff(login):
    """A municipal staff member, logged in with the second factor."""
    user = staff_user()
    login(user)
    return user
