"""Backup and restore of everything: the database and every private file, in one encrypted archive.

- `archive`: the encrypted file format (AES-256-GCM in authenticated chunks) and the operator's key;
- `files`: which rows point at private files, their digests, and the check of missing or altered files;
- `database`: a consistent snapshot of the database and its restore (SQLite backup API, pg_dump/pg_restore);
- `service`: `create_backup()` and `restore_backup()`, called by the management commands.
"""
