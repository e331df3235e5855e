"""Fill an empty database and an empty PRIVATE_MEDIA_ROOT from a backup archive, and verify everything."""
import tarfile
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.core.backup import archive, database
from renkei.core.backup.service import RestoreError, load_key, restore_backup


class Command(BaseCommand):
    help = "バックアップから空のデータベースと空の PRIVATE_MEDIA_ROOT へ復元し、監査チェーン・件数・全ファイルを検証します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive written by `manage.py backup`")
        parser.add_argument("--key-file", help="the backup key (default: BACKUP_KEY_FILE, then BACKUP_KEY)")

    def handle(self, *args: Any, path: str, key_file: str | None = None, **options: Any) -> None:
        try:
            result = restore_backup(path, key=load_key(key_file))
        except (RestoreError, archive.ArchiveError, database.DatabaseError, tarfile.TarError, OSError, ValueError,
                KeyError) as error:
            raise CommandError(f"restore failed, nothing was restored: {error}")
        self.stdout.write(self.style.SUCCESS(
            f"restored the backup of {result.manifest['created_at']}: {result.rows} rows, {result.files} files; "
            "audit chain, row counts and every file's sha256 verified"
        ))
