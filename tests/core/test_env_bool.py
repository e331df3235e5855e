"""Boolean settings: a true or false word, or empty for the default; anything else stops start-up."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from renkei.settings import env_bool

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "TRUE", " On "])
def test_it_reads_true_words(monkeypatch, word):
    monkeypatch.setenv("RENKEI_X", word)
    assert env_bool("RENKEI_X", False) is True


@pytest.mark.parametrize("word", ["0", "false", "no", "off", "False", " OFF "])
def test_it_reads_false_words(monkeypatch, word):
    monkeypatch.setenv("RENKEI_X", word)
    assert env_bool("RENKEI_X", True) is False


def test_an_unset_variable_is_the_default(monkeypatch):
    monkeypatch.delenv("RENKEI_X", raising=False)
    assert env_bool("RENKEI_X", True) is True


def test_an_empty_variable_is_the_default(monkeypatch):
    monkeypatch.setenv("RENKEI_X", "")
    assert env_bool("RENKEI_X", True) is True


@pytest.mark.parametrize("word", ["ture", "enabled", "2", "y es"])
def test_it_refuses_a_word_that_is_neither(monkeypatch, word):
    monkeypatch.setenv("RENKEI_X", word)
    with pytest.raises(ImproperlyConfigured, match="RENKEI_X"):
        env_bool("RENKEI_X", True)


def test_a_misspelt_axes_enabled_stops_start_up(tmp_path):
    env = os.environ | {"AXES_ENABLED": "ture", "RENKEI_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "AXES_ENABLED='ture'" in result.stderr
