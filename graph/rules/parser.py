"""Parse and validate the JSON condition tree; every error names its JSON path in the rule."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NoReturn

from graph.errors import BadInputError
from graph.rules import nodes as n
from graph.rules.catalog import Catalog
from graph.rules.timeparse import Duration, parse_date, parse_datetime, parse_duration

SOURCES = ("manual", "rule", "statistical", "mined")
_KINDS: dict[str, tuple[str, ...]] = {
    "customer": ("attribute", "tag", "interactions", "lastInteraction", "firstInteraction", "referrals",
                 "employment", "project", "related", "companyHas", "segment"),
    "company": ("attribute", "tag", "companyHas"),
    "project": ("attribute",),
    "interaction": ("attribute",),
}
_STRING_OPS = ("eq", "ne", "in", "contains", "startsWith")
_NUMBER_OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "between")


def fail(path: str, message: str) -> NoReturn:
    """Raise BadInputError for the rule element at path."""
    raise BadInputError(f"{path}: {message}", path=path)


def parse_rule(obj: Any, catalog: Catalog, *, entity: str = "customer", path: str = "rule",
               tag_key: str | None = None) -> n.Node:
    """Return the validated condition tree for obj; raise BadInputError naming the path."""
    if entity not in _KINDS:  # found by fuzzing: an unknown entity was a KeyError (an internal error)
        raise BadInputError(f"entity {entity!r} is not one of {', '.join(_KINDS)}", path="entity")
    node = _Parser(catalog).cond(obj, entity, path)
    if tag_key is not None:
        uses = n.tag_keys(node)
        cycle = catalog.cycle_from(tag_key, uses)
        if cycle:
            fail(_tag_path(node, cycle[1]) or path, f"tag dependency cycle {' -> '.join(cycle)}")
    return node


def _tag_path(node: n.Node, key: str) -> str | None:
    stack: list[Any] = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, n.Tag) and cur.key == key:
            return f"{cur.path}.tag"
        if isinstance(cur, n.Node):
            stack.extend(v for v in vars(cur).values() if isinstance(v, n.Node | tuple))
        elif isinstance(cur, tuple):
            stack.extend(cur)
    return None


def _keys(obj: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for key in obj:
        if key not in allowed:
            fail(f"{path}.{key}", f"unknown key {key!r} (expected one of {', '.join(allowed)})")


def _number(value: Any, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        fail(path, f"{value!r} is not a number")
    return value


def tests(obj: Any, path: str, ops: tuple[str, ...], convert: Callable[[Any, str], Any]) -> tuple[n.Test, ...]:
    """Parse an operator map such as {"gte": 3} into Tests, converting values with convert."""
    if not isinstance(obj, dict) or not obj:
        fail(path, "expected an operator map such as {\"gte\": 3}")
    out: list[n.Test] = []
    for op, value in obj.items():
        where = f"{path}.{op}"
        if op not in ops:
            fail(path, f"unknown operator {op!r} (expected one of {', '.join(ops)})")
        if op == "in":
            if not isinstance(value, list) or not value:
                fail(where, "expected a non-empty list")
            out.append(n.Test(op, tuple(convert(v, f"{where}[{i}]") for i, v in enumerate(value))))
        elif op == "between":
            if not isinstance(value, list) or len(value) != 2:
                fail(where, "expected a list [low, high]")
            low, high = convert(value[0], f"{where}[0]"), convert(value[1], f"{where}[1]")
            try:
                if low > high:
                    fail(where, "low is greater than high")
            except TypeError:
                fail(where, "low and high are not comparable")
            out.append(n.Test(op, (low, high)))
        elif op == "exists":
            if not isinstance(value, bool):
                fail(where, "expected true or false")
            out.append(n.Test(op, value))
        else:
            out.append(n.Test(op, convert(value, where)))
    return tuple(out)


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        fail(path, f"{value!r} is not a string")
    return value


def converter(type_: str) -> Callable[[Any, str], Any]:
    """Return the function that checks and converts a rule value of attribute type type_."""
    def convert(value: Any, path: str) -> Any:
        if type_ in ("int", "float"):
            return _number(value, path)
        if type_ == "bool":
            if not isinstance(value, bool):
                fail(path, f"{value!r} is not true or false")
            return value
        if type_ in ("date", "datetime"):
            try:
                return parse_date(value) if type_ == "date" else parse_datetime(value)
            except ValueError as exc:
                fail(path, str(exc))
        return _string(value, path)
    return convert


class _Parser:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def cond(self, obj: Any, entity: str, path: str) -> n.Node:
        if not isinstance(obj, dict) or not obj:
            fail(path, "a condition must be a non-empty JSON object")
        for group in ("all", "any"):
            if group in obj:
                _keys(obj, path, (group,))
                items = obj[group]
                if not isinstance(items, list) or not items:
                    fail(f"{path}.{group}", "expected a non-empty list of conditions")
                parsed = tuple(self.cond(c, entity, f"{path}.{group}[{i}]") for i, c in enumerate(items))
                return n.All(path, parsed) if group == "all" else n.AnyOf(path, parsed)
        if "not" in obj:
            _keys(obj, path, ("not",))
            return n.Not(path, self.cond(obj["not"], entity, f"{path}.not"))
        kind = next((k for k in _KINDS["customer"] if k in obj), None)
        if kind is None:
            fail(path, f"unknown condition {sorted(obj)} (expected all, any, not or one of {', '.join(_KINDS[entity])})")
        if kind not in _KINDS[entity]:
            fail(f"{path}.{kind}", f"{kind} conditions do not apply to a {entity}")
        if kind == "attribute":
            return self.attribute(obj, entity, path)
        if kind == "tag":
            return self.tag(obj, path)
        if kind == "segment":
            _keys(obj, path, ("segment",))
            key = _string(obj["segment"], f"{path}.segment")
            rule = self.catalog.segment(key)
            if rule is None:
                fail(f"{path}.segment", f"unknown segment {key!r}")
            return n.Segment(path, key, rule)
        _keys(obj, path, (kind,))
        body = obj[kind]
        where = f"{path}.{kind}"
        if not isinstance(body, dict):
            fail(where, "expected a JSON object")
        method: Callable[[dict[str, Any], str, str], n.Node] = getattr(self, f"k_{kind}")
        return method(body, where, entity)

    def attribute(self, obj: dict[str, Any], entity: str, path: str) -> n.Attribute:
        key = obj["attribute"]
        ops = [k for k in obj if k != "attribute"]
        if not isinstance(key, str):
            fail(f"{path}.attribute", "expected an attribute name")
        type_ = self.catalog.field_type(entity, key)
        if type_ is None:
            fail(f"{path}.attribute", f"unknown {entity} attribute {key!r}")
        if len(ops) != 1:
            fail(path, f"expected exactly one operator ({', '.join(n.ATTRIBUTE_OPS)}) for attribute {key!r}")
        allowed = n.ATTRIBUTE_OPS if type_ == "string" else (
            ("eq", "ne", "in", "exists") if type_ == "bool" else (*_NUMBER_OPS, "exists"))
        (t,) = tests({ops[0]: obj[ops[0]]}, path, allowed, converter(type_))
        return n.Attribute(path, key, type_, t.op, t.value)

    def tag(self, obj: dict[str, Any], path: str) -> n.Tag:
        _keys(obj, path, ("tag", "minScore", "source", "validAt", "value"))
        key = _string(obj["tag"], f"{path}.tag")
        info = self.catalog.tags.get(key)
        if info is None:
            fail(f"{path}.tag", f"unknown tag {key!r}")
        if info.status == "RETIRED":
            fail(f"{path}.tag", f"tag {key!r} is retired")
        min_score = _number(obj["minScore"], f"{path}.minScore") if "minScore" in obj else None
        sources: tuple[str, ...] = ()
        if "source" in obj:
            raw = obj["source"]
            sources = tuple(raw) if isinstance(raw, list) else (raw,)
            for s in sources:
                if s not in SOURCES:
                    fail(f"{path}.source", f"unknown tag source {s!r} (expected one of {', '.join(SOURCES)})")
        valid_at = None
        if "validAt" in obj:
            valid_at = converter("datetime")(obj["validAt"], f"{path}.validAt")
        value = tests(obj["value"], f"{path}.value", _NUMBER_OPS, _scalar) if "value" in obj else ()
        return n.Tag(path, key, None if min_score is None else float(min_score), sources, valid_at, value)

    def window(self, body: dict[str, Any], path: str) -> n.Window | None:
        if "within" in body and ("from" in body or "to" in body):
            fail(f"{path}.within", "use either within or from/to, not both")
        if "within" in body:
            return n.Window(within=self.duration(body["within"], f"{path}.within"))
        if "from" in body or "to" in body:
            conv = converter("datetime")
            start = conv(body["from"], f"{path}.from") if "from" in body else None
            end = conv(body["to"], f"{path}.to") if "to" in body else None
            if start and end and start >= end:
                fail(f"{path}.from", "from must be before to")
            return n.Window(start=start, end=end)
        return None

    def duration(self, value: Any, path: str) -> Duration:
        try:
            return parse_duration(value)
        except ValueError as exc:
            fail(path, str(exc))

    def types(self, body: dict[str, Any], path: str) -> tuple[str, ...]:
        raw = body.get("type", [])
        values = raw if isinstance(raw, list) else [raw]
        return tuple(_string(v, f"{path}.type").lower() for v in values)

    def measure(self, body: dict[str, Any], path: str, measures: tuple[str, ...]) -> tuple[str, tuple[n.Test, ...]]:
        found = [m for m in measures if m in body]
        if len(found) > 1:
            fail(f"{path}.{found[1]}", f"use one of {', '.join(measures)}, not several")
        if not found:
            return measures[0], (n.Test("gte", 1),)
        return found[0], tests(body[found[0]], f"{path}.{found[0]}", _NUMBER_OPS, _number)

    def k_interactions(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("type", "within", "from", "to", "where", *n.MEASURES))
        where = self.cond(body["where"], "interaction", f"{path}.where") if "where" in body else None
        measure, t = self.measure(body, path, n.MEASURES)
        return n.Interactions(path, self.types(body, path), self.window(body, path), where, measure, t)

    def k_lastInteraction(self, body: dict[str, Any], path: str, entity: str, which: str = "last") -> n.Node:
        _keys(body, path, ("type", "olderThan", "within"))
        older = self.duration(body["olderThan"], f"{path}.olderThan") if "olderThan" in body else None
        within = self.duration(body["within"], f"{path}.within") if "within" in body else None
        if older is None and within is None:
            fail(path, "expected olderThan or within")
        return n.Recency(path, "last" if which == "last" else "first", self.types(body, path), older, within)

    def k_firstInteraction(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        return self.k_lastInteraction(body, path, entity, "first")

    def k_referrals(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("direction", "within", "from", "to", "converted", "count"))
        direction = body.get("direction", "out")
        if direction not in ("out", "in"):
            fail(f"{path}.direction", f"unknown direction {direction!r} (expected out or in)")
        converted = body.get("converted")
        if converted is not None and not isinstance(converted, bool):
            fail(f"{path}.converted", "expected true or false")
        _, t = self.measure(body, path, ("count",))
        return n.Referrals(path, direction, self.window(body, path), converted, t)

    def text_tests(self, body: dict[str, Any], key: str, path: str) -> tuple[n.Test, ...]:
        if key not in body:
            return ()
        value = body[key]
        if isinstance(value, str):
            return (n.Test("eq", value),)
        return tests(value, f"{path}.{key}", _STRING_OPS, _string)

    def k_employment(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("company", "title", "sinceBefore", "sinceAfter", "current"))
        company = self.cond(body["company"], "company", f"{path}.company") if "company" in body else None
        conv = converter("date")
        before = conv(body["sinceBefore"], f"{path}.sinceBefore") if "sinceBefore" in body else None
        after = conv(body["sinceAfter"], f"{path}.sinceAfter") if "sinceAfter" in body else None
        current = body.get("current")
        if current is not None and not isinstance(current, bool):
            fail(f"{path}.current", "expected true or false")
        return n.Employment(path, company, self.text_tests(body, "title", path), before, after, current)

    def k_project(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("where", "role", "count"))
        where = self.cond(body["where"], "project", f"{path}.where") if "where" in body else None
        _, t = self.measure(body, path, ("count",))
        return n.Project(path, where, self.text_tests(body, "role", path), t)

    def k_related(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("via", "maxHops", "direction", "to", "count"))
        via_raw = body.get("via", ["KNOWS"])
        via_list = via_raw if isinstance(via_raw, list) else [via_raw]
        if not via_list:
            fail(f"{path}.via", "expected at least one of KNOWS, REFERRED, COLLEAGUE")
        for i, v in enumerate(via_list):
            if v not in ("KNOWS", "REFERRED", "COLLEAGUE"):
                fail(f"{path}.via[{i}]", f"unknown relationship {v!r} (expected KNOWS, REFERRED or COLLEAGUE)")
        via = tuple(sorted(set(via_list)))
        hops = body.get("maxHops", 1)
        if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= 3:
            fail(f"{path}.maxHops", f"{hops!r} is not a whole number from 1 to 3")
        direction = body.get("direction", "both")
        if direction not in ("both", "out", "in"):
            fail(f"{path}.direction", f"unknown direction {direction!r} (expected both, out or in)")
        if direction != "both" and via != ("REFERRED",):
            fail(f"{path}.direction", "a direction applies only when via is [\"REFERRED\"]")
        if "to" not in body:
            fail(path, "expected 'to': a customer condition or {\"id\": ...}")
        to = body["to"]
        to_node, to_id = None, None
        if isinstance(to, dict) and set(to) == {"id"}:
            to_id = _string(to["id"], f"{path}.to.id")
        else:
            to_node = self.cond(to, "customer", f"{path}.to")
        _, t = self.measure(body, path, ("count",))
        return n.Related(path, via, hops, direction, to_node, to_id, t)

    def k_companyHas(self, body: dict[str, Any], path: str, entity: str) -> n.Node:
        _keys(body, path, ("employees", "count"))
        employees = self.cond(body["employees"], "customer", f"{path}.employees") if "employees" in body else None
        _, t = self.measure(body, path, ("count",))
        return n.CompanyHas(path, employees, t)


def _scalar(value: Any, path: str) -> Any:
    if isinstance(value, str):
        return value
    return _number(value, path)
