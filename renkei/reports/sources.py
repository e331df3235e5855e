"""Where the report's figures come from: each part's `figures` module, when that part exists.

A source is a dotted path to a function `f(fiscal_years, municipality) -> list[Figure]` counting one
city's figures (each module documents which city a row counts for; see docs/domain.md, "Reports per
city"). For the area view the same module's `city_figures(fiscal_years, city_ids)` counts several cities
at once with the same fixed number of queries. A part that is not installed (its module is missing)
is skipped; an error inside a present module is not hidden.
"""
import importlib

from django.conf import settings

FIGURE_SOURCES = [
    "renkei.core.member_figures.registered_member_figures",
    "renkei.directory.figures.annual_figures",
    "renkei.network.figures.annual_figures",
    "renkei.sheets.figures.annual_figures",
    "renkei.programs.figures.annual_figures",
    "renkei.records.figures.annual_figures",
    "renkei.reports.adoption.annual_figures",
]
ACTIVITY_SOURCES = [
    "renkei.records.figures.annual_activities",
]
# The name of the several-cities function next to each source (the area view).
CITY_FIGURES = "city_figures"


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


def _collect(paths, fiscal_years, municipality):
    results = []
    for path in paths:
        function = _load(path)
        if function is not None:
            results.extend(function(list(fiscal_years), municipality))
    return results


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


def collect_figures(fiscal_years, municipality):
    """Every part's figures of one city (a Municipality or its id) for the fiscal years."""
    return _first_of_each_key(_collect(figure_sources(), fiscal_years, municipality))


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
        several = _load(f"{path.rpartition('.')[0]}.{CITY_FIGURES}")
        if several is not None:
            for cid, figures in several(list(fiscal_years), city_ids).items():
                gathered[cid].extend(figures)
        else:
            for cid in city_ids:
                gathered[cid].extend(function(list(fiscal_years), cid))
    return {cid: _first_of_each_key(figures) for cid, figures in gathered.items()}
