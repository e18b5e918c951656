// The Neo4j 5 dialect gate for custgraph's Cypher files, as a library: lint.mjs is the CLI
// and the tests import it so they pay the linter's warm-up once, not once per file.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import {
  highlightSyntax,
  isNotParamError,
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const CYPHER_5 = 'CYPHER 5';
// DiagnosticSeverity from vscode-languageserver-types.
const ERROR = 1;

// Procedures and functions from plugins that a plain Neo4j 5 (and the embedded server) lacks.
const PLUGIN_NAMESPACE = /^(apoc|gds)\./i;

function withoutPlugins(registry) {
  return Object.fromEntries(
    Object.entries(registry ?? {}).filter(([name]) => !PLUGIN_NAMESPACE.test(name)),
  );
}

/**
 * The schema the files are checked against: the Neo4j 5 function and procedure lists the
 * package ships (testData.mockSchema, dumped from a Neo4j 5 server with APOC and GDS
 * installed) minus apoc.* and gds.*, so calling a plugin is an error. No labels, types,
 * property keys or parameters: the graph is empty at lint time and `$params` come at run time.
 */
export function neo4j5Schema() {
  const mock = testData.mockSchema;
  const filtered = (scoped) =>
    Object.fromEntries(Object.entries(scoped ?? {}).map(([v, reg]) => [v, withoutPlugins(reg)]));
  if (!mock.functions?.[CYPHER_5] || !mock.procedures?.[CYPHER_5]) {
    throw new Error('@neo4j-cypher/language-support no longer ships the Neo4j 5 lists in testData');
  }
  // The Cypher 25 lists stay too, so a `CYPHER 25` file fails on its prefix alone rather
  // than also on every built-in function it calls.
  return {
    functions: filtered(mock.functions),
    procedures: filtered(mock.procedures),
    defaultLanguage: CYPHER_5,
  };
}

/** Every `.cypher` file under the given files and directories, sorted, each once. */
export async function findCypherFiles(targets) {
  const found = new Set();
  async function walk(p) {
    const info = await stat(p);
    if (info.isDirectory()) {
      const entries = await readdir(p, { withFileTypes: true });
      for (const e of entries) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        const child = path.join(p, e.name);
        if (e.isDirectory()) await walk(child);
        else if (e.name.endsWith('.cypher')) found.add(child);
      }
    } else {
      found.add(p);
    }
  }
  for (const t of targets) await walk(path.resolve(t));
  return [...found].sort();
}

function oneLine(message) {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * `CYPHER <version>` prefixes other than 5, found on the token stream so comments (the
 * file header, the `/* :params *\/` block) before the prefix are skipped.
 */
function versionPrefixErrors(text) {
  const errors = [];
  const tokens = highlightSyntax(text).filter((t) => t.tokenType !== 'comment');
  let atStatementStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (atStatementStart && tok.token.toUpperCase() === 'CYPHER') {
      const next = tokens[i + 1];
      if (next && /^\d+$/.test(next.token) && next.token !== '5') {
        errors.push({
          line: tok.position.line,
          character: tok.position.startCharacter,
          message:
            `"CYPHER ${next.token}" prefix: custgraph targets Neo4j 5 (Cypher 5); ` +
            `remove the prefix and write Cypher 5`,
        });
      }
    }
    atStatementStart = tok.token === ';';
  }
  return errors;
}

/**
 * Lint one query text. Returns {errors, warnings}, each a list of
 * {line, column (both 1-based), message}. "Parameter $x is not defined." is dropped:
 * values arrive as `$params` at run time.
 */
export function lintText(text, schema = neo4j5Schema()) {
  const errors = [];
  const warnings = [];
  const add = (list, line0, char0, message) =>
    list.push({ line: line0 + 1, column: char0 + 1, message: oneLine(message) });

  if (text.trim() === '') {
    add(errors, 0, 0, 'the file holds no query');
    return { errors, warnings };
  }

  for (const e of versionPrefixErrors(text)) add(errors, e.line, e.character, e.message);

  // Each file is sent to the driver whole, and a driver runs one statement at a time.
  // The chunks are the query's tokens split at `;`, so their lengths give offsets.
  let offset = 0;
  const starts = [];
  for (const chunk of parseStatementsStrs(text)) {
    const body = chunk.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|;/g, '');
    if (body.trim() !== '') starts.push(offset + chunk.length - chunk.trimStart().length);
    offset += chunk.length;
  }
  if (starts.length > 1) {
    const before = text.slice(0, starts[1]).split('\n');
    add(
      errors,
      before.length - 1,
      before.at(-1).length,
      `a second statement: the file holds ${starts.length} statements, and a file holds exactly one query`,
    );
  }

  const { diagnostics } = lintCypherQuery(text, schema, { consoleCommandsEnabled: false });
  for (const d of diagnostics) {
    if (!isNotParamError(d)) continue;
    add(d.severity === ERROR ? errors : warnings, d.range.start.line, d.range.start.character, d.message);
  }
  const byPosition = (a, b) => a.line - b.line || a.column - b.column;
  errors.sort(byPosition);
  warnings.sort(byPosition);
  return { errors, warnings };
}

/** Lint files; returns [{file, errors, warnings}] in the given order. */
export async function lintFiles(files, schema = neo4j5Schema()) {
  const results = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    results.push({ file, ...lintText(text, schema) });
  }
  return results;
}
