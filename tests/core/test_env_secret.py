"""env_secret reads a secret from NAME or from the file NAME_FILE names (container secrets)."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from renkei.settings import env_secret


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv("RENKEI_X_SECRET", raising=False)
    monkeypatch.delenv("RENKEI_X_SECRET_FILE", raising=False)


def test_the_value_of_the_variable_is_the_secret(monkeypatch):
    monkeypatch.setenv("RENKEI_X_SECRET", "s3cret")
    assert env_secret("RENKEI_X_SECRET") == "s3cret"


def test_the_content_of_the_file_is_the_secret_without_its_final_newline(monkeypatch, tmp_path):
    (tmp_path / "secret").write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("RENKEI_X_SECRET_FILE", str(tmp_path / "secret"))
    assert env_secret("RENKEI_X_SECRET") == "from-a-file"


def test_neither_set_gives_the_default():
    assert env_secret("RENKEI_X_SECRET") == ""
    assert env_secret("RENKEI_X_SECRET", "fallback") == "fallback"


def test_both_the_variable_and_the_file_set_stop_start_up(monkeypatch, tmp_path):
    (tmp_path / "secret").write_text("a", encoding="utf-8")
    monkeypatch.setenv("RENKEI_X_SECRET", "b")
    monkeypatch.setenv("RENKEI_X_SECRET_FILE", str(tmp_path / "secret"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("RENKEI_X_SECRET")


def test_a_missing_file_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("RENKEI_X_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="RENKEI_X_SECRET_FILE"):
        env_secret("RENKEI_X_SECRET")


def test_production_reads_its_secret_key_and_database_url_from_files(tmp_path):
    from tests.core.test_deploy_settings import _settings_in

    (tmp_path / "key").write_text("k" * 60 + "\n", encoding="utf-8")
    (tmp_path / "db").write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n", encoding="utf-8")
    secret_key, name = _settings_in(tmp_path, "SECRET_KEY", "DATABASES['default']['NAME']",
                                    SECRET_KEY="", SECRET_KEY_FILE=str(tmp_path / "key"),
                                    DATABASE_URL_FILE=str(tmp_path / "db"))
    assert secret_key == "k" * 60
    assert str(name).endswith("from-file.sqlite3")
