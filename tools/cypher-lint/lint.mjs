#!/usr/bin/env node
// Usage: node lint.mjs [FILE_OR_DIR ...]   (default: the repo's cypher/ folder)
// Lints every .cypher file in one process against Neo4j 5 (no APOC/GDS, no CYPHER 25).
// Prints `path:line:col: message` per error (warnings too, marked), then a summary.
// Exit 0: no errors; 1: errors or no files found; 2: a path does not exist.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { findCypherFiles, lintFiles, neo4j5Schema } from './cypherlint.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const targets = process.argv.slice(2);
if (targets.length === 0) targets.push(path.resolve(here, '..', '..', 'cypher'));

let files;
try {
  files = await findCypherFiles(targets);
} catch (err) {
  if (err.code === 'ENOENT') {
    console.error(`${err.path}: no such file or directory`);
    process.exit(2);
  }
  throw err;
}
if (files.length === 0) {
  console.error(`no .cypher files found in ${targets.join(', ')}`);
  process.exit(1);
}

// Paths as the user would type them: relative to the working directory unless that is longer.
const shown = (file) => {
  const rel = path.relative(process.cwd(), file);
  return rel && rel.length < file.length ? rel : file;
};
const results = await lintFiles(files, neo4j5Schema());
let errorCount = 0;
let warningCount = 0;
for (const { file, errors, warnings } of results) {
  for (const w of warnings) {
    console.log(`${shown(file)}:${w.line}:${w.column}: warning: ${w.message}`);
  }
  for (const e of errors) {
    console.log(`${shown(file)}:${e.line}:${e.column}: ${e.message}`);
  }
  errorCount += errors.length;
  warningCount += warnings.length;
}
const noun = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
if (warningCount) console.log(`${noun(warningCount, 'warning')} (warnings do not fail the lint)`);
console.log(`${noun(files.length, 'file')} linted, ${noun(errorCount, 'error')}`);
process.exit(errorCount === 0 ? 0 : 1);
