"""Only renkei/settings.py reads the environment and imports renkei.settings' helpers; the code reads
django.conf.settings."""
import ast
from pathlib import Path

import renkei

ROOT = Path(renkei.__file__).parent
# Not settings: wsgi.py names the settings module; the backup passes the process's environment on to
# pg_dump/pg_restore (plus the password) without reading anything from it.
ALLOWED = {"settings.py", "wsgi.py", "asgi.py", "core/backup/database.py"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name not in ALLOWED and "/migrations/" not in f"/{name}":
            yield name, ast.parse(path.read_text(encoding="utf-8"))


def test_no_module_but_settings_reads_the_environment():
    readers = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                readers.append(f"{name}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                alias.name in ("environ", "getenv") for alias in node.names
            ):
                readers.append(f"{name}:{node.lineno}")
    assert readers == []


def test_no_module_imports_renkei_settings_directly():
    importers = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("renkei.settings"):
                importers.append(f"{name}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "renkei" and any(
                alias.name == "settings" for alias in node.names
            ):
                importers.append(f"{name}:{node.lineno}")
            elif isinstance(node, ast.Import) and any(alias.name == "renkei.settings" for alias in node.names):
                importers.append(f"{name}:{node.lineno}")
    assert importers == []


def test_the_settings_the_apps_read_are_defined_in_settings():
    from django.conf import settings

    for name in ("DIRECTORY_AUTO_APPROVE", "DIRECTORY_CACHE_SECONDS", "REPORT_API_CACHE_SECONDS", "SITE_URL",
                 "BACKUP_KEY", "SENTRY_DSN", "DATABASE_URL", "REDIS_URL"):
        assert hasattr(settings, name), name
