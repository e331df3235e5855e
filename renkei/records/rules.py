"""Rules of the program records: pure functions, a dataclass in and reasons out."""
import datetime
from dataclasses import dataclass, field

from renkei.core.fields import future_message


@dataclass(frozen=True)
class EventFacts:
    starts_on: datetime.date
    ends_on: datetime.date
    registration_required: bool = False
    registered: int | None = None  # registrations known (listed or counted); None when unknown
    participants: int | None = None
    online_accounts: int | None = None
    online: bool = False  # held online or streamed
    cancelled: bool = False
    today: datetime.date | None = None


@dataclass(frozen=True)
class Check:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    # field name → message, so that forms can put each message next to its field
    fields: dict[str, str] = field(default_factory=dict)


def check_event(facts: EventFacts) -> Check:
    """An event's dates and attendance must be possible."""
    errors = {}
    if facts.ends_on < facts.starts_on:
        errors["ends_on"] = "終了日が開始日より前になっています。"
    if facts.participants is not None and facts.participants < 0:
        errors["participants"] = "参加者数は0以上で入力してください。"
    elif facts.participants is not None and facts.today is not None and facts.starts_on > facts.today:
        errors["participants"] = "まだ始まっていないイベントの参加者数は記録できません。"
    elif facts.participants is not None and facts.cancelled:
        errors["participants"] = "中止したイベントには参加者数を記録できません。"
    if (
        facts.registration_required
        and facts.registered is not None
        and facts.participants is not None
        and facts.participants > facts.registered
    ):
        errors["participants"] = (
            f"申込制のイベントで、参加者数（{facts.participants}名）が申込者数（{facts.registered}名）を超えています。"
        )
    if facts.online_accounts is not None:
        if not facts.online:
            errors["online_accounts"] = "参加アカウント数は、オンラインまたは期間配信のときだけ入力できます。"
        elif facts.participants is not None and facts.online_accounts > facts.participants:
            errors["online_accounts"] = (
                f"参加アカウント数（{facts.online_accounts}）が参加者数（{facts.participants}名）を超えています。"
                "1アカウントで1名以上が参加します。"
            )
    return Check(ok=not errors, reasons=list(errors.values()), fields=errors)


def check_received_on(received_on: datetime.date, today: datetime.date) -> Check:
    """A consultation cannot be received in the future."""
    if received_on > today:
        msg = future_message("受付日")
        return Check(ok=False, reasons=[msg], fields={"received_on": msg})
    return Check(ok=True)



def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days (1/31 + 1 → 2/28)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
