"""Compile a condition tree to one parameterised Cypher query (values only ever as $params)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from graph import activity
from graph.cypher import check_identifier
from graph.rules import nodes as n
from graph.rules.evaluator import check_all
from graph.scope import scope_condition

LABELS = {"customer": "Customer", "company": "Company"}
_CMP = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_ONE = (n.Test("gte", 1),)
# (interaction types, occurred_at low bound inclusive, high bound, high inclusive): a count of interactions.
CountKey = tuple[tuple[str, ...], datetime | None, datetime | None, bool | None]
Measured = dict[CountKey, dict[str, int]]  # per count key: customer id -> count (customers with none left out)


@dataclass(frozen=True)
class CompiledRule:
    """Cypher text plus its parameters; run with Graph.read_text."""

    text: str
    params: dict[str, Any]


class Compiler:
    """Turns nodes into Cypher boolean expressions, collecting parameters as it goes."""

    def __init__(self, as_of: datetime, prefix: str = "r", measured: Measured | None = None,
                 scoped: bool = False) -> None:
        self.as_of = as_of
        self.prefix = prefix
        # An account manager's rule: every other customer, company and project it reaches must lie inside their
        # accounts ($scope_company_ids, graph/scope.py); outsiders do not count, as if they were not there.
        self.scoped = scoped
        self.params: dict[str, Any] = {}
        self._vars = 0
        self.measured = measured or {}  # interaction counts per customer id, already measured (see count_keys)
        self._measured_params: dict[CountKey, str] = {}

    def param(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = list(value) if isinstance(value, tuple) else value
        return f"${name}"

    def var(self, stem: str) -> str:
        self._vars += 1
        return f"{stem}{self._vars}"

    def in_scope(self, label: str, v: str) -> list[str]:
        """Return the scope predicate on a node the rule reaches (none for an unscoped rule)."""
        return [scope_condition(label, v)] if self.scoped else []

    def expr(self, node: n.Node, v: str, entity: str) -> str:
        """Return a Cypher expression that is true or false (never null) for variable v."""
        if isinstance(node, n.All | n.AnyOf):
            joiner = " AND " if isinstance(node, n.All) else " OR "
            return "(" + joiner.join(self.expr(i, v, entity) for i in node.items) + ")"
        if isinstance(node, n.Not):
            return f"(NOT {self.expr(node.item, v, entity)})"
        if isinstance(node, n.Segment):
            return self.expr(node.rule, v, entity)
        if isinstance(node, n.Attribute):
            return self.test(f"{v}.{check_identifier(node.field, 'attribute')}", n.Test(node.op, node.value))
        method = getattr(self, f"c_{type(node).__name__.lower()}")
        return str(method(node, v, entity))

    def test(self, ref: str, t: n.Test, nullable: bool = True) -> str:
        """Return `ref <op> $value` as a two-valued expression (COUNT {} values are never null)."""
        if t.op == "exists":
            return f"({ref} IS {'NOT ' if t.value else ''}NULL)"
        if t.op == "between":
            body = f"{ref} >= {self.param(t.value[0])} AND {ref} <= {self.param(t.value[1])}"
        elif t.op == "in":
            body = f"{ref} IN {self.param(t.value)}"
        elif t.op == "contains":
            body = f"{ref} CONTAINS {self.param(t.value)}"
        elif t.op == "startsWith":
            body = f"{ref} STARTS WITH {self.param(t.value)}"
        else:
            body = f"{ref} {_CMP[t.op]} {self.param(t.value)}"
        # The embedded server rejects COUNT {} inside a function call, so counts skip coalesce.
        return f"coalesce({body}, false)" if nullable else f"({body})"

    def tests(self, ref: str, tests: tuple[n.Test, ...], nullable: bool = True) -> str:
        return " AND ".join(self.test(ref, t, nullable) for t in tests) if tests else "true"

    def counted(self, pattern: str, where: str, tests: tuple[n.Test, ...], distinct: str | None = None) -> str:
        """Return tests on COUNT of pattern rows (EXISTS when the test is just `>= 1`)."""
        if tests == _ONE:
            return f"EXISTS {{ MATCH {pattern} WHERE {where} }}"
        ret = f" RETURN DISTINCT {distinct} AS x" if distinct else ""
        return "(" + self.tests(f"COUNT {{ MATCH {pattern} WHERE {where}{ret} }}", tests, nullable=False) + ")"

    # --- window and shared filters -------------------------------------------------------
    def window(self, ref: str, window: n.Window | None) -> list[str]:
        if window is None:
            return []
        low, high, high_incl = window.bounds(self.as_of)
        out = [f"{ref} >= {self.param(low)}"] if low is not None else []
        out.append(f"{ref} {'<=' if high_incl else '<'} {self.param(high)}")
        return out

    def interaction_filters(self, i: str, types: tuple[str, ...]) -> list[str]:
        return [f"{i}.type IN {self.param(types)}"] if types else []

    def current(self, w: str) -> str:
        return f"({w}.until IS NULL OR {w}.until > {self.param(self.as_of.date())})"

    # --- leaves --------------------------------------------------------------------------
    def c_tag(self, node: n.Tag, v: str, entity: str) -> str:
        return f"EXISTS {{ MATCH {self.tag_pattern(node, v)[1]} }}"

    def tag_pattern(self, node: n.Tag, v: str) -> tuple[str, str]:
        """Return (edge var, `(v)-[t:HAS_TAG]->(g:Tag {key: $k}) WHERE <valid and as asked>`)."""
        t, g, key, parts = self.tag_parts(node)
        return t, f"({v})-[{t}:HAS_TAG]->({g}:Tag {{key: {key}}}) WHERE {' AND '.join(parts)}"

    def tag_parts(self, node: n.Tag) -> tuple[str, str, str, list[str]]:
        """Return (edge var, tag var, key param, conditions on the edge) for a tag condition."""
        t, g = self.var("t"), self.var("g")
        key = self.param(node.key)
        at = self.param(node.valid_at or self.as_of)
        parts = [
            f"({t}.expires_at IS NULL OR {t}.expires_at > {at})",
            f"({t}.assigned_at IS NULL OR {t}.assigned_at <= {at})",
        ]
        if node.min_score is not None:
            parts.append(f"coalesce({t}.score >= {self.param(node.min_score)}, false)")
        if node.sources:
            parts.append(f"{t}.source IN {self.param(node.sources)}")
        if node.value:
            parts.append(self.tests(f"{t}.value", node.value))
        return t, g, key, parts

    def interactions_match(self, node: n.Interactions, v: str) -> tuple[str, str, str]:
        i = self.var("i")
        parts = self.interaction_filters(i, node.types) + self.window(f"{i}.occurred_at", node.window)
        if node.where is not None:
            parts.append(self.expr(node.where, i, "interaction"))
        return i, f"({v})-[:PERFORMED]->({i}:Interaction)", " AND ".join(parts) or "true"

    def interactions_measure(self, node: n.Interactions, v: str) -> str:
        """Return the measured number (count, sum, avg or distinct days) as an expression."""
        i, pattern, where = self.interactions_match(node, v)
        if node.measure == "count":
            return f"COUNT {{ MATCH {pattern} WHERE {where} }}"
        if node.measure == "distinctDays":
            return f"COUNT {{ MATCH {pattern} WHERE {where} RETURN DISTINCT date({i}.occurred_at) AS day }}"
        s, x = self.var("s"), self.var("x")
        amounts = f"[{pattern} WHERE {where} AND {i}.amount IS NOT NULL | toFloat({i}.amount)]"
        total = f"reduce({s} = 0.0, {x} IN {amounts} | {s} + {x})"
        if node.measure == "sum":
            return total
        return f"CASE WHEN size({amounts}) = 0 THEN null ELSE {total} / size({amounts}) END"

    def c_interactions(self, node: n.Interactions, v: str, entity: str) -> str:
        key = interactions_key(node, self.as_of)
        if key in self.measured:
            return "(" + self.tests(self.measured_count(key, v), node.tests, nullable=False) + ")"
        if node.measure == "count":
            _i, pattern, where = self.interactions_match(node, v)
            if node.where is None and node.window is not None:
                low, high, incl = node.window.bounds(self.as_of)
                if (digest := self.digested(v, node.types, low, high, incl)) is not None:
                    count = f"COUNT {{ MATCH {pattern} WHERE {where} }}"
                    return "(" + self.tests(self.or_digest(v, digest, count), node.tests, nullable=False) + ")"
            return self.counted(pattern, where, node.tests)
        nullable = node.measure != "distinctDays"
        return "(" + self.tests(self.interactions_measure(node, v), node.tests, nullable) + ")"

    def digested(self, v: str, types: tuple[str, ...], low: datetime | None, high: datetime, incl: bool) -> str | None:
        """Return the number of v's interactions of these types in the window, read from the activity digest
        (graph/activity.py); None when a type is not digested (or no type is named: any type counts)."""
        props = [activity.digest_prop(t) for t in dict.fromkeys(types)]
        if not props or None in props:
            return None
        x = self.var("x")
        parts = [f"{x} >= {self.param(low)}"] if low is not None else []
        parts.append(f"{x} {'<=' if incl else '<'} {self.param(high)}")
        where = " AND ".join(parts)
        return " + ".join(f"size([{x} IN {v}.{p} WHERE {where}])" for p in props)

    @staticmethod
    def or_digest(v: str, digest: str, fallback: str) -> str:
        """Return digest for a customer whose digest is current, else fallback (which reads the interactions).
        Both servers evaluate only the CASE branch taken: 0.11 s vs 0.72 s for 34k customers, measured."""
        return f"CASE WHEN {v}.{activity.VERSION_PROP} = {activity.VERSION} THEN {digest} ELSE {fallback} END"

    def recency_bounds(self, node: n.Recency) -> tuple[datetime | None, datetime, bool]:
        low = node.within.before(self.as_of) if node.within else None
        if node.older_than is None:
            return low, self.as_of, True
        return low, node.older_than.before(self.as_of), False

    def measured_count(self, key: CountKey, v: str) -> str:
        """Return the already measured count of interactions for v (0 when v has none), from a map parameter."""
        if key not in self._measured_params:
            self._measured_params[key] = self.param(self.measured[key])
        return f"coalesce({self._measured_params[key]}[{v}.id], 0)"

    def any_between(self, v: str, types: tuple[str, ...], low: datetime | None, high: datetime, incl: bool) -> str:
        if (tuple(types), low, high, incl) in self.measured:
            return f"({self.measured_count((tuple(types), low, high, incl), v)} > 0)"
        i = self.var("i")
        parts = self.interaction_filters(i, types)
        if low is not None:
            parts.append(f"{i}.occurred_at >= {self.param(low)}")
        parts.append(f"{i}.occurred_at {'<=' if incl else '<'} {self.param(high)}")
        exists = f"EXISTS {{ MATCH ({v})-[:PERFORMED]->({i}:Interaction) WHERE {' AND '.join(parts)} }}"
        digest = self.digested(v, types, low, high, incl)
        return exists if digest is None else f"({self.or_digest(v, f'{digest} > 0', exists)})"

    def c_recency(self, node: n.Recency, v: str, entity: str) -> str:
        low, high, incl = self.recency_bounds(node)
        parts = [self.any_between(v, node.types, low, high, incl)]
        if node.which == "last" and not incl:
            parts.append(f"NOT {self.any_between(v, node.types, high, self.as_of, True)}")
        if node.which == "first" and low is not None:
            parts.append(f"NOT {self.any_between(v, node.types, None, low, False)}")
        return "(" + " AND ".join(parts) + ")"

    def referrals_match(self, node: n.Referrals, v: str) -> tuple[str, str, str, str]:
        r, o = self.var("r"), self.var("o")
        arrow = f"({v})-[{r}:REFERRED]->({o}:Customer)" if node.direction == "out" else (
            f"({v})<-[{r}:REFERRED]-({o}:Customer)")
        parts = self.window(f"{r}.at", node.window)
        if node.converted is not None:
            parts.append(f"coalesce({r}.converted, false) = {self.param(node.converted)}")
        parts += self.in_scope("Customer", o)
        return r, o, arrow, " AND ".join(parts) or "true"

    def c_referrals(self, node: n.Referrals, v: str, entity: str) -> str:
        _, _, pattern, where = self.referrals_match(node, v)
        return self.counted(pattern, where, node.tests)

    def employment_match(self, node: n.Employment, v: str) -> tuple[str, str, str]:
        w, co = self.var("w"), self.var("co")
        parts = self.employment_edge(node, w)
        if node.company is not None:
            parts.append(self.expr(node.company, co, "company"))
        parts += self.in_scope("Company", co)
        return co, f"({v})-[{w}:WORKS_AT]->({co}:Company)", " AND ".join(parts) or "true"

    def employment_edge(self, node: n.Employment, w: str) -> list[str]:
        """Return the conditions of an employment condition on its WORKS_AT edge w (title, since, current)."""
        parts = [self.test(f"{w}.title", t) for t in node.title]
        if node.since_before is not None:
            parts.append(f"coalesce({w}.since < {self.param(node.since_before)}, false)")
        if node.since_after is not None:
            parts.append(f"coalesce({w}.since > {self.param(node.since_after)}, false)")
        if node.current is not None:
            parts.append(self.current(w) if node.current else f"(NOT {self.current(w)})")
        return parts

    def c_employment(self, node: n.Employment, v: str, entity: str) -> str:
        _, pattern, where = self.employment_match(node, v)
        return f"EXISTS {{ MATCH {pattern} WHERE {where} }}"

    def project_match(self, node: n.Project, v: str) -> tuple[str, str, str]:
        m, p = self.var("m"), self.var("p")
        parts = [self.test(f"{m}.role", t) for t in node.role]
        if node.where is not None:
            parts.append(self.expr(node.where, p, "project"))
        parts += self.in_scope("Project", p)
        return p, f"({v})-[{m}:MEMBER_OF]->({p}:Project)", " AND ".join(parts) or "true"

    def c_project(self, node: n.Project, v: str, entity: str) -> str:
        p, pattern, where = self.project_match(node, v)
        return self.counted(pattern, where, node.tests, distinct=p)

    def related_match(self, node: n.Related, v: str, named: bool = False) -> tuple[str, str, str, str, str]:
        """Return (anchor var, path var, pattern, node conditions, path conditions) for related customers.

        The path is named only when needed (explanations, colleague hops): naming it costs time.
        """
        a, path = self.var("a"), self.var("path")
        types: list[str] = [t for t in node.via if t != "COLLEAGUE"]
        hops = node.max_hops
        if not isinstance(hops, int) or isinstance(hops, bool) or not 1 <= hops <= 3:
            raise ValueError(f"maxHops {hops!r} is not a whole number from 1 to 3")
        parts = [f"{a} <> {v}"]
        on_path = "true"
        if node.via == ("COLLEAGUE",) and hops == 1:  # the common case, as a fixed pattern: much cheaper
            w1, w2 = self.var("w"), self.var("w")
            co = self.var("co") if self.scoped else ""  # the company they share must be inside too
            parts += [self.current(w1), self.current(w2), *self.in_scope("Company", co), *self.in_scope("Customer", a)]
            pattern = f"({v})-[{w1}:WORKS_AT]->({co}:Company)<-[{w2}:WORKS_AT]-({a}:Customer)"
            pattern = f"{path} = {pattern}" if named else pattern
            return a, path, pattern, " AND ".join(parts + self.anchor(node, a)), on_path
        if "COLLEAGUE" in node.via:
            # A colleague hop is customer-WORKS_AT->company<-WORKS_AT-customer on current employments: two
            # relationships that count as one hop.
            types.append("WORKS_AT")
            rel = self.var("rel")
            on_path = (
                f"ALL({rel} IN relationships({path}) WHERE type({rel}) <> 'WORKS_AT' OR {self.current(rel)}) AND "
                f"2 * size([{rel} IN relationships({path}) WHERE type({rel}) <> 'WORKS_AT']) + "
                f"size([{rel} IN relationships({path}) WHERE type({rel}) = 'WORKS_AT']) <= {2 * hops}"
            )
            hops *= 2
        rels = "|".join(check_identifier(t, "relationship type") for t in types)
        left, right = ("<-", "-") if node.direction == "in" else ("-", "->" if node.direction == "out" else "-")
        pattern = f"({v}){left}[:{rels}*1..{int(hops)}]{right}({a}:Customer)"
        if self.scoped:  # every customer and company on the way, the related one included, must be inside
            x = self.var("x")
            inside = (f"all({x} IN nodes({path}) WHERE ({x}:Customer AND {scope_condition('Customer', x)}) OR "
                      f"({x}:Company AND {scope_condition('Company', x)}))")
            on_path = inside if on_path == "true" else f"{on_path} AND {inside}"
        pattern = f"{path} = {pattern}" if named or on_path != "true" else pattern
        return a, path, pattern, " AND ".join(parts + self.anchor(node, a)), on_path

    def anchor(self, node: n.Related, a: str) -> list[str]:
        if node.to_id is not None:
            return [f"{a}.id = {self.param(node.to_id)}"]
        return [self.expr(node.to, a, "customer")] if node.to is not None else []

    def c_related(self, node: n.Related, v: str, entity: str) -> str:
        a, _, pattern, where, on_path = self.related_match(node, v)
        return self.counted(pattern, f"{where} AND {on_path}", node.tests, distinct=a)

    def company_employees(self, node: n.CompanyHas, co: str) -> tuple[str, str, str]:
        w, e = self.var("w"), self.var("e")
        parts = [self.current(w)]
        if node.employees is not None:
            parts.append(self.expr(node.employees, e, "customer"))
        parts += self.in_scope("Customer", e)
        return e, f"({co})<-[{w}:WORKS_AT]-({e}:Customer)", " AND ".join(parts)

    def c_companyhas(self, node: n.CompanyHas, v: str, entity: str) -> str:
        if entity == "company":
            e, pattern, where = self.company_employees(node, v)
            return self.counted(pattern, where, node.tests, distinct=e)
        w, co = self.var("w"), self.var("co")
        inner = self.c_companyhas(node, co, "company")
        where = " AND ".join([self.current(w), *self.in_scope("Company", co), inner])
        return f"EXISTS {{ MATCH ({v})-[{w}:WORKS_AT]->({co}:Company) WHERE {where} }}"


def compile_where(rule: n.Node, as_of: datetime, *, var: str = "c", entity: str = "customer",
                  prefix: str = "r", measured: Measured | None = None, scoped: bool = False) -> CompiledRule:
    """Return the rule as a WHERE expression on var (for callers that build their own query). Scoped, every other
    customer, company and project the rule reaches must lie inside `$scope_company_ids` (the caller scopes var)."""
    c = Compiler(as_of, prefix, measured, scoped)
    return CompiledRule(c.expr(rule, var, entity), c.params)


def compile_rule(rule: n.Node, as_of: datetime, *, entity: str = "customer", collect: bool = False,
                 measured: Measured | None = None) -> CompiledRule:
    """Return `MATCH (c:<Label>) WHERE <rule> RETURN c.id AS id` with its parameters.

    When the rule is a tag condition or an `all` holding one, the query starts from that tag's holders
    instead of scanning every customer (the start anchor). With collect, the query returns one row whose
    `ids` holds every matching id (each once): far fewer rows to stream for a whole-graph refresh. With
    measured (see count_keys), interaction counts already measured come from map parameters.
    """
    items = rule.items if isinstance(rule, n.All) else (rule,)
    anchor = next((i for i in items if isinstance(i, n.Tag)), None)
    colleague = next((i for i in items if _colleague_anchor(i)), None) if entity == "customer" else None
    if anchor is None and isinstance(colleague, n.Related):
        c = Compiler(as_of, measured=measured)
        w1, w2 = c.var("w"), c.var("w")
        parts = [c.current(w2), *c.anchor(colleague, "a"), c.current(w1), "c <> a"]
        parts += [c.expr(i, "c", entity) for i in items if i is not colleague]
        keys = _required_tags(colleague.to) if colleague.to is not None else None
        if keys:  # the anchors all hold one of these tags: start from those tags' holders, not every employment
            start = (f"MATCH (ga:Tag) WHERE ga.key IN {c.param(sorted(keys))} MATCH (ga)<-[:HAS_TAG]-(a:Customer) "
                     f"WITH DISTINCT a WHERE {parts[1]} MATCH (a)-[{w2}:WORKS_AT]->(co:Company) WHERE {parts[0]} ")
        else:
            start = f"MATCH (a:Customer)-[{w2}:WORKS_AT]->(co:Company) WHERE {' AND '.join(parts[:2])} "
        text = f"{start}MATCH (c:Customer)-[{w1}:WORKS_AT]->(co) WHERE {' AND '.join(parts[2:])} {_returning(True, collect)}"
        return CompiledRule(text, c.params)
    account = next((i for i in items if _account_anchor(i)), None) if entity == "company" else None
    if anchor is None and isinstance(account, n.CompanyHas) and account.employees is not None:
        return _compile_account(account, items, as_of, collect, measured)
    if anchor is None:
        where = compile_where(rule, as_of, entity=entity, measured=measured)
        return CompiledRule(f"MATCH (c:{LABELS[entity]}) WHERE {where.text} {_returning(False, collect)}", where.params)
    c = Compiler(as_of, measured=measured)
    t, g, key, parts = c.tag_parts(anchor)
    parts += [c.expr(i, "c", entity) for i in items if i is not anchor]
    text = (f"MATCH ({g}:Tag {{key: {key}}})<-[{t}:HAS_TAG]-(c:{LABELS[entity]}) WHERE {' AND '.join(parts)} "
            f"{_returning(True, collect)}")
    return CompiledRule(text, c.params)


def _returning(distinct: bool, collect: bool) -> str:
    """Return the RETURN clause of a compiled rule: a row per id, or one row with the list of ids."""
    if collect:
        return f"RETURN collect({'DISTINCT ' if distinct else ''}c.id) AS ids"
    return f"RETURN {'DISTINCT ' if distinct else ''}c.id AS id"


def employment_anchor(node: n.Employment, as_of: datetime, prefix: str, scoped: bool = False) -> CompiledRule:
    """Return MATCH clauses binding c to every customer the employment condition holds for (once per matching
    edge): the matching companies first, then their employees, instead of a subquery per customer. Scoped, only
    employments at the account manager's companies count (as in compile_where)."""
    c = Compiler(as_of, prefix, scoped=scoped)
    edge = c.employment_edge(node, "anchor_w")
    where = f" WHERE {' AND '.join(edge)}" if edge else ""
    if node.company is None and not scoped:
        return CompiledRule(f"MATCH (c:Customer)-[anchor_w:WORKS_AT]->(:Company){where}", c.params)
    company = " AND ".join(([c.expr(node.company, "anchor_co", "company")] if node.company is not None else [])
                           + c.in_scope("Company", "anchor_co"))
    return CompiledRule(f"MATCH (anchor_co:Company) WHERE {company}\n"
                        f"MATCH (c:Customer)-[anchor_w:WORKS_AT]->(anchor_co){where}", c.params)


def _account_anchor(node: n.Node) -> bool:
    """Whether node is "the company has at least k (k >= 1) current employees matching", where those employees
    must hold one of some tags: cheaper counted from those tags' holders than per company."""
    return (isinstance(node, n.CompanyHas) and node.employees is not None
            and _required_tags(node.employees) is not None and not check_all(0, node.tests))


def _compile_account(account: n.CompanyHas, items: tuple[n.Node, ...], as_of: datetime, collect: bool,
                     measured: Measured | None = None) -> CompiledRule:
    """Return the companies with enough current employees matching, counted from the required tags' holders to
    their companies; the rule's other conditions are checked on the companies found."""
    assert account.employees is not None
    c = Compiler(as_of, measured=measured)
    keys = c.param(sorted(_required_tags(account.employees) or ()))
    employee = c.expr(account.employees, "e", "customer")
    enough = c.tests("n", account.tests, nullable=False)
    rest = [c.expr(i, "c", "company") for i in items if i is not account]
    text = (f"MATCH (ga:Tag) WHERE ga.key IN {keys} MATCH (ga)<-[:HAS_TAG]-(e:Customer) WITH DISTINCT e WHERE {employee} "
            f"MATCH (e)-[w:WORKS_AT]->(c:Company) WHERE {c.current('w')} WITH c, count(DISTINCT e) AS n "
            f"WHERE {' AND '.join([enough, *rest])} {_returning(False, collect)}")
    return CompiledRule(text, c.params)


def _required_tags(node: n.Node) -> set[str] | None:
    """Return tag keys of which every customer matching node holds (an assignment of) at least one, or None."""
    if isinstance(node, n.Tag):
        return {node.key}
    if isinstance(node, n.Segment):
        return _required_tags(node.rule)
    if isinstance(node, n.AnyOf):
        keys: set[str] = set()
        for item in node.items:
            found = _required_tags(item)
            if found is None:
                return None
            keys |= found
        return keys or None
    if isinstance(node, n.All):
        return next((f for f in map(_required_tags, node.items) if f is not None), None)
    return None


def _colleague_anchor(node: n.Node) -> bool:
    """Whether node is "a current colleague of someone matching": cheaper from the anchors' companies."""
    return (isinstance(node, n.Related) and node.via == ("COLLEAGUE",) and node.max_hops == 1
            and node.tests == _ONE and (node.to is not None or node.to_id is not None))


def interactions_key(node: n.Interactions, as_of: datetime) -> CountKey | None:
    """Return the count key of an interactions condition that counts (without `where`), else None."""
    if node.measure != "count" or node.where is not None:
        return None
    if node.window is None:
        return tuple(node.types), None, None, None
    return (tuple(node.types), *node.window.bounds(as_of))


def count_keys(rule: n.Node, as_of: datetime) -> set[CountKey]:
    """Return the interaction counts a rule's compiled form tests (interactions counts, first/last interaction),
    so that a caller can measure them for every customer in one pass and compile with `measured`."""
    c = Compiler(as_of)
    found: set[CountKey] = set()
    stack = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, n.All | n.AnyOf):
            stack.extend(node.items)
        elif isinstance(node, n.Not):
            stack.append(node.item)
        elif isinstance(node, n.Segment):
            stack.append(node.rule)
        elif isinstance(node, n.Related) and node.to is not None:
            stack.append(node.to)
        elif isinstance(node, n.CompanyHas) and node.employees is not None:
            stack.append(node.employees)
        elif isinstance(node, n.Interactions) and (key := interactions_key(node, as_of)) is not None:
            found.add(key)
        elif isinstance(node, n.Recency):
            low, high, incl = c.recency_bounds(node)
            found.add((tuple(node.types), low, high, incl))
            if node.which == "last" and not incl:
                found.add((tuple(node.types), high, as_of, True))
            if node.which == "first" and low is not None:
                found.add((tuple(node.types), None, low, False))
    return found


def days_between(later: datetime, earlier: datetime) -> int:
    """Return whole days from earlier to later (used for 'days since' statistics)."""
    return (later - earlier) // timedelta(days=1)
