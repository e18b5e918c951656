// Runs graphql-http's GraphQL-over-HTTP audit against a URL and prints the results as JSON.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql   (exit code 1 when any audit reports an error)
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
const out = results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }));
console.log(JSON.stringify(out, null, 1));
process.exit(out.some((r) => r.status === 'error') ? 1 : 0);
