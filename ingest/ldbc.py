"""Convert the LDBC SNB social network (CsvBasic, pipe-separated) into the import CSV format.

Real, independent data for tests and benchmarks: persons become customers (city and country
from their place), companies become companies, work-at becomes employment (a bare year),
knows becomes knows, and interests become manual tags (tag class as category).

    python -m ingest.ldbc ../shared/datasets/ldbc-snb-sf0.1 OUT_DIR
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The shared data sets sit beside the checkout (as they do for CI), not at a fixed path.
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "ldbc-snb-sf0.1"


@dataclass(frozen=True)
class Converted:
    """How many rows each written file holds."""

    counts: dict[str, int]


def read(source: Path, name: str) -> Iterator[list[str]]:
    """Yield the data rows of one LDBC file (header skipped)."""
    with (source / name).open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE)
        next(rows, None)
        yield from rows


def ldbc_datetime(value: str) -> str:
    """Return an LDBC yyyyMMddHHmmssSSS timestamp as ISO 8601 UTC."""
    return f"{value[0:4]}-{value[4:6]}-{value[6:8]}T{value[8:10]}:{value[10:12]}:{value[12:14]}.{value[14:17]}Z"


def ldbc_date(value: str) -> str:
    """Return an LDBC yyyyMMdd date as YYYY-MM-DD."""
    return f"{value[0:4]}-{value[4:6]}-{value[6:8]}"


def convert(source: Path, out: Path, *, interests: bool = True) -> Converted:
    """Write customers, companies, employment, knows (and, with interests, tags and customer_tags) into out."""
    out.mkdir(parents=True, exist_ok=True)
    places = {pid: (name.replace("_", " "), kind) for pid, name, _url, kind in read(source, "Place.csv")}
    part_of = dict(read(source, "Place_isPartOf_Place.csv"))
    person_place = dict(read(source, "Person_isLocatedIn_Place.csv"))
    org_place = dict(read(source, "Organisation_isLocatedIn_Place.csv"))
    counts: dict[str, int] = {}

    def city_country(place_id: str | None) -> tuple[str, str]:
        if place_id is None or place_id not in places:
            return "", ""
        name, kind = places[place_id]
        if kind == "City":
            return name, places.get(part_of.get(place_id, ""), ("", ""))[0]
        return "", name if kind == "Country" else ""

    def write(name: str, header: list[str], rows: Iterator[list[str]]) -> None:
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            n = 0
            for row in rows:
                w.writerow(row)
                n += 1
        counts[name] = n

    def customers() -> Iterator[list[str]]:
        for pid, first, last, gender, birthday, created, _ip, browser in read(source, "Person.csv"):
            city, country = city_country(person_place.get(pid))
            yield [f"p-{pid}", first, last, gender, ldbc_date(birthday), ldbc_datetime(created), city, country,
                   "ldbc", browser]

    companies: set[str] = set()

    def company_rows() -> Iterator[list[str]]:
        for oid, kind, name, _url in read(source, "Organisation.csv"):
            if kind == "Company":
                companies.add(oid)
                city, country = city_country(org_place.get(oid))
                yield [f"o-{oid}", name.replace("_", " "), country, city]

    def employment() -> Iterator[list[str]]:
        for pid, oid, year in read(source, "Person_workAt_Organisation.csv"):
            if oid in companies:
                yield [f"p-{pid}", f"o-{oid}", year]

    def knows() -> Iterator[list[str]]:
        for name in ("Person_knows_Person.csv", "Person_knows_Person_1.csv"):
            for a, b, created in read(source, name):
                yield [f"p-{a}", f"p-{b}", ldbc_datetime(created)]

    liked = list(read(source, "Person_hasInterest_Tag.csv")) if interests else []
    used = {tag for _pid, tag in liked}
    classes = {cid: name for cid, name, _url in read(source, "TagClass.csv")}
    tag_class = dict(read(source, "Tag_hasType_TagClass.csv"))

    def tags() -> Iterator[list[str]]:
        for tid, name, _url in read(source, "Tag.csv"):
            if tid in used:
                yield [f"t-{tid}", name.replace("_", " "), classes.get(tag_class.get(tid, ""), "")]

    write("customers.csv", ["id", "first_name", "last_name", "gender", "birth_date", "created_at", "city", "country",
                            "source_channel", "browser"], customers())
    write("companies.csv", ["id", "name", "country", "city"], company_rows())
    write("employment.csv", ["customer_id", "company_id", "since"], employment())
    write("knows.csv", ["customer_id", "other_id", "since"], knows())
    if not interests:
        return Converted(counts)
    write("tags.csv", ["key", "name", "category"], tags())
    write("customer_tags.csv", ["customer_id", "tag_key", "source"],
          ([f"p-{pid}", f"t-{tid}", "ldbc"] for pid, tid in liked))
    return Converted(counts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m ingest.ldbc LDBC_DIR OUT_DIR", file=sys.stderr)
        return 2
    converted = convert(Path(args[0]), Path(args[1]))
    for name, n in converted.counts.items():
        print(f"{name}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
