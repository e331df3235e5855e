"""Where the report's figures come from: each part's `figures` module, when that part exists.

A source is a dotted path to a function `f(fiscal_years, municipality) -> list[Figure]` counting one
city's figures (each module documents which city a row counts for; see docs/domain.md, "Reports per
city"). For the area view the same module's `city_figures(fiscal_years, city_ids)` counts several cities
at once with the same fixed number of queries. A part that is not installed (its module is missing)
is skipped; an error inside a present module is not hidden.
"""
import importlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from renkei.core.figures import city_id

from . import cache as versions

FIGURE_SOURCES = [
    "renkei.core.member_figures.registered_member_figures",
    "renkei.directory.figures.annual_figures",
    "renkei.network.figures.post_figures",
    "renkei.network.figures.member_figures",
    "renkei.sheets.figures.annual_figures",
    "renkei.programs.figures.annual_figures",
    "renkei.records.figures.annual_figures",
    "renkei.reports.adoption.activity_figures",
    "renkei.reports.adoption.annual_figures",
    "renkei.reports.adoption.reply_figures",
]
ACTIVITY_SOURCES = [
    "renkei.records.figures.annual_activities",
]
# The name of the several-cities function next to each source (the area view), unless named here.
CITY_FIGURES = "city_figures"
CITY_VARIANTS = {
    "renkei.network.figures.post_figures": "renkei.network.figures.post_city_figures",
    "renkei.network.figures.member_figures": "renkei.network.figures.member_city_figures",
    "renkei.reports.adoption.activity_figures": "renkei.reports.adoption.activity_city_figures",
    "renkei.reports.adoption.reply_figures": "renkei.reports.adoption.reply_city_figures",
}

# The models whose rows each source reads ("app_label.Model"): the API keeps a source's figures under these
# models' versions (reports/cache.py), so a write recounts only the sources that read what it wrote.
# tests/reports/test_sources.py runs every source and checks each table its SQL names against this list.
_PEOPLE = ("core.User", "core.Affiliation", "core.Facility")
SOURCE_READS = {
    "renkei.core.member_figures.registered_member_figures": _PEOPLE,
    "renkei.directory.figures.annual_figures": (
        "core.Facility", "directory.FacilityProfile", "directory.ChangeRequest", "directory.ImportRun",
        "directory.ConsultationWindow", "directory.Capacity", "directory.ReferralRequest", "directory.ReferralAnswer"),
    # network.PatientPostYear is kept by triggers on network.Post (network/tally.py): a post's write bumps it.
    # A new post recounts only its patient's city's tally (reports/cache.py, FACETS).
    "renkei.network.figures.post_figures": (versions.POST_ALL_CITIES, versions.POST_OF_CITY, "network.Patient"),
    "renkei.network.figures.member_figures": ("network.CareTeamMember", *_PEOPLE),
    "renkei.sheets.figures.annual_figures": (
        "network.Patient", "sheets.Sheet", "sheets.SheetDelivery", "sheets.BackBedRequest", "sheets.DementiaCase",
        "sheets.CaseConference"),
    "renkei.programs.figures.annual_figures": (
        "programs.LinkageFeeClaim", "programs.RescueHelperApplication", "programs.RescueHelperVisit",
        "programs.RestartGrantApplication", "programs.EndOfLifeConsultation", "programs.EndingNoteDistribution",
        "programs.EndingNoteDownload", "programs.RescueHelperDispatch", "programs.ProgramRule"),
    "renkei.records.figures.annual_figures": (
        "records.Meeting", "records.Event", "records.Consultation", "records.PamphletDistribution",
        "records.RegionalActivity", "records.Body", "records.Pamphlet", "records.PamphletEdition"),
    # The audit trail is not versioned (every request appends to it): the active and dormant members are
    # at most REPORT_API_CACHE_SECONDS behind in the API, as they were with the whole report cached.
    "renkei.reports.adoption.activity_figures": ("core.AuditEvent", *_PEOPLE),
    "renkei.reports.adoption.annual_figures": ("network.Patient", "network.CareTeamMember", "sheets.Sheet"),
    # Only important first posts and replies move it: a new plain post does not (reports/cache.py, FACETS).
    "renkei.reports.adoption.reply_figures": (versions.POST_THREADS, "network.Patient"),
}
UNVERSIONED = frozenset({"core.AuditEvent"})
# How long a source that reads only versioned models is kept: until a write moves a version, or the day
# changes (part of the key: a figure may count "as of today"), or this runs out.
VERSIONED_SECONDS = 3600


def _load(path):
    module_name, _, attr = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as missing:
        # Only the source module itself (or its package) missing means "this part is not built".
        if missing.name and module_name.startswith(missing.name):
            return None
        raise
    return getattr(module, attr, None)


def _collect(paths, fiscal_years, municipality, cache_seconds=0):
    """Each source's figures in order; with cache_seconds, each source's are reused from the cache while the
    versions of the models it reads have not moved (SOURCE_READS; a source not listed is always counted)."""
    fiscal_years = list(fiscal_years)
    loaded = [(path, function) for path in paths if (function := _load(path)) is not None]
    keys = _source_keys([path for path, _ in loaded], fiscal_years, municipality) if cache_seconds > 0 else {}
    found = cache.get_many([key for key in keys.values() if key]) if keys else {}
    results = []
    for path, function in loaded:
        key = keys.get(path)
        figures = found.get(key) if key else None
        if figures is None:
            figures = function(fiscal_years, municipality)
            if key:
                unversioned = any(label in UNVERSIONED for label in SOURCE_READS[path])
                cache.set(key, figures, cache_seconds if unversioned else max(cache_seconds, VERSIONED_SECONDS))
        results.extend(figures)
    return results


def _source_keys(paths, fiscal_years, municipality):
    """{path: the cache key of its figures under the current versions of what it reads (None: not listed)};
    every version read in one round trip to the cache."""
    city = city_id(municipality)
    labels = sorted({versions.of_city(label, city) for path in paths for label in SOURCE_READS.get(path, ())
                     if label not in UNVERSIONED})
    every, *current = versions.versions(labels)
    version_of = dict(zip(labels, current, strict=True))
    years = ",".join(str(fy) for fy in fiscal_years) + f"@{timezone.localdate().isoformat()}"
    keys = {}
    for path in paths:
        reads = SOURCE_READS.get(path)
        if reads is None:
            keys[path] = None
            continue
        stamp = ".".join(str(version_of[versions.of_city(label, city)]) for label in reads if label not in UNVERSIONED)
        keys[path] = f"reports:source:{path}:{city}:{years}:{every}.{stamp}"
    return keys


def _first_of_each_key(figures):
    """The first source wins where two give the same key in the same fiscal year."""
    seen, kept = set(), []
    for figure in figures:
        if (figure.fiscal_year, figure.key) not in seen:
            seen.add((figure.fiscal_year, figure.key))
            kept.append(figure)
    return kept


def figure_sources():
    return getattr(settings, "RENKEI_REPORT_FIGURE_SOURCES", FIGURE_SOURCES)


def collect_figures(fiscal_years, municipality, *, cache_seconds=0):
    """Every part's figures of one city (a Municipality or its id) for the fiscal years; `cache_seconds` > 0
    reuses each source's figures while nothing it reads was written (the API; pages count afresh)."""
    return _first_of_each_key(_collect(figure_sources(), fiscal_years, municipality, cache_seconds))


def collect_activities(fiscal_years, municipality):
    return _collect(getattr(settings, "RENKEI_REPORT_ACTIVITY_SOURCES", ACTIVITY_SOURCES), fiscal_years, municipality)


def collect_city_figures(fiscal_years, city_ids):
    """{city id: every part's figures} for several cities at once: each part's `city_figures` (a fixed number
    of queries whatever the number of cities); a source without one is asked once per city."""
    city_ids = list(dict.fromkeys(city_ids))
    gathered = {cid: [] for cid in city_ids}
    for path in figure_sources():
        function = _load(path)
        if function is None:
            continue
        several = _load(CITY_VARIANTS.get(path) or f"{path.rpartition('.')[0]}.{CITY_FIGURES}")
        if several is not None:
            for cid, figures in several(list(fiscal_years), city_ids).items():
                gathered[cid].extend(figures)
        else:
            for cid in city_ids:
                gathered[cid].extend(function(list(fiscal_years), cid))
    return {cid: _first_of_each_key(figures) for cid, figures in gathered.items()}
