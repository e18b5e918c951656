"""A seeded, realistic demo CRM graph written as import CSV files, then imported by the importer."""

from __future__ import annotations

import csv
import logging
import random
import tempfile
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from graph.db import Graph
from ingest import demo_words as w
from ingest.cli import import_with_progress
from ingest.importer import ImportOptions
from ingest.report import ImportReport

log = logging.getLogger(__name__)

# (project id, member customer indexes, start) per generated project.
Projects = list[tuple[str, list[int], datetime]]

HEADERS: dict[str, list[str]] = {
    "companies.csv": ["id", "name", "industry", "employees", "country", "city", "created_at", "listed:bool"],
    "customers.csv": ["id", "first_name", "last_name", "gender", "birth_date", "phone", "email", "country", "city",
                      "occupation", "source_channel", "created_at", "vip_level:int", "consent_marketing:bool",
                      "member_since:date", "preferred_language"],
    "projects.csv": ["id", "name", "company_id", "stage", "value", "started_at", "closed_at"],
    "employment.csv": ["customer_id", "company_id", "title", "since", "until"],
    "memberships.csv": ["customer_id", "project_id", "role", "since"],
    "knows.csv": ["customer_id", "other_id", "since"],
    "referrals.csv": ["referrer_id", "referred_id", "referred_at", "converted", "project_id"],
    "interactions.csv": ["id", "customer_id", "type", "occurred_at", "amount", "channel", "project_id", "subject",
                         "satisfaction:int"],
    "tags.csv": ["key", "name", "category", "description"],
    "customer_tags.csv": ["customer_id", "tag_key", "assigned_at", "expires_at", "source", "score", "reason"],
}


class DemoWriter:
    """Generates the demo CSV files row by row (streamed: memory grows with customers, not interactions)."""

    def __init__(self, customers: int, seed: int, as_of: date) -> None:
        self.n = customers
        self.rng = random.Random(seed)
        self.as_of = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
        self.start = self.as_of - timedelta(days=730)
        self.companies = max(5, customers // 15)
        self.cwidth = max(6, len(str(customers)))
        self.prev_email = ""

    def cid(self, i: int) -> str:
        return f"c-{i:0{self.cwidth}d}"

    def when(self, lo: datetime, hi: datetime) -> datetime:
        """Return a random second between lo and hi."""
        span = max(int((hi - lo).total_seconds()), 1)
        return lo + timedelta(seconds=self.rng.randrange(span))

    def write(self, out: Path) -> None:
        """Write every demo CSV file into out."""
        out.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            writers: dict[str, Any] = {}
            for name, header in HEADERS.items():
                f = stack.enter_context((out / name).open("w", encoding="utf-8", newline=""))
                writers[name] = csv.writer(f)
                writers[name].writerow(header)
            for file, row in self.rows():
                writers[file].writerow(["" if v is None else v for v in row])

    def rows(self) -> Iterator[tuple[str, list[Any]]]:
        """Yield (file name, row) for the whole graph, customers before what points at them."""
        rng = self.rng
        company_city: list[str] = []
        for k in range(self.companies):
            chinese = rng.random() < 0.7
            city = rng.choice(w.CN_CITIES if chinese else w.OTHER_CITIES)
            industry = rng.choice(w.INDUSTRIES)
            company_city.append(city)
            name = (city + rng.choice(w.CN_BRANDS) + w.CN_SUFFIX[industry] + "有限公司") if chinese else \
                f"{rng.choice(w.EN_BRANDS)} {w.EN_SUFFIX[industry]}"
            size = int(rng.lognormvariate(4.5, 1.4)) + 5
            created = self.when(self.start - timedelta(days=3650), self.start)
            yield "companies.csv", [f"co-{k:05d}", name, industry, size, "CN" if chinese else w.COUNTRY[city],
                                    city, created.isoformat(), str(rng.random() < 0.15).lower()]
        employees: dict[int, list[int]] = {}
        joined: list[datetime] = []
        for i in range(self.n):
            row, created, employer = self._customer(i, company_city)
            joined.append(created)
            if employer is not None:
                employees.setdefault(employer, []).append(i)
            yield "customers.csv", row
        yield from self._tags()
        projects = yield from self._projects(employees)
        yield from self._relations(employees, joined)
        member_of: dict[int, list[str]] = {}
        for pid, members, started in projects:
            for role_index, i in enumerate(members):
                member_of.setdefault(i, []).append(pid)
                role = "sponsor" if role_index == 0 else rng.choice(w.ROLES)
                yield "memberships.csv", [self.cid(i), pid, role, started.date().isoformat()]
        yield from self._interactions(joined, member_of)

    def _customer(self, i: int, company_city: list[str]) -> tuple[list[Any], datetime, int | None]:
        rng = self.rng
        chinese = rng.random() < 0.65
        gender = rng.choice(["male", "female"]) if rng.random() < 0.95 else rng.choice(["other", "unknown"])
        if chinese:
            last, first = rng.choice(w.CN_SURNAMES), "".join(rng.choices(w.CN_GIVEN, k=rng.choice([1, 2])))
            city = rng.choice(w.CN_CITIES)
            phone = f"{rng.choice(w.CN_MOBILE)}{rng.randrange(10**8):08d}"
            phone = phone if rng.random() < 0.5 else f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
            mail_name = f"{w.pinyin(last)}.{i}"
            gender_cell = {"male": "男", "female": "女"}.get(gender, gender) if rng.random() < 0.3 else gender
            country, lang = "CN", "zh"
        else:
            first = rng.choice(w.EN_FIRST_MALE if gender == "male" else w.EN_FIRST_FEMALE)
            last = rng.choice(w.EN_LAST)
            city = rng.choice(w.OTHER_CITIES)
            phone = f"+1 {rng.choice(w.US_AREA)} {rng.randint(200, 999)} {rng.randrange(10000):04d}"
            mail_name = f"{first.lower()}.{last.lower()}{i}"
            gender_cell = gender[0].upper() if rng.random() < 0.3 and gender in ("male", "female") else gender
            country, lang = w.COUNTRY[city], "en"
        email = f"{mail_name}@{rng.choice(w.MAIL_DOMAINS)}"
        if i % 997 == 1 and self.prev_email:  # a few probable duplicates, as real CRM data has
            email = self.prev_email
        self.prev_email = email
        created = self.when(self.start - timedelta(days=1460), self.as_of - timedelta(days=1))
        birth = date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        employer = rng.randrange(self.companies) if rng.random() < 0.7 else None
        member_since = (created + timedelta(days=rng.randint(0, 60))).date().isoformat() if rng.random() < 0.6 else ""
        row = [self.cid(i), first, last, gender_cell, birth.isoformat(), phone if rng.random() < 0.9 else "",
               email if rng.random() < 0.92 or i % 997 == 1 else "", country, city, rng.choice(w.OCCUPATIONS),
               rng.choice(w.CHANNELS), created.isoformat(), min(int(rng.expovariate(1.2)), 5),
               str(rng.random() < 0.55).lower() if rng.random() < 0.9 else "", member_since, lang]
        return row, created, employer

    def _tags(self) -> Iterator[tuple[str, list[Any]]]:
        for key, name, category, description in w.TAGS:
            yield "tags.csv", [key, name, category, description]

    def _projects(self, employees: dict[int, list[int]]) -> Generator[tuple[str, list[Any]], None, Projects]:
        """Yield project rows; return (project id, members, started) for memberships."""
        rng = self.rng
        out: Projects = []
        p = 0
        for company in range(self.companies):
            staff = employees.get(company, [])
            for _ in range(rng.choice([0, 1, 1, 2, 3]) if staff else 0):
                stage = rng.choices(w.STAGES, weights=[3, 3, 3, 2, 4, 2])[0]
                started = self.when(self.start, self.as_of - timedelta(days=30))
                closed = self.when(started, self.as_of) if stage in ("won", "lost") else None
                pid = f"p-{p:05d}"
                p += 1
                value = round(rng.lognormvariate(11.5, 1.0), 2)
                yield "projects.csv", [pid, f"{rng.choice(w.PROJECT_KINDS)} {p}", f"co-{company:05d}", stage, value,
                                       started.isoformat(), closed.isoformat() if closed else ""]
                out.append((pid, rng.sample(staff, min(len(staff), rng.randint(1, 5))), started))
        return out

    def _relations(self, employees: dict[int, list[int]], joined: list[datetime]) -> Iterator[tuple[str, list[Any]]]:
        rng = self.rng
        for company, staff in employees.items():
            for i in staff:
                since = rng.randint(2005, self.as_of.year)
                since_cell: str = str(since) if rng.random() < 0.4 else f"{since}-{rng.randint(1, 12):02d}-01"
                yield "employment.csv", [self.cid(i), f"co-{company:05d}", rng.choice(w.TITLES), since_cell, ""]
                if rng.random() < 0.2:  # an earlier job that ended
                    other = rng.randrange(self.companies)
                    if other != company:
                        yield "employment.csv", [self.cid(i), f"co-{other:05d}", rng.choice(w.TITLES),
                                                 str(since - rng.randint(3, 8)), f"{since - 1}-12-31"]
        seen: set[tuple[int, int]] = set()
        for i in range(self.n):
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
                j = rng.randrange(self.n)
                pair = (min(i, j), max(i, j))
                if i != j and pair not in seen:
                    seen.add(pair)
                    met = self.when(max(joined[i], joined[j]) - timedelta(days=400), self.as_of)
                    yield "knows.csv", [self.cid(i), self.cid(j), met.isoformat()]
        for j in range(1, self.n):  # referral chains: a customer refers a later one
            if rng.random() < 0.18:
                i = rng.randrange(max(0, j - 50), j)
                at = joined[j] - timedelta(days=rng.randint(1, 30))
                yield "referrals.csv", [self.cid(i), self.cid(j), at.isoformat(),
                                        str(rng.random() < 0.6).lower(), ""]
        for i in range(self.n):
            if rng.random() < 0.06:
                key = rng.choice(w.TAGS)[0]
                at = self.when(self.start, self.as_of)
                expires = (at + timedelta(days=365)).isoformat() if key == "event_vip" else ""
                yield "customer_tags.csv", [self.cid(i), key, at.isoformat(), expires, "manual",
                                            round(rng.uniform(0.5, 1.0), 2), rng.choice(w.TAG_REASONS)]

    def _interactions(self, joined: list[datetime], member_of: dict[int, list[str]]) -> Iterator[tuple[str, list[Any]]]:
        rng = self.rng
        width = max(7, len(str(self.n * 10)))
        k = 0
        for i in range(self.n):
            lo = max(joined[i], self.start)
            for _ in range(min(int(rng.expovariate(0.1)), 60)):
                kind = rng.choices(w.INTERACTION_TYPES, weights=[30, 20, 20, 10, 8, 7, 5])[0]
                at = self.when(lo, self.as_of)
                projects = member_of.get(i)
                project = rng.choice(projects) if projects and kind in ("meeting", "call", "email") and \
                    rng.random() < 0.5 else ""
                amount = round(rng.lognormvariate(5.0, 1.1), 2) if kind == "purchase" else ""
                satisfaction = rng.randint(1, 5) if kind == "feedback" else ""
                yield "interactions.csv", [f"i-{k:0{width}d}", self.cid(i), kind, at.isoformat(), amount,
                                           rng.choice(w.CHANNELS_BY_TYPE[kind]), project,
                                           rng.choice(w.SUBJECTS[kind]), satisfaction]
                k += 1


def write_demo(out: Path, customers: int = 3000, seed: int = 7, as_of: date | None = None) -> None:
    """Write the demo CSV files for `customers` customers into out (same seed and as_of, same files)."""
    DemoWriter(customers, seed, as_of or datetime.now(UTC).date()).write(out)


async def run_demo(graph: Graph, *, customers: int = 3000, seed: int = 7, out: Path | None = None,
                   only_if_empty: bool = False, default_region: str = "CN", as_of: date | None = None,
                   console: Console | None = None) -> int:
    """Generate the demo CSV files and import them; return 0, or 1 when rows were rejected."""
    console = console or Console(stderr=True)
    if only_if_empty:
        existing = (await graph.read("import/count_customers"))[0]["customers"]
        if existing:
            console.print(f"the graph already holds {existing} customers; demo data not loaded")
            return 0
    with tempfile.TemporaryDirectory(prefix="custgraph-demo-") as tmp:
        directory = out or Path(tmp)
        console.print(f"writing demo CSV files for {customers} customers to {directory}")
        write_demo(directory, customers, seed, as_of)
        options = ImportOptions(batch_size=5000, default_region=default_region)
        report: ImportReport = await import_with_progress(graph, directory, options, console)
    console.print(report.summary_table())
    for rejection in report.rejections[:10]:
        console.print(f"  rejected {rejection}", markup=False)
    return 1 if report.problems else 0
