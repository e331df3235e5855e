"""Load the demo data set of every app, in dependency order. Idempotent."""
import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Apps in the order their demo data depends on each other.
DEMO_APPS = ["core", "directory", "network", "medication", "sheets", "careplans", "records", "programs", "reports"]


class Command(BaseCommand):
    help = "デモデータを読み込みます（RENKEI_DEMO=1 のときのみ。何度実行しても同じ結果になります）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("RENKEI_DEMO=1 のときだけデモデータを読み込めます。")
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"renkei.{app}.demo")
            except ModuleNotFoundError as missing:
                if missing.name != f"renkei.{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"{app}: demo data loaded"))
