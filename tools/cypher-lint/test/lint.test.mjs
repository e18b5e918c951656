// The gate must pass the good corpus and fail each bad file with its own message.
// The library is called in-process (the linter's warm-up is paid once); the CLI is run
// twice, once per corpus, to prove the exit codes and the output format.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { findCypherFiles, lintFiles, lintText, neo4j5Schema } from '../cypherlint.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tool = path.resolve(here, '..');
const goodDir = path.join(here, 'good');
const badDir = path.join(here, 'bad');
const run = promisify(execFile);

// Each bad file and the one error it must produce: [line, column, message start].
const expected = {
  'syntax_error.cypher': [4, 1, "Invalid input 'RETURN': expected ')' or 'WHERE'"],
  'apoc_procedure.cypher': [3, 6, 'Procedure apoc.create.node is not present in the database.'],
  'apoc_function.cypher': [3, 8, 'Function apoc.text.join is not present in the database.'],
  'gds_function.cypher': [3, 8, 'Function gds.alpha.x is not present in the database.'],
  'cypher25_prefix.cypher': [4, 1, '"CYPHER 25" prefix: custgraph targets Neo4j 5 (Cypher 5)'],
  'exists_property.cypher': [
    4,
    7,
    'The property existence syntax `... exists(variable.property)` is no longer supported.',
  ],
  'two_statements.cypher': [4, 1, 'a second statement: the file holds 2 statements'],
};

const schema = neo4j5Schema();

test('the schema is Neo4j 5 built-ins without APOC or GDS', () => {
  assert.equal(schema.defaultLanguage, 'CYPHER 5');
  const fns = Object.keys(schema.functions['CYPHER 5']);
  const procs = Object.keys(schema.procedures['CYPHER 5']);
  for (const name of ['count', 'coalesce', 'datetime', 'duration', 'elementId', 'toLower']) {
    assert.ok(fns.includes(name), `function ${name} is listed`);
  }
  assert.ok(procs.includes('db.labels'), 'procedure db.labels is listed');
  const plugins = [...fns, ...procs].filter((n) => /^(apoc|gds)\./i.test(n));
  assert.deepEqual(plugins, []);
});

test('good files have no errors', async () => {
  const files = await findCypherFiles([goodDir]);
  assert.equal(files.length, 6);
  for (const { file, errors } of await lintFiles(files, schema)) {
    assert.deepEqual(errors, [], `${path.basename(file)} passes`);
  }
});

test('each bad file fails with its expected error and only that one', async () => {
  const files = await findCypherFiles([badDir]);
  assert.deepEqual(files.map((f) => path.basename(f)).sort(), Object.keys(expected).sort());
  for (const { file, errors } of await lintFiles(files, schema)) {
    const [line, column, message] = expected[path.basename(file)];
    const name = path.basename(file);
    // The syntax error also reports the unfinished MATCH; the first error is the one that matters.
    const first = errors[0];
    assert.ok(first, `${name} fails`);
    assert.deepEqual([first.line, first.column], [line, column], `${name}: position`);
    assert.ok(first.message.startsWith(message), `${name}: got "${first.message}"`);
    if (name !== 'syntax_error.cypher') assert.equal(errors.length, 1, `${name}: one error`);
  }
});

test('undefined $params are not errors; deprecations are warnings', () => {
  assert.deepEqual(lintText('RETURN $a + $`b c` AS x', schema), { errors: [], warnings: [] });
  const { errors, warnings } = lintText('MATCH (n) RETURN id(n) AS i', schema);
  assert.deepEqual(errors, []);
  assert.ok(warnings.some((w) => w.message === 'Function id is deprecated.'));
});

test('an explicit CYPHER 5 prefix is allowed; an empty file is not', () => {
  assert.deepEqual(lintText('CYPHER 5 RETURN 1 AS one', schema).errors, []);
  assert.deepEqual(lintText('  \n', schema).errors, [
    { line: 1, column: 1, message: 'the file holds no query' },
  ]);
});

test('CLI: good corpus exits 0 with the summary line', async () => {
  const { stdout } = await run(process.execPath, ['lint.mjs', 'test/good'], { cwd: tool });
  assert.equal(stdout.trim().split('\n').at(-1), '6 files linted, 0 errors');
});

test('CLI: bad corpus exits 1 and prints path:line:col: message', async () => {
  const err = await run(process.execPath, ['lint.mjs', 'test/bad'], { cwd: tool }).then(
    () => assert.fail('lint.mjs passed the bad corpus'),
    (e) => e,
  );
  assert.equal(err.code, 1);
  const lines = err.stdout.trim().split('\n');
  for (const [name, [line, column, message]] of Object.entries(expected)) {
    const prefix = `test/bad/${name}:${line}:${column}: ${message}`;
    assert.ok(
      lines.some((l) => l.startsWith(prefix)),
      `output has ${prefix}`,
    );
  }
  assert.equal(lines.at(-1), '7 files linted, 8 errors');
});

test('CLI: a missing path exits 2', async () => {
  const err = await run(process.execPath, ['lint.mjs', 'test/no-such-dir'], { cwd: tool }).then(
    () => assert.fail('lint.mjs accepted a missing path'),
    (e) => e,
  );
  assert.equal(err.code, 2);
  assert.match(err.stderr, /no-such-dir: no such file or directory/);
});
