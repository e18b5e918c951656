// Everything held about one customer, for a personal-data export (others appear by id only).
// params: id
// returns: customer, employment, projects, tags, interactions, knows, referred, referred_by, tag_history, segment_snapshots, merges
/* :params {id: "c-001"} */
MATCH (c:Customer {id: $id})
RETURN c {.*} AS customer,
       [(c)-[r:WORKS_AT]->(co:Company) | {company_id: co.id, company_name: co.name, title: r.title, since: r.since, until: r.until}] AS employment,
       [(c)-[r:MEMBER_OF]->(p:Project) | {project_id: p.id, project_name: p.name, role: r.role, since: r.since}] AS projects,
       [(c)-[r:HAS_TAG]->(t:Tag) | {tag_key: t.key, tag_name: t.name, source: r.source, value: r.value, score: r.score,
                                     assigned_at: r.assigned_at, expires_at: r.expires_at, assigned_by: r.assigned_by,
                                     reason: r.reason}] AS tags,
       [(c)-[:PERFORMED]->(i:Interaction) | i {.*}] AS interactions,
       [(c)-[r:KNOWS]-(o:Customer) | {customer_id: o.id, since: r.since}] AS knows,
       [(c)-[r:REFERRED]->(o:Customer) | {customer_id: o.id, at: r.at, converted: r.converted}] AS referred,
       [(o:Customer)-[r:REFERRED]->(c) | {customer_id: o.id, at: r.at, converted: r.converted}] AS referred_by,
       COLLECT { MATCH (e:TagEvent {entity: 'customer', entity_id: c.id}) RETURN e {.*} } AS tag_history,
       COLLECT { MATCH (s:SegmentSnapshot) WHERE c.id IN s.members RETURN s {.id, .segment_key, .at} } AS segment_snapshots,
       COLLECT { MATCH (m:MergeRecord) WHERE m.kept_id = c.id OR m.merged_id = c.id RETURN m {.*} } AS merges
