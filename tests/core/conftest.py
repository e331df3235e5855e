import pytest

from renkei.core.models import Profession
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    """A municipal staff member (市職員) with the second factor enrolled."""
    return UserFactory(username="staff", name="市役 花子", is_municipal_staff=True, profession=Profession.MUNICIPAL)


@pytest.fixture
def staff_client(login, staff):
    return login(staff)
