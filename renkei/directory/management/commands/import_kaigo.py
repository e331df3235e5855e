"""Import 介護サービス情報公表システム open-data files (jigyosho_<code>.csv), one transaction per file."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from renkei.directory.importing import ImportFileError, import_kaigo_file


class Command(BaseCommand):
    help = "介護サービス情報公表システムのオープンデータ（jigyosho_<サービスコード>.csv）を取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="jigyosho_<コード>.csv（UTF-8 BOM または Shift_JIS）")
        parser.add_argument("--service-code", help="ファイル名にコードがないときのサービスコード（例：130）")
        parser.add_argument("--as-of", type=date.fromisoformat, help="データの時点（YYYY-MM-DD）")

    def handle(self, *args, **options):
        failed = []
        for path in options["files"]:
            try:
                result = import_kaigo_file(path, service_code=options["service_code"], source_date=options["as_of"])
            except ImportFileError as error:
                self.stderr.write(self.style.ERROR(f"{path}: 取り込みませんでした。{error}"))
                failed.append(path)
                continue
            self.stdout.write(self.style.SUCCESS(result.summary()))
            for message in result.messages:
                self.stdout.write(f"  {message}")
        if failed:
            raise CommandError(f"{len(failed)} 件のファイルを取り込めませんでした：{', '.join(failed)}")
