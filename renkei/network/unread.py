"""Per-member unread counters (CareTeamMember.unread_count), kept exact by the services that change them.

The patient list shows, for each patient, how many posts of the team timeline the caller has not read:
team-channel posts, not retracted, not written by the caller, without the caller's read receipt.
Counting that per request (an anti-join of every post of every patient against the read receipts) is
the most expensive part of the list, so each membership row carries the number and these functions
change it inside the transaction of the write that changes the truth:

- a new team post (any kind, notices included): +1 for every member row of the patient but the author's;
- a read receipt for a counted post: -1 for the reader's row, once (the insert that actually happened);
- a retraction: -1 for every member row that had not read the post (the author's own never counted);
- a new member row starts at the count computed for it (a member who joins later sees the history unread).

Rows of every status are kept (a removed member who is invited back finds the true number).
`recount()` recomputes the numbers from the receipts in one statement (data migration, bulk loads,
`manage.py recount_unread`).

This is the one mechanism: the models' save() keeps no counters, so a write outside renkei/network/services/
(the demo loader, the benchmark's COPY) runs `recount()` / `recount_all()` afterwards.
"""
import datetime
from collections.abc import Collection, Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CareTeamMember, Channel, Post, PostRead


def counts(post: Post) -> bool:
    """Whether a post is counted as unread for the members of its patient's team."""
    return post.patient_id is not None and post.channel == Channel.TEAM and post.retracted_at is None


def unread_posts(user_id: int) -> QuerySet[Post]:
    """The team posts a user has not read (the definition the counters follow)."""
    read = PostRead.objects.filter(post=OuterRef("pk"), user_id=user_id)
    return Post.objects.filter(channel=Channel.TEAM, retracted_at__isnull=True).filter(
        ~Q(author_id=user_id) | Q(author__isnull=True)
    ).exclude(Exists(read))


def initial_count(*, patient_id: int, user_id: int) -> int:
    """The unread count of a member row about to be created."""
    return unread_posts(user_id).filter(patient_id=patient_id).count()


# The one statement every new post runs (written out: the ORM compiled the same UPDATE anew for each post).
_POST_ADDED_SQL = "UPDATE network_careteammember SET unread_count = unread_count + 1 WHERE patient_id = %s"


def post_added(post: Post) -> None:
    """A new post: one more unread post for every member of the team but its author."""
    if counts(post) and post.patient_id is not None:  # counts() checks the patient too; said for the type checker
        with connection.cursor() as cursor:
            if post.author_id is None:
                cursor.execute(_POST_ADDED_SQL, [post.patient_id])
            else:
                cursor.execute(f"{_POST_ADDED_SQL} AND user_id <> %s", [post.patient_id, post.author_id])


def post_retracted(post: Post) -> None:
    """A retracted post (call before or after setting retracted_at): no longer unread for anyone."""
    if post.patient_id is None or post.channel != Channel.TEAM:
        return
    read = PostRead.objects.filter(post_id=post.pk, user_id=OuterRef("user_id"))
    members = CareTeamMember.objects.filter(patient_id=post.patient_id).exclude(Exists(read))
    if post.author_id is not None:
        members = members.exclude(user_id=post.author_id)
    members.update(unread_count=F("unread_count") - 1)


def receipts_added(*, user_id: int, post_ids: Collection[int], posts: Iterable[Post]) -> None:
    """Read receipts were inserted for `post_ids` (only those actually new): one less unread each."""
    by_patient: dict[int, int] = {}
    for post in posts:
        if post.pk in post_ids and counts(post) and post.author_id != user_id and post.patient_id is not None:
            by_patient[post.patient_id] = by_patient.get(post.patient_id, 0) + 1
    for patient_id, n in by_patient.items():
        CareTeamMember.objects.filter(patient_id=patient_id, user_id=user_id).update(unread_count=F("unread_count") - n)


_INSERT_AND_COUNT_SQL = """
WITH new AS (
    INSERT INTO network_postread (post_id, user_id, read_at) VALUES {values}
    ON CONFLICT (post_id, user_id) DO NOTHING RETURNING post_id
), counted AS (
    SELECT p.patient_id, COUNT(*) AS n FROM new JOIN network_post p ON p.id = new.post_id
    WHERE p.channel = 'team' AND p.retracted_at IS NULL AND (p.author_id IS NULL OR p.author_id <> %s)
    GROUP BY p.patient_id
), lowered AS (
    UPDATE network_careteammember SET unread_count = network_careteammember.unread_count - counted.n
    FROM counted WHERE network_careteammember.patient_id = counted.patient_id AND network_careteammember.user_id = %s
)
SELECT post_id FROM new
"""


def insert_receipts(*, user_id: int, posts: Iterable[Post]) -> set[int]:
    """Insert read receipts for the posts (ignoring ones that exist) and keep the counters exact.

    INSERT ... ON CONFLICT DO NOTHING RETURNING tells which receipts are new, so a post read twice
    (or by two requests at once) lowers the count once. On PostgreSQL the insert and the lowering
    are one statement; elsewhere two, in one transaction. Returns the ids of the new receipts.
    """
    posts = [p for p in posts if p.pk is not None]
    if not posts:
        return set()
    now = timezone.now()
    values = ", ".join(["(%s, %s, %s)"] * len(posts))
    params: list[int | datetime.datetime] = []
    for post in posts:
        params += [post.pk, user_id, now]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_AND_COUNT_SQL.format(values=values), [*params, user_id, user_id])
            return {row[0] for row in cursor.fetchall()}
    table = connection.ops.quote_name(PostRead._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (post_id, user_id, read_at) VALUES {values} "
            "ON CONFLICT (post_id, user_id) DO NOTHING RETURNING post_id",
            params,
        )
        new = {row[0] for row in cursor.fetchall()}
        receipts_added(user_id=user_id, post_ids=new, posts=posts)
    return new


# Every member row's count from one aggregate (hash joins, not a loop); first everything to 0, then the
# rows that have unread posts. Used by the data migration and `manage.py recount_unread`.
RECOUNT_ALL_SQL = [
    "UPDATE network_careteammember SET unread_count = 0 WHERE unread_count <> 0",
    """
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
""",
]


def recount_all() -> None:
    """Recompute every counter from the posts and read receipts (after bulk loads)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in RECOUNT_ALL_SQL:
            cursor.execute(sql)


def recount(*, patient_ids: Iterable[int] | None = None) -> int:
    """Recompute the counters from the read receipts (some patients) in one UPDATE."""
    read = PostRead.objects.filter(post=OuterRef("pk"), user_id=OuterRef(OuterRef("user_id")))
    unread = (
        Post.objects.filter(patient_id=OuterRef("patient_id"), channel=Channel.TEAM, retracted_at__isnull=True)
        .filter(~Q(author_id=OuterRef("user_id")) | Q(author__isnull=True)).exclude(Exists(read))
        .order_by().values("patient_id").annotate(n=Count("pk")).values("n")
    )
    members = CareTeamMember.objects.all()
    if patient_ids is not None:
        members = members.filter(patient_id__in=list(patient_ids))
    return members.update(unread_count=Coalesce(Subquery(unread), 0))
