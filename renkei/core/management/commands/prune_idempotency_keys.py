"""Delete the remembered answers of Idempotency-Key calls and form submissions older than 24 hours."""
from typing import Any

from django.core.management.base import BaseCommand

from renkei.core.idempotency import prune


class Command(BaseCommand):
    help = "期限（既定24時間）を過ぎた Idempotency-Key の記録を削除します。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{prune()} 件削除しました。")
