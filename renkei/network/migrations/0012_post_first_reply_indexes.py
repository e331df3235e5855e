# Built concurrently on PostgreSQL (posts keep coming in), as 0011.

from django.db import migrations, models

from renkei.core.migration_ops import add_index_concurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('network', '0011_post_important_index'),
    ]

    operations = [
        add_index_concurrently(
            'network', 'post',
            models.Index(condition=models.Q(('channel', 'team'), ('important', True), ('parent__isnull', True),
                                            ('retracted_at__isnull', True)),
                         fields=['patient', 'created_at', 'id', 'author'], name='post_open_important_idx'),
        ),
        add_index_concurrently(
            'network', 'post',
            models.Index(condition=models.Q(('parent__isnull', False), ('retracted_at__isnull', True)),
                         fields=['parent', 'created_at', 'author'], name='post_open_reply_idx'),
        ),
    ]
