"""The CSV file types the importer understands, in dependency order."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.rows import (
    CompanyRow,
    CustomerRow,
    CustomerTagRow,
    EmploymentRow,
    InteractionRow,
    KnowsRow,
    MembershipRow,
    ProjectRow,
    ReferralRow,
    Row,
    TagRow,
)


@dataclass(frozen=True)
class FileSpec:
    """One importable file: its row model, its upsert query and what it depends on."""

    file: str
    model: type[Row]
    upsert: str
    required: tuple[str, ...]
    entity: str | None = None  # takes custom attribute columns for this AttributeDef entity
    takes_now: bool = True
    # Reads the batch's existing rows, so only new and changed ones are written (ingest/changes.py).
    existing: str | None = None
    keys: tuple[str, ...] = ("id",)
    # Unchanged rows are written too (without moving updated_at), so the edges the upsert merges come back.
    relink: bool = False
    # Labels whose ids the upsert MATCHes: a missing one drops the row, which its written count shows, so
    # ids this import run already wrote or found need no second look-up (ingest/importer.py).
    matched_refs: frozenset[str] = frozenset()
    # The label of the nodes a node file writes (keyed by its first key column), None for edge files.
    node_label: str | None = None
    # The column naming the customer whose activity digest a written row changes (graph/activity.py).
    activity_of: str | None = None

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".csv")


# Import order is by dependency: a file only references ids from files above it.
SPECS: tuple[FileSpec, ...] = (
    FileSpec("companies.csv", CompanyRow, "import/upsert_companies", ("id",), entity="company",
             existing="import/get_existing_companies", node_label="Company"),
    FileSpec("customers.csv", CustomerRow, "import/upsert_customers", ("id",), entity="customer",
             existing="import/get_existing_customers", node_label="Customer"),
    FileSpec("projects.csv", ProjectRow, "import/upsert_projects", ("id",), entity="project",
             existing="import/get_existing_projects", node_label="Project"),
    FileSpec("employment.csv", EmploymentRow, "import/upsert_employment", ("customer_id", "company_id"),
             takes_now=False, matched_refs=frozenset({"Customer", "Company"})),
    FileSpec("memberships.csv", MembershipRow, "import/upsert_memberships", ("customer_id", "project_id"),
             takes_now=False, existing="import/get_existing_memberships", keys=("customer_id", "project_id"),
             matched_refs=frozenset({"Customer", "Project"})),
    FileSpec("knows.csv", KnowsRow, "import/upsert_knows", ("customer_id", "other_id"), takes_now=False,
             matched_refs=frozenset({"Customer"})),
    FileSpec("referrals.csv", ReferralRow, "import/upsert_referrals", ("referrer_id", "referred_id"),
             takes_now=False, matched_refs=frozenset({"Customer"})),
    FileSpec("interactions.csv", InteractionRow, "import/upsert_interactions",
             ("id", "customer_id", "type", "occurred_at"), entity="interaction",
             existing="import/get_existing_interactions", relink=True,
             matched_refs=frozenset({"Customer"}), activity_of="customer_id"),
    FileSpec("tags.csv", TagRow, "import/upsert_tags", ("key",), existing="import/get_existing_tags",
             keys=("key",), node_label="Tag"),
    FileSpec("customer_tags.csv", CustomerTagRow, "import/upsert_customer_tags", ("customer_id", "tag_key"),
             existing="import/get_existing_customer_tags", keys=("customer_id", "tag_key"),
             matched_refs=frozenset({"Customer", "Tag"})),
)

SPEC_BY_FILE = {s.file: s for s in SPECS}

# The query that tells which ids of a label exist, for reference checks.
FIND_QUERY = {
    "Customer": "import/find_customers",
    "Company": "import/find_companies",
    "Project": "import/find_projects",
    "Tag": "import/find_tags",
}

REF_NOUN = {"Customer": "customer", "Company": "company", "Project": "project", "Tag": "tag"}
