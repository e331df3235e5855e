"""Reinstall the post-tally triggers and rebuild the tally of team posts per patient and fiscal year."""
from typing import Any

from django.core.management.base import BaseCommand

from renkei.network import tally
from renkei.reports.cache import bump as bump_report_version


class Command(BaseCommand):
    help = "年度別投稿数の集計（トリガー）を作り直し、投稿から数え直します（TIME_ZONE の変更後などに）。"

    def handle(self, *args: Any, **options: Any) -> None:
        tally.install()
        rows = tally.recount()
        bump_report_version("network.Post")  # the cached post tallies of every city are recounted
        self.stdout.write(f"年度別投稿数を数え直しました（{rows} 行）。")
