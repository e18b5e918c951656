"""Cleaning and parsing of single CSV cell values; each raises ValueError with a sentence."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

import phonenumbers

AttrType = Literal["int", "float", "bool", "date", "datetime", "string"]
ATTR_TYPES: tuple[str, ...] = ("int", "float", "bool", "date", "datetime", "string")

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_INT = re.compile(r"^[+-]?\d+$")
# Inference is stricter than parsing: "007" and "+1" stay strings (codes, phone numbers).
_INFER_INT = re.compile(r"^-?(0|[1-9]\d*)$")
_INFER_FLOAT = re.compile(r"^-?(0|[1-9]\d*)?\.\d+$|^-?(0|[1-9]\d*)(\.\d+)?[eE][+-]?\d+$|^-?(0|[1-9]\d*)\.\d*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_TRUE = {"true", "yes", "y", "1", "t", "是"}
_FALSE = {"false", "no", "n", "0", "f", "否"}
_GENDERS = {
    "male": "male", "m": "male", "man": "male", "男": "male", "男性": "male",
    "female": "female", "f": "female", "woman": "female", "女": "female", "女性": "female",
    "other": "other", "o": "other", "其他": "other",
    "unknown": "unknown", "u": "unknown", "未知": "unknown",
}
PROJECT_STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")


def parse_int(text: str) -> int:
    """Return text as an int within the 64-bit range the database stores."""
    if not _INT.match(text):
        raise ValueError(f"{text!r} is not a whole number")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(f"{text!r} is outside the 64-bit integer range")
    return value


def parse_float(text: str) -> float:
    """Return text as a finite float."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def parse_bool(text: str) -> bool:
    """Return text as a bool (true/false, yes/no, 1/0, 是/否)."""
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a boolean (use true or false)")


def parse_date(text: str) -> date:
    """Return text (YYYY-MM-DD, or a bare year meaning 1 January) as a date."""
    if _YEAR.match(text):
        return date(int(text), 1, 1)
    if not _DATE.match(text):
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or a year)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid calendar date") from None


def parse_datetime(text: str) -> datetime:
    """Return text (ISO 8601 datetime or date) as an aware UTC datetime; naive values are UTC."""
    if _DATE.match(text) or _YEAR.match(text):
        d = parse_date(text)
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    if not _DATETIME.match(text):
        raise ValueError(f"{text!r} is not an ISO 8601 datetime")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid ISO 8601 datetime") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_gender(text: str) -> str:
    """Return text as male/female/other/unknown (accepts M/F and 男/女)."""
    value = _GENDERS.get(text.lower())
    if value is None:
        raise ValueError(f"{text!r} is not a gender (use male, female, other or unknown)")
    return value


def parse_email(text: str) -> str:
    """Return text as a lower-cased email address."""
    value = text.lower()
    if not _EMAIL.match(value):
        raise ValueError(f"{text!r} is not an email address")
    return value


def parse_phone(text: str, region: str) -> str:
    """Return text as an E.164 phone number; numbers without +country use region."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{text!r} is not a valid phone number for region {region}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_stage(text: str) -> str:
    """Return text as one of the project stages, lower-cased."""
    value = text.lower()
    if value not in PROJECT_STAGES:
        raise ValueError(f"{text!r} is not a project stage (use {', '.join(PROJECT_STAGES)})")
    return value


def parse_typed(text: str, type_: str) -> Any:
    """Return text parsed as a custom attribute of the given type."""
    if type_ == "int":
        return parse_int(text)
    if type_ == "float":
        return parse_float(text)
    if type_ == "bool":
        return parse_bool(text)
    if type_ == "date":
        return parse_date(text)
    if type_ == "datetime":
        return parse_datetime(text)
    return text


def infer_type(text: str) -> str:
    """Return the narrowest attribute type that fits one non-empty value."""
    if _INFER_INT.match(text):
        try:
            parse_int(text)
            return "int"
        except ValueError:
            return "string"
    if _INFER_FLOAT.match(text):
        return "float"
    if text.lower() in ("true", "false"):
        return "bool"
    if _DATE.match(text):
        try:
            parse_date(text)
            return "date"
        except ValueError:
            return "string"
    if _DATETIME.match(text):
        try:
            parse_datetime(text)
            return "datetime"
        except ValueError:
            return "string"
    return "string"


def widen(current: str | None, seen: str) -> str:
    """Return the type that fits values of both types (int+float is float, date+datetime is datetime)."""
    if current is None or current == seen:
        return seen
    pair = {current, seen}
    if pair == {"int", "float"}:
        return "float"
    if pair == {"date", "datetime"}:
        return "datetime"
    return "string"


def is_cjk(text: str) -> bool:
    """Return True when every character of text is a CJK ideograph."""
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def full_name(first: str | None, last: str | None) -> str | None:
    """Return a display name: last+first without a space for Chinese names, else "first last"."""
    if first and last:
        return f"{last}{first}" if is_cjk(first) and is_cjk(last) else f"{first} {last}"
    return first or last or None
