"""Which medications are current: pure functions over what was read, no database."""
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

GRACE_DAYS = 30  # left-over tablets and a late visit: a supply counts this long after it runs out
UNCOUNTED_DAYS = 30  # 頓服・外用 (回分, 本, 枚 …): a supply without 日分 counts this long
LOOKBACK_DAYS = 365  # nothing dispensed longer ago than this is current (the longest supply is 90 日分)


@dataclass(frozen=True)
class Supply:
    """What the rule needs to know of one medication."""

    prescriber: str  # the prescribing institution (code, else name), else the pharmacy
    dispensed_on: datetime.date
    days: int | None


def runs_until(supply: Supply) -> datetime.date:
    """The last day a supply counts as taken: its days (or UNCOUNTED_DAYS) and GRACE_DAYS after dispensing."""
    days = supply.days if supply.days is not None else UNCOUNTED_DAYS
    return supply.dispensed_on + datetime.timedelta(days=days + GRACE_DAYS)


def current(supplies: Iterable[Supply], today: datetime.date) -> list[bool]:
    """For each supply, whether it is current: from the latest dispensing of its prescriber (a new
    prescription replaces the last one of the same institution) and not run out (runs_until)."""
    items = list(supplies)
    latest: dict[str, datetime.date] = {}
    for supply in items:
        if supply.dispensed_on > latest.get(supply.prescriber, datetime.date.min):
            latest[supply.prescriber] = supply.dispensed_on
    return [supply.dispensed_on == latest[supply.prescriber] and runs_until(supply) >= today for supply in items]
