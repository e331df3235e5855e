"""Japanese calendar helpers: era dates (和暦) and fiscal years (年度, April–March)."""
import datetime
import re
import unicodedata
from typing import Literal

# (first day of the era, name). Ordered newest first.
ERAS = [
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1873, 1, 1), "明治"),
]


def _as_date(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def era_of(value: datetime.date) -> tuple[str, int]:
    """Return (era name, year number within the era) for a date."""
    value = _as_date(value)
    for start, name in ERAS:
        if value >= start:
            return name, value.year - start.year + 1
    raise ValueError("明治より前の日付は和暦に変換できません")


def era_year_label(name: str, year: int) -> str:
    """'令和元年' for year 1, otherwise '令和3年'."""
    return f"{name}{'元' if year == 1 else year}年"


def format_era_date(value: datetime.date | Literal[""] | None) -> str:
    """A date in the Japanese era: 令和7年4月1日, 令和元年5月1日, 平成31年4月30日."""
    if not value:  # None or ""
        return ""
    value = _as_date(value)
    name, year = era_of(value)
    return f"{era_year_label(name, year)}{value.month}月{value.day}日"


def fiscal_year(value: datetime.date) -> int:
    """The fiscal year of a date, as the Western year in which it starts (2022-03-31 → 2021)."""
    value = _as_date(value)
    return value.year if value.month >= 4 else value.year - 1


def fiscal_year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a fiscal year."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def fiscal_year_span(fy: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes [start, end) of a fiscal year: midnight of 1 April to midnight of the next 1 April,
    in the current time zone (for filtering timestamps on an index)."""
    from django.utils import timezone

    first, last = fiscal_year_bounds(fy)
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


def fiscal_year_label(fy: int) -> str:
    """'令和3年度' for 2021, '令和元年度' for 2019, '平成30年度' for 2018.

    The fiscal year is named after the era in force on its first day, except that FY2019 is
    conventionally 令和元年度 (the era changed on 2019-05-01, within that year).
    """
    start = datetime.date(fy, 4, 1)
    if fy == 2019:
        return "令和元年度"
    name, year = era_of(start)
    return f"{era_year_label(name, year)}度"


def format_month(value: datetime.date) -> str:
    """'令和7年4月' for a date in April 2025."""
    value = _as_date(value)
    name, year = era_of(value)
    return f"{era_year_label(name, year)}{value.month}月"


_ERA_FIRST_YEAR = {name: start.year for start, name in ERAS}
_ERA_INITIALS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
_FISCAL_YEAR = re.compile(r"^(?:(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\.?(?P<era_year>元|\d{1,2})|(?P<year>\d{4}))(?:年度?)?$")


def parse_fiscal_year(text: str) -> int | None:
    """The Western starting year of a fiscal year typed as 2021, ２０２１, 2021年度, 令和3年度, 令和元年, R3 or
    H30; None when the text is none of these. Full-width digits and spaces are read as half width."""
    folded = unicodedata.normalize("NFKC", text or "").replace(" ", "").upper()
    match = _FISCAL_YEAR.match(folded)
    if match is None:
        return None
    if match["year"]:
        return int(match["year"])
    era = _ERA_INITIALS.get(match["era"], match["era"])
    number = 1 if match["era_year"] == "元" else int(match["era_year"])
    if number < 1:
        return None
    return _ERA_FIRST_YEAR[era] + number - 1
