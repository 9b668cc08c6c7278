#!/usr/bin/env node
// Runs every test file of every workspace in one node:test run, so that one summary (# pass / # fail) closes
// the output. Node 20's --test does not expand globs, hence the file walk here.
// Usage: node scripts/run-tests.mjs [path-filter...]
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2)

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, out)
    else if (name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const files = walk(join(root, 'packages'), [])
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort()

if (files.length === 0) {
  console.error('run-tests: no test files found; refusing to report success on nothing')
  process.exit(1)
}

const result = spawnSync(
  process.execPath,
  [
    '--conditions=vconkit-source',
    '--import',
    'tsx',
    '--test',
    // TAP (the default off a terminal) ends with the '# pass N / # fail N' lines CI reads;
    // VCONKIT_TEST_REPORTER=spec gives a shorter view when working locally.
    ...(process.env.VCONKIT_TEST_REPORTER
      ? [`--test-reporter=${process.env.VCONKIT_TEST_REPORTER}`]
      : []),
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
)
process.exit(result.status ?? 1)
