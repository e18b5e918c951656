"""The exported SDL (schema.graphql) matches the code, and the root types keep their extension lists."""

from __future__ import annotations

from schema.app import SDL_PATH, export_sdl
from schema.mutation import MUTATIONS
from schema.query import QUERIES


def test_schema_graphql_matches_the_code() -> None:
    expected = export_sdl()
    assert SDL_PATH.read_text(encoding="utf-8") == expected, (
        "schema.graphql is out of date: run `python -c 'from schema.app import SDL_PATH, export_sdl; "
        "SDL_PATH.write_text(export_sdl())'` and commit it"
    )


def test_root_types_are_merged_from_area_classes() -> None:
    sdl = export_sdl()
    assert {q.__name__ for q in QUERIES} >= {"CustomerQueries", "CompanyQueries", "NetworkQueries"}
    assert {m.__name__ for m in MUTATIONS} >= {"CustomerMutations", "LinkMutations"}
    for field in ("customer(id: ID!): Customer", "relationshipPath(", "upsertCustomer(input: CustomerInput!): Customer!"):
        assert field in sdl
