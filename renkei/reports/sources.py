"""Where the report's figures come from: each part's `figures` module, when that part exists.

A source is a dotted path to a function `f(fiscal_years) -> list[Figure]`. A part that is not
installed (its module is missing) is skipped; an error inside a present module is not hidden.
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
]
ACTIVITY_SOURCES = [
    "renkei.records.figures.annual_activities",
]


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


def _collect(paths, fiscal_years):
    results = []
    for path in paths:
        function = _load(path)
        if function is not None:
            results.extend(function(list(fiscal_years)))
    return results


def collect_figures(fiscal_years):
    """Every part's figures for the fiscal years; the first source wins where two give the same key."""
    seen, figures = set(), []
    for figure in _collect(getattr(settings, "RENKEI_REPORT_FIGURE_SOURCES", FIGURE_SOURCES), fiscal_years):
        if (figure.fiscal_year, figure.key) not in seen:
            seen.add((figure.fiscal_year, figure.key))
            figures.append(figure)
    return figures


def collect_activities(fiscal_years):
    return _collect(getattr(settings, "RENKEI_REPORT_ACTIVITY_SOURCES", ACTIVITY_SOURCES), fiscal_years)
