"""Write one encrypted archive of the database and every private file (see docs/operations.md, "Backup and restore")."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.core.backup import archive, database
from renkei.core.backup.service import create_backup, load_key


class Command(BaseCommand):
    help = "データベースと全ての非公開ファイルを、暗号化した1つのアーカイブに書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive to write (replaced when it exists)")
        parser.add_argument("--key-file", help="the backup key (default: BACKUP_KEY_FILE, then BACKUP_KEY)")
        parser.add_argument("--no-encrypt", action="store_true",
                            help="write the archive unencrypted (only for a copy that is encrypted elsewhere)")

    def handle(self, *args: Any, path: str, key_file: str | None = None, no_encrypt: bool = False,
               **options: Any) -> None:
        try:
            key = None if no_encrypt else load_key(key_file)
            if key is None and not no_encrypt:
                raise CommandError("no backup key: set BACKUP_KEY or BACKUP_KEY_FILE (make one with "
                                   "`manage.py backup_keygen`), or pass --no-encrypt explicitly")
            result = create_backup(path, key=key)
        except (archive.ArchiveError, database.DatabaseError, OSError) as error:
            raise CommandError(f"backup failed: {error}")
        manifest = result.manifest
        self.stdout.write(f"{result.path}: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} "
                          f"tables, {len(manifest['files'])} files, audit chain head {manifest['audit_chain']['last_id']}")
        for entry in result.missing:
            self.stderr.write(f"MISSING {entry['path']} ({', '.join(entry['rows'])})")
        for entry in result.altered:
            self.stderr.write(f"ALTERED {entry['path']} ({', '.join(entry['rows'])})")
        if result.missing or result.altered:
            raise CommandError(f"the archive was written, but {len(result.missing)} files were missing and "
                               f"{len(result.altered)} altered before the backup (run `manage.py check_files`)")
