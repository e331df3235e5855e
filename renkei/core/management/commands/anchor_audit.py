"""Write an anchor of the audit trail: the last row of every chain, so deleting one is detected (run every minute)."""
from typing import Any

from django.core.management.base import BaseCommand

from renkei.core.audit import anchor


class Command(BaseCommand):
    help = "監査ログの各チェーンの末尾を錨として記録します（毎分の実行を推奨）。"

    def handle(self, *args: Any, **options: Any) -> None:
        row = anchor()
        self.stdout.write(f"anchor {row.id}: {len(row.heads)} chains")
