"""The version of the report's data: part of the key of every cached report, bumped by every write
that can change a figure, so the report fetched right after a write already counts it.

Writes through the ORM (save, delete) bump it by signal, for the models listed in REPORT_MODELS
(what the figure sources and the report itself read). Code that writes those tables with
`QuerySet.update()` or `bulk_create()` (no signals) calls `bump()` itself. The bump runs when the
transaction commits: a reader that sees the new version also sees the new rows; a reader that built
the report from older rows stored it under the old version, which nobody asks for any more.

The version lives in the default cache: with Redis it is shared by every worker; without it each
process keeps its own cache, version included (one process per deployment, or tests).

The version is kept per model of REPORT_MODELS, each bumped by the writes to that model (`bump()` without a
model bumps EVERY, which every key includes): a write costs one increment in the cache, the whole report's
key is made of every model's version, and the API keeps each figure source's figures under the versions of
the models that source reads (reports/sources.py, SOURCE_READS), so a new timeline post recounts the sources
that read posts and reuses the others (docs/benchmark.md).
"""
import hashlib
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "reports:data-version"

# "app_label.Model" whose rows the report counts or shows (see reports/sources.py and selectors.py).
# Which city a row counts for also hangs on these: a facility's city, an affiliation, a patient's residence.
REPORT_MODELS = [
    "core.User", "core.Facility", "core.Affiliation", "network.Patient",
    "directory.FacilityProfile", "directory.ChangeRequest", "directory.ImportRun", "directory.ConsultationWindow",
    "directory.Capacity", "directory.ReferralRequest", "directory.ReferralAnswer",
    "network.Post", "network.CareTeamMember",
    "sheets.Sheet", "sheets.SheetDelivery", "sheets.BackBedRequest", "sheets.DementiaCase", "sheets.CaseConference",
    "programs.LinkageFeeClaim", "programs.RescueHelperApplication", "programs.RescueHelperVisit",
    "programs.RestartGrantApplication", "programs.EndOfLifeConsultation", "programs.EndingNoteDistribution",
    "programs.EndingNoteDownload", "programs.RescueHelperDispatch", "programs.ProgramRule",
    "records.Meeting", "records.Event", "records.Consultation", "records.PamphletDistribution",
    "records.RegionalActivity", "records.Body", "records.Pamphlet", "records.PamphletEdition",
    "reports.HistoricalFigure", "reports.ReportLine",
]
# Saves that touch only these fields change nothing the report counts (a login stamps last_login).
_IGNORED_FIELDS = frozenset({"last_login", "unread_count"})

# A part of a model's rows with a version of its own, for a source that reads only that part: every write to the
# model bumps it, except the writes that cannot touch the part. The posts are the most frequent write of the
# whole system, and a new post can move only two parts:
# - POST_THREADS: the important first posts and the replies (what the first-reply figure reads); a new plain
#   first post is neither, so it recounts the post tally but not the first replies;
# - "network.Post@<city id>": the posts of one city's patients (what the post tally counts for that city); a
#   new post moves its patient's city's. POST_ALL_CITIES moves with every other write of a post (an edit can
#   move a post to another patient), so a source reads both: POST_ALL_CITIES and POST_OF_CITY, which
#   sources.py resolves to the city whose figures it keeps.
POST_THREADS = "network.Post:threads"
POST_ALL_CITIES = "network.Post@*"
POST_OF_CITY = "network.Post@city"
FACETS = {"network.Post": (POST_THREADS, POST_ALL_CITIES)}


def of_city(label, city):
    """A declared label for the figures of one city (a city id): POST_OF_CITY becomes that city's posts."""
    return f"network.Post@{city}" if label == POST_OF_CITY else label


def model_of(label):
    """The model a label (a model, or one of its parts) versions."""
    return label.partition("@")[0].partition(":")[0]


# Many-to-many relations whose changes move figures between cities: an item (ク) activity's participants.
REPORT_RELATIONS = [("records.RegionalActivity", "participants")]


# The version every model's version includes: bumped by bump() called without a model (bulk writes).
EVERY = "*"


def model_key(label):
    """The cache key of one model's version ("app_label.Model", or EVERY)."""
    return f"{VERSION_KEY}:{label}"


def _labels():
    """Every versioned label: the report's models and their facets."""
    return [*REPORT_MODELS, *(facet for facets in FACETS.values() for facet in facets)]


def version():
    """The current data version: an integer that every write makes larger."""
    return sum(versions(_labels()))


def _start():
    """A version that starts now: the clock in milliseconds, above any value an evicted key had reached (a
    key gains one per write), so a key that comes back never repeats an earlier state's version."""
    return time.time_ns() // 1_000_000


def versions(labels):
    """(EVERY's version, then each model's) in one round trip to the cache; a missing one starts now."""
    keys = [model_key(EVERY)] + [model_key(label) for label in labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            found[key] = cache.get_or_set(key, _start, timeout=None)
    return tuple(found[key] for key in keys)


def _incr_key(key):
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (evicted, or never read): a version that starts now invalidates
        cache.set(key, _start(), timeout=None)


def _incr(labels=(EVERY,)):
    for label in labels:
        _incr_key(model_key(label))


def report_key(municipality, from_fy, to_fy):
    """The cache key of one city's report over a range, under the current data version: each city's report
    is cached apart, so one city's report is never served for another."""
    stamp = hashlib.sha256(repr(versions(_labels())).encode()).hexdigest()[:16]
    return f"reports:annual-json:{stamp}:{municipality.code}:{from_fy}:{to_fy}"


def bump(*labels: str) -> None:
    """Invalidate every cached report once the current transaction commits (at once outside one), and the
    cached figures of the sources that read `labels` ("app_label.Model", with its FACETS; none: of every source).

    robust: a cache that cannot be reached is logged, never turned into an error for a write that committed.
    """
    _bump_exactly(*(facet for label in labels for facet in (label, *FACETS.get(label, ()))))


def _bump_exactly(*labels: str) -> None:
    transaction.on_commit(lambda: _incr(labels or (EVERY,)), robust=True)


def _new_post_labels(post):
    """What a new post can move: the posts, its patient's city's posts, and the threads if it is important or a
    reply. None (move every part) when its patient is not at hand to tell the city without a query."""
    labels = ["network.Post"]
    if post.patient_id is not None:
        if not type(post).patient.is_cached(post):
            return None
        labels.append(f"network.Post@{post.patient.municipality_id}")
    if post.parent_id is not None or post.important:
        labels.append(POST_THREADS)
    return labels


def _written(sender, instance=None, created=False, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= _IGNORED_FIELDS):
        return
    labels = _new_post_labels(instance) if created and sender._meta.label == "network.Post" else None
    if labels:
        _bump_exactly(*labels)
    else:
        bump(sender._meta.label)


def connect():
    """Bump on every save and delete of the report's models (called once, from the app's ready())."""
    for label in REPORT_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # a part not installed counts nothing
            continue
        post_save.connect(_written, sender=model, dispatch_uid=f"reports-version-save-{label}")
        post_delete.connect(_written, sender=model, dispatch_uid=f"reports-version-delete-{label}")
    for label, name in REPORT_RELATIONS:
        try:
            through = getattr(apps.get_model(label), name).through
        except LookupError:
            continue
        m2m_changed.connect(_related, sender=through, dispatch_uid=f"reports-version-m2m-{label}.{name}")


def _related(sender, action, instance=None, model=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump(*{type(instance)._meta.label, model._meta.label} if instance is not None and model is not None else ())
