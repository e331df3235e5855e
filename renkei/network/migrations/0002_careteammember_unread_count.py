"""Per-member unread counter for the patient list, backfilled from the read receipts in one aggregate UPDATE."""
from django.db import migrations, models

# A copy of renkei.network.unread.RECOUNT_ALL_SQL as it was when this migration was written.
BACKFILL = """
UPDATE network_careteammember SET unread_count = a.n
FROM (
    SELECT tm.id AS member_id, COUNT(*) AS n
    FROM network_careteammember tm
    JOIN network_post p ON p.patient_id = tm.patient_id AND p.channel = 'team' AND p.retracted_at IS NULL
        AND (p.author_id IS NULL OR p.author_id <> tm.user_id)
    LEFT JOIN network_postread r ON r.post_id = p.id AND r.user_id = tm.user_id
    WHERE r.id IS NULL
    GROUP BY tm.id
) a
WHERE network_careteammember.id = a.member_id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='careteammember',
            name='unread_count',
            field=models.IntegerField(default=0, editable=False, verbose_name='未読数'),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
