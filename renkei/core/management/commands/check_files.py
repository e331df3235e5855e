"""Report every file row whose private file is missing or no longer has the sha256 recorded for it."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renkei.core.backup.files import check_files


class Command(BaseCommand):
    help = "ファイルが見つからない、または記録した sha256 と内容が異なるファイル行をすべて報告します。"

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_files()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} file rows have a missing or altered file")
        self.stdout.write(self.style.SUCCESS("every file row has its file, with the recorded sha256"))
