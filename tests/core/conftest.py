"""Fixtures of the facility administrator's tests: the facility world (tests/core/facility_world.py) and its
administrator signed in."""
import pytest

from tests.core import facility_world


@pytest.fixture
def w():
    return facility_world.build()


@pytest.fixture
def admin_client(login, w):
    return login(w.admin)
