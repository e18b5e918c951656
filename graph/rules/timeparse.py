"""ISO 8601 durations and date/datetime values as the rule language reads them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A calendar-aware ISO 8601 duration such as P180D, P6M or PT12H."""

    text: str
    months: int
    days: int
    seconds: int

    def before(self, at: datetime) -> datetime:
        """Return the instant this duration before at (months step by calendar)."""
        return _add_months(at, -self.months) - timedelta(days=self.days, seconds=self.seconds)

    def after(self, at: datetime) -> datetime:
        """Return the instant this duration after at."""
        return _add_months(at, self.months) + timedelta(days=self.days, seconds=self.seconds)


def parse_duration(text: object) -> Duration:
    """Return the Duration written as text; raise ValueError naming it when malformed."""
    m = _DURATION.match(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as 'P180D' or 'P6M'")
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    return Duration(
        text=str(text),
        months=g["y"] * 12 + g["mo"],
        days=g["w"] * 7 + g["d"],
        seconds=g["h"] * 3600 + g["mi"] * 60 + g["s"],
    )


def _add_months(at: datetime, months: int) -> datetime:
    if not months:
        return at
    total = at.year * 12 + (at.month - 1) + months
    year, month = divmod(total, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return at.replace(year=year, month=month + 1, day=day)


def parse_date(value: object) -> date:
    """Return value as a date (ISO 'YYYY-MM-DD' strings accepted); raise ValueError otherwise."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date such as '2024-01-31'")


def parse_datetime(value: object) -> datetime:
    """Return value as an aware UTC datetime (dates mean midnight UTC); raise ValueError otherwise."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a datetime such as '2024-01-31T09:00:00Z'")
