# The audit trail's (actor, created_at) index, built concurrently on PostgreSQL: every request appends to the
# trail, so a plain CREATE INDEX would hold them all for as long as the build takes.

from django.db import migrations, models

from renkei.core.migration_ops import add_index_concurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('core', '0008_audit_chains'),
    ]

    operations = [
        add_index_concurrently('core', 'auditevent',
                               models.Index(fields=['actor', 'created_at'], name='audit_actor_time_idx')),
    ]
