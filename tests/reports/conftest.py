"""Fixtures of the reports tests: a logged-in municipal staff member of Musashino."""
import pytest

from .helpers import staff_of


@pytest.fixture
def staff(login):
    """A municipal staff member of Musashino (13203), logged in with the second factor."""
    user = staff_of()
    login(user)
    return user
