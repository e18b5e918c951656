// The peer for custgraph's benchmarks: custgraph's data model served by @neo4j/graphql (v7)
// over the same database, on a plain Node HTTP server (graphql-http).
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USER=root NEO4J_PASSWORD=... NEO4J_DATABASE=crm PORT=4100 node server.mjs
//
// Known gaps of the embedded ArcadeDB Bolt endpoint, designed around here:
// - `cypherQueryOptions: { addVersionPrefix: false }`: the server rejects the `CYPHER 5` prefix.
// - no DateTime output fields, no @authorization validate rules, no nested totalCount with aggregate
//   (they need APOC or temporal functions the server lacks).
// GET /stats returns the number of database transactions run since start (round trips).
import http from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createHandler } from "graphql-http/lib/use/http";
import neo4j from "neo4j-driver";

const typeDefs = /* GraphQL */ `
  type Customer @node {
    id: ID!
    name: String
    firstName: String @alias(property: "first_name")
    lastName: String @alias(property: "last_name")
    email: String
    phone: String
    city: String
    country: String
    occupation: String
    gender: String
    worksAt: [Company!]! @relationship(type: "WORKS_AT", direction: OUT, properties: "WorksAt")
    projects: [Project!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "MemberOf")
    tags: [Tag!]! @relationship(type: "HAS_TAG", direction: OUT, properties: "HasTag")
    interactions: [Interaction!]! @relationship(type: "PERFORMED", direction: OUT)
    knows: [Customer!]! @relationship(type: "KNOWS", direction: OUT, queryDirection: UNDIRECTED)
    referred: [Customer!]! @relationship(type: "REFERRED", direction: OUT, properties: "Referred")
    referredBy: [Customer!]! @relationship(type: "REFERRED", direction: IN, properties: "Referred")
  }

  type Company @node {
    id: ID!
    name: String
    industry: String
    employeeCount: Int @alias(property: "employees")
    city: String
    country: String
    staff: [Customer!]! @relationship(type: "WORKS_AT", direction: IN, properties: "WorksAt")
    projects: [Project!]! @relationship(type: "OWNS", direction: OUT)
  }

  type Project @node {
    id: ID!
    name: String
    stage: String
    value: Float
    company: [Company!]! @relationship(type: "OWNS", direction: IN)
    members: [Customer!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "MemberOf")
  }

  type Interaction @node {
    id: ID!
    type: String
    amount: Float
    channel: String
    subject: String
    customer: [Customer!]! @relationship(type: "PERFORMED", direction: IN)
  }

  type Tag @node {
    key: String!
    name: String
    category: String
    description: String
    customers: [Customer!]! @relationship(type: "HAS_TAG", direction: IN, properties: "HasTag")
  }

  type WorksAt @relationshipProperties {
    title: String
    since: Date
    until: Date
  }

  type MemberOf @relationshipProperties {
    role: String
  }

  type HasTag @relationshipProperties {
    source: String
    score: Float
  }

  type Referred @relationshipProperties {
    converted: Boolean
  }
`;

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const database = process.env.NEO4J_DATABASE ?? "crm";
const port = Number(process.env.PORT ?? 4100);

let transactions = 0;
const driver = neo4j.driver(uri, neo4j.auth.basic(process.env.NEO4J_USER ?? "root", process.env.NEO4J_PASSWORD ?? ""), {
  maxConnectionPoolSize: 50,
  disableLosslessIntegers: true,
});

// Count round trips: every transaction function @neo4j/graphql runs goes through a session.
const session = driver.session.bind(driver);
driver.session = (config) => {
  const s = session(config);
  for (const name of ["executeRead", "executeWrite", "run"]) {
    const original = s[name].bind(s);
    s[name] = (...args) => {
      transactions += 1;
      return original(...args);
    };
  }
  return s;
};

const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();
await driver.verifyConnectivity({ database });

const handler = createHandler({
  schema,
  context: () => ({ sessionConfig: { database }, cypherQueryOptions: { addVersionPrefix: false } }),
});

const server = http.createServer((req, res) => {
  if (req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ transactions }));
    return;
  }
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  if (req.url.startsWith("/graphql")) {
    handler(req, res);
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`@neo4j/graphql peer on http://127.0.0.1:${port}/graphql`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    driver.close().finally(() => process.exit(0));
  });
}
