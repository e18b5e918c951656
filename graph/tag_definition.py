"""The definition JSON of automatic tags: a rule (RULE) or a named statistic (STATISTICAL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from graph.errors import BadInputError
from graph.rules import Catalog, CompiledRule, Node, compile_rule, parse_rule
from graph.rules import nodes as n
from graph.rules.compiler import Compiler, CountKey, Measured, days_between
from graph.rules.evaluator import check_all
from graph.rules.parser import _Parser, fail, tests

STATISTICS = ("count", "sum", "avg", "distinctDays", "daysSinceLast")
_NUMBER_OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "between")


@dataclass(frozen=True)
class Bucket:
    label: str
    below: float | None


@dataclass(frozen=True)
class Statistic:
    """A number per customer: a measure over interactions or referrals, then kept or bucketed."""

    measure: str
    source: n.Interactions | n.Referrals
    assign_when: tuple[n.Test, ...]
    buckets: tuple[Bucket, ...]

    def compile(self, as_of: datetime) -> CompiledRule:
        """Return a query whose one row holds `rows`: [id, measured value] for every customer who may hold the tag.

        When a customer without any matching interaction or referral cannot hold the tag (the default
        `assignWhen` of > 0 or exists), the query aggregates the matching interactions (referrals) per
        customer, so only customers who have some come back; otherwise it measures every customer.
        One collected row instead of a row per customer: on the embedded server each streamed row costs
        more than the aggregation (47k rows: 1.9 s as rows, 0.7 s collected).
        """
        c = Compiler(as_of)
        src = self.source
        if self.holders_only:
            return self._aggregated(c, as_of)
        if isinstance(src, n.Referrals):
            _, _, pattern, where = c.referrals_match(src, "c")
            value = f"COUNT {{ MATCH {pattern} WHERE {where} }}"
        else:
            value = c.interactions_measure(src, "c")
        return CompiledRule(f"MATCH (c:Customer) WITH c, {value} AS value RETURN collect([c.id, value]) AS rows",
                            c.params)

    @property
    def holders_only(self) -> bool:
        """Whether a customer with nothing to measure (count or sum 0, avg or last time absent) never holds it."""
        if self.measure in ("avg", "daysSinceLast"):
            return True  # no matching interaction: the value is null, and null is never assigned
        return not check_all(0, self.assign_when)

    def _aggregated(self, c: Compiler, as_of: datetime) -> CompiledRule:
        """Return the measure aggregated from the matching interactions (referrals) to their customers."""
        src = self.source
        if isinstance(src, n.Referrals):
            _, _, pattern, where = c.referrals_match(src, "c")
            pattern = pattern.replace("(c)", "(c:Customer)", 1)
            return CompiledRule(f"MATCH {pattern} WHERE {where} WITH c, count(*) AS value "
                                "RETURN collect([c.id, value]) AS rows", c.params)
        if self.measure == "daysSinceLast":
            i = c.var("i")
            parts = [*c.interaction_filters(i, src.types), f"{i}.occurred_at <= {c.param(as_of)}"]
            pattern, where, value = f"(c:Customer)-[:PERFORMED]->({i}:Interaction)", " AND ".join(parts), \
                f"max({i}.occurred_at)"
        else:
            i, pattern, where = c.interactions_match(src, "c")
            pattern = pattern.replace("(c)", "(c:Customer)", 1)
            if self.measure in ("sum", "avg"):
                where = f"{where} AND {i}.amount IS NOT NULL"
            value = {"count": f"count({i})", "sum": f"sum(toFloat({i}.amount))", "avg": f"avg(toFloat({i}.amount))",
                     "distinctDays": f"count(DISTINCT date({i}.occurred_at))"}[self.measure]
        # The window is tested after the MATCH (`WITH c, i WHERE`) so that the embedded server scans the
        # interactions instead of the occurred_at range index: after interactions are deleted, that index still
        # yields them and the query fails with "Record #… not found" (and for windows of months it falls back to
        # a label scan anyway). Neo4j plans both forms alike.
        return CompiledRule(f"MATCH {pattern} WITH c, {i} WHERE {where} WITH c, {value} AS value "
                            "RETURN collect([c.id, value]) AS rows", c.params)

    @property
    def over_interactions(self) -> bool:
        """Whether the statistic can be measured in a shared pass over interactions (interaction_statistics)."""
        return isinstance(self.source, n.Interactions) and self.holders_only

    def aggregate(self, c: Compiler, i: str, as_of: datetime) -> str:
        """Return this statistic as an aggregate over interaction rows i (for interaction_statistics)."""
        src = self.source
        assert isinstance(src, n.Interactions)
        if self.measure == "daysSinceLast":
            parts = [*c.interaction_filters(i, src.types), f"{i}.occurred_at <= {c.param(as_of)}"]
        else:
            parts = c.interaction_filters(i, src.types) + c.window(f"{i}.occurred_at", src.window)
            if src.where is not None:
                parts.append(c.expr(src.where, i, "interaction"))
        if self.measure in ("sum", "avg"):
            parts.append(f"{i}.amount IS NOT NULL")
        cond = " AND ".join(parts) or "true"
        return {"count": f"count(CASE WHEN {cond} THEN 1 END)",
                "sum": f"sum(CASE WHEN {cond} THEN toFloat({i}.amount) END)",
                "avg": f"avg(CASE WHEN {cond} THEN toFloat({i}.amount) END)",
                "distinctDays": f"count(DISTINCT CASE WHEN {cond} THEN date({i}.occurred_at) END)",
                "daysSinceLast": f"max(CASE WHEN {cond} THEN {i}.occurred_at END)"}[self.measure]

    def finish(self, raw: Any, as_of: datetime) -> Any:
        """Return the value to store for a raw measured value, or None when the tag does not apply."""
        value = days_between(as_of, raw) if self.measure == "daysSinceLast" and raw is not None else raw
        if value is None or not check_all(value, self.assign_when):
            return None
        for b in self.buckets:
            if b.below is None or value < b.below:
                return b.label
        return value


@dataclass(frozen=True)
class Definition:
    """A parsed automatic-tag definition."""

    kind: str
    entity: Literal["customer", "company"] = "customer"
    rule: Node | None = None
    contacts: Node | None = None  # customer-side rule when a company tag also goes to its contacts
    statistic: Statistic | None = None
    score: float = 1.0

    def queries(self, as_of: datetime, measured: Measured | None = None) -> list[tuple[str, CompiledRule]]:
        """Return (entity, query) pairs whose one row lists the ids (`ids`) or ids and values (`rows`) that should
        carry the tag. A company tag's contacts are read afterwards from the companies found (tag/get_contacts).
        measured: interaction counts already measured for the rule (count_keys), passed as map parameters."""
        if self.statistic is not None:
            return [("customer", self.statistic.compile(as_of))]
        if self.rule is None:
            return []
        return [(self.entity, compile_rule(self.rule, as_of, entity=self.entity, collect=True, measured=measured))]


def interaction_statistics(stats: list[Statistic], as_of: datetime, counts: list[CountKey] | None = None
                           ) -> CompiledRule:
    """Return one pass over all interactions measuring every statistic and every count per customer: one row whose
    `rows` holds [id, value of stats[0], ..., count of counts[0], ...] for each customer with an interaction.

    Each statistic must be `over_interactions` (a customer without matching interactions cannot hold it), so a
    customer absent here, or with 0 / null in a column, gets no value; counts are what rules test (count_keys).
    Scanning the interactions once for all the tags of a refresh instead of once per tag is where a
    whole-catalogue refresh saves most.
    """
    c = Compiler(as_of)
    values = [st.aggregate(c, "i", as_of) for st in stats]
    for types, low, high, incl in counts or []:
        parts = c.interaction_filters("i", types)
        if low is not None:
            parts.append(f"i.occurred_at >= {c.param(low)}")
        if high is not None:
            parts.append(f"i.occurred_at {'<=' if incl else '<'} {c.param(high)}")
        values.append(f"count(CASE WHEN {' AND '.join(parts) or 'true'} THEN 1 END)")
    aliased = ", ".join(f"{v} AS v{k}" for k, v in enumerate(values))
    columns = ", ".join(f"v{k}" for k in range(len(values)))
    return CompiledRule(f"MATCH (c:Customer)-[:PERFORMED]->(i:Interaction) WITH c.id AS id, {aliased} "
                        f"RETURN collect([id, {columns}]) AS rows", c.params)


def _keys(obj: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for key in obj:
        if key not in allowed:
            fail(f"{path}.{key}", f"unknown key {key!r} (expected one of {', '.join(allowed)})")


def parse_definition(kind: str, obj: Any, catalog: Catalog, key: str) -> Definition:
    """Return the parsed definition of an automatic tag; raise BadInputError naming the path."""
    if kind in ("MANUAL", "MINED"):
        return Definition(kind)
    if not isinstance(obj, dict):
        raise BadInputError("definition: expected a JSON object", path="definition")
    if kind == "RULE":
        _keys(obj, "definition", ("rule", "entity", "contacts", "score"))
        entity = obj.get("entity", "customer")
        if entity not in ("customer", "company"):
            fail("definition.entity", f"unknown entity {entity!r} (expected customer or company)")
        if "rule" not in obj:
            fail("definition", "a RULE tag needs 'rule'")
        rule = parse_rule(obj["rule"], catalog, entity=entity, path="rule", tag_key=key)
        contacts = None
        if obj.get("contacts"):
            if entity != "company":
                fail("definition.contacts", "contacts applies only to company tags")
            contacts = n.Employment("rule", rule, (), None, None, True)
        score = obj.get("score", 1.0)
        if isinstance(score, bool) or not isinstance(score, int | float):
            fail("definition.score", f"{score!r} is not a number")
        return Definition(kind, entity, rule, contacts, None, float(score))
    return Definition(kind, statistic=_statistic(obj, catalog))


def _statistic(obj: dict[str, Any], catalog: Catalog) -> Statistic:
    _keys(obj, "definition", ("statistic", "interactions", "referrals", "assignWhen", "buckets"))
    measure = obj.get("statistic")
    if measure not in STATISTICS:
        fail("definition.statistic", f"unknown statistic {measure!r} (expected one of {', '.join(STATISTICS)})")
    p = _Parser(catalog)
    if "referrals" in obj:
        if measure != "count":
            fail("definition.statistic", "referrals can only be counted")
        if not isinstance(obj["referrals"], dict) or "count" in obj["referrals"]:
            fail("definition.referrals", "expected referral filters without count")
        source = p.k_referrals(obj["referrals"], "definition.referrals", "customer")
    elif "interactions" in obj:
        body = obj["interactions"]
        if not isinstance(body, dict) or any(m in body for m in n.MEASURES):
            fail("definition.interactions", "expected interaction filters without count/sum/avg/distinctDays")
        if measure == "daysSinceLast":
            _keys(body, "definition.interactions", ("type",))
        inner = "count" if measure == "daysSinceLast" else measure
        source = p.k_interactions({**body, inner: {"gte": 0}}, "definition.interactions", "customer")
    else:
        fail("definition", "a STATISTICAL tag needs 'interactions' or 'referrals'")
    default = (n.Test("exists", True),) if measure in ("avg", "daysSinceLast") else (n.Test("gt", 0),)
    when = tests(obj["assignWhen"], "definition.assignWhen", _NUMBER_OPS, _num) if "assignWhen" in obj else default
    if not isinstance(source, n.Interactions | n.Referrals):
        raise TypeError("a statistic measures interactions or referrals")
    return Statistic(measure, source, when, _buckets(obj.get("buckets", [])))


def _num(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, f"{value!r} is not a number")
    return value


def _buckets(raw: Any) -> tuple[Bucket, ...]:
    if not isinstance(raw, list):
        fail("definition.buckets", "expected a list of {label, below}")
    out: list[Bucket] = []
    for i, b in enumerate(raw):
        path = f"definition.buckets[{i}]"
        if not isinstance(b, dict) or not isinstance(b.get("label"), str):
            fail(path, "expected {\"label\": ..., \"below\": number} (the last may omit below)")
        _keys(b, path, ("label", "below"))
        below = _num(b["below"], f"{path}.below") if "below" in b else None
        if out and (out[-1].below is None or (below is not None and below <= out[-1].below)):
            fail(path, "buckets must be in increasing order with only the last open-ended")
        out.append(Bucket(b["label"], below))
    return tuple(out)
