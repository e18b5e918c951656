// Validate every GraphQL document of src/queries.js against the service's exported SDL
// (schema.graphql at the repository root): a renamed or removed field fails here, before a
// browser ever sees "Cannot query field".
//
//   node e2e/check-queries.mjs [--schema ../schema.graphql]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const schemaPath = path.resolve(args.includes('--schema') ? args[args.indexOf('--schema') + 1] : path.join(here, '../../schema.graphql'));
const source = fs.readFileSync(path.join(here, '../src/queries.js'), 'utf8');
const docs = [...source.matchAll(/\/\* GraphQL \*\/ `([\s\S]*?)`/g)].map((m) => m[1]);
if (!docs.length) throw new Error('no /* GraphQL */ documents found in src/queries.js');

const schema = buildSchema(fs.readFileSync(schemaPath, 'utf8'));
let failed = 0;
for (const doc of docs) {
  const name = /(?:query|mutation)\s+(\w+)/.exec(doc)?.[1] ?? '(anonymous)';
  const errors = validate(schema, parse(doc));
  if (errors.length) {
    failed += 1;
    console.log(`FAIL ${name}`);
    for (const e of errors) console.log(`     ${e.message}`);
  } else {
    console.log(`ok   ${name}`);
  }
}
console.log(`\n${docs.length - failed} of ${docs.length} workspace queries valid against ${schemaPath}`);
process.exit(failed ? 1 : 0);
