"""Extension points for other areas: add a class to a list here instead of editing the core types.

- `CUSTOMER_FIELDS`: Strawberry types whose fields are added to `Customer` (e.g. the tag engine's
  `tags`, `whyTagged`, `tagHistory`). Such a class reads `self.id`; it must not import
  `schema.customer` at module level (use `strawberry.lazy` annotations for Customer references).
- Root fields: add query classes to `QUERIES` in `schema/query.py` and mutation classes to
  `MUTATIONS` in `schema/mutation.py`.
"""

from __future__ import annotations

from schema.tags import CustomerTagFields

CUSTOMER_FIELDS: list[type] = [CustomerTagFields]
