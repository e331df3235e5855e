"""Verify the hash chain of the audit trail; report the first altered or deleted row."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renkei.core.audit import verify_chain


class Command(BaseCommand):
    help = "監査ログのハッシュチェーンを検証し、最初に改ざん・削除された行を報告します。"

    def handle(self, *args: Any, **options: Any) -> None:
        ok, bad_id, message = verify_chain()
        if not ok:
            raise CommandError(f"TAMPERED: {message}")
        self.stdout.write(self.style.SUCCESS(message))
