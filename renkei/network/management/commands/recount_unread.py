"""Recompute every care-team member's unread counter from the posts and read receipts (one aggregate UPDATE)."""
from typing import Any

from django.core.management.base import BaseCommand

from renkei.network import unread


class Command(BaseCommand):
    help = "ケアチームメンバーの未読数を投稿と既読記録から再計算します（一括読み込みの後などに）。"

    def handle(self, *args: Any, **options: Any) -> None:
        unread.recount_all()
        self.stdout.write("未読数を再計算しました。")
