"""Import 医療情報ネット open-data tables (facility table and its departments/hours table) as one snapshot."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from renkei.core.models import FacilityKind
from renkei.directory.importing import ImportFileError, import_iryo_files


class Command(BaseCommand):
    help = "医療情報ネット（ナビイ）のオープンデータ（施設票と診療科・診療時間票）を取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("facility_files", nargs="+", help="施設票（例：02-1_clinic_facility_info_20250601.csv）")
        parser.add_argument("--hours", action="append", default=[], help="診療科・診療時間票（例：02-2_clinic_speciality_hours_20250601.csv）")
        parser.add_argument("--kind", choices=FacilityKind.values, help="機関区分の列がないときの種別")
        parser.add_argument("--as-of", type=date.fromisoformat, help="データの時点（YYYY-MM-DD）")
        parser.add_argument("--keep-vanished", action="store_true", help="ファイルにない医療機関を廃止扱いにしない（部分ファイル用）")

    def handle(self, *args, **options):
        try:
            result = import_iryo_files(options["facility_files"], hours_paths=options["hours"], kind=options["kind"],
                                       source_date=options["as_of"], close_vanished=not options["keep_vanished"])
        except ImportFileError as error:
            raise CommandError(f"取り込みませんでした。{error}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
        for message in result.messages:
            self.stdout.write(f"  {message}")
