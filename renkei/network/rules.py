"""Rules of the care-team network, pure functions the forms and the services share."""
import datetime
from collections.abc import Callable, Mapping
from typing import Any, cast

from renkei.core.fields import future_message, range_message

# renkei.core.fields.range_message is not annotated yet (issue 17, the core half): its signature as used here.
_range_message = cast("Callable[[str, int, int], str]", range_message)

# The plausible range of each vital sign, with the name it is told by.
VITAL_RANGES = {
    "systolic": ("血圧（上）", 40, 300),
    "diastolic": ("血圧（下）", 20, 200),
    "pulse": ("脈拍", 20, 250),
    "spo2": ("SpO2", 50, 100),
    "temperature": ("体温", 30, 45),
    "weight": ("体重", 1, 300),
}
# A clock a few minutes fast on the device that measured is not a measurement in the future.
CLOCK_SLACK = datetime.timedelta(minutes=5)


def vitals_problems(vitals: Mapping[str, Any], now: datetime.datetime) -> dict[str | None, str]:
    """Every problem of one set of vitals at once, as {field: message} (empty when they may be recorded);
    the field None holds a problem of the whole set.

    `vitals` maps the names of VITAL_RANGES and "measured_at" to values (None when not given): a form's
    cleaned data, so each value has its own type (int, Decimal, datetime)."""
    problems: dict[str | None, str] = {}
    values = {key: vitals.get(key) for key in VITAL_RANGES}
    if all(value is None for value in values.values()):
        problems[None] = "バイタルの値を少なくとも1つ入力してください。"
    for key, (label, low, high) in VITAL_RANGES.items():
        value = values[key]
        if value is not None and not low <= value <= high:
            problems[key] = _range_message(label, low, high)
    if (values["systolic"] is None) != (values["diastolic"] is None):
        missing = "diastolic" if values["diastolic"] is None else "systolic"
        problems.setdefault(missing, "血圧は上と下の両方を入力してください。")
    measured_at = vitals.get("measured_at")
    if not measured_at:
        problems["measured_at"] = "測定日時を入力してください。"
    elif measured_at > now + CLOCK_SLACK:
        problems["measured_at"] = future_message("測定日時")
    return problems
