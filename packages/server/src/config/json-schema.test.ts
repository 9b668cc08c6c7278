import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { configJsonSchema } from './json-schema.js'
import { resolveConfig } from './load-config.js'

const schemaFile = new URL('../../config-schema.json', import.meta.url)
const exampleFile = new URL('../../../../examples/conserver.yaml', import.meta.url)

test('config-schema.json is the schema generated from config-schema.ts', () => {
  const generated = configJsonSchema()
  // VCONKIT_UPDATE_SCHEMA=1 node scripts/run-tests.mjs config/json-schema rewrites the file after a change.
  if (process.env.VCONKIT_UPDATE_SCHEMA === '1') {
    writeFileSync(schemaFile, `${JSON.stringify(generated, null, 2)}\n`)
  }
  // Compared as JSON, not as text: the formatter may lay the file out differently.
  assert.deepEqual(
    JSON.parse(readFileSync(schemaFile, 'utf8')),
    generated,
    'config-schema.json is stale: run VCONKIT_UPDATE_SCHEMA=1 node scripts/run-tests.mjs config/json-schema',
  )
})

const ajv = new Ajv2020({ allErrors: true, strict: true })
const validate = ajv.compile(configJsonSchema())
const hash = 'c'.repeat(64)

/** Files both checkers must accept. */
const valid: readonly unknown[] = [
  {},
  { port: 0, host: '0.0.0.0', log: { level: 'debug' } },
  { $schema: './config-schema.json', database_url: 'postgresql://x@y/z', redis_url: 'rediss://r' },
  {
    tokens: [{ hash, scope: 'ingest', lists: ['default'], label: 'partner' }],
    chains: [
      { name: 'default', ingress: ['default'], steps: ['validate', { use: 'tag', timeout_ms: 5 }] },
    ],
  },
]

/** Files both checkers must refuse (one problem each, within a single key). */
const invalid: readonly unknown[] = [
  { prot: 8000 },
  { port: 70_000 },
  { port: '8000' },
  { port: 1.5 },
  { host: '' },
  { database_url: 'mysql://x' },
  { validation: { mode: 'loose' } },
  { limits: { max_body_bytes: 10 } },
  { queue: { lease_ms: '30s' } },
  { tokens: [{ hash: 'abc', scope: 'admin' }] },
  { tokens: [{ scope: 'admin' }] },
  { chains: [{ name: 'c', ingress: [], steps: ['validate'] }] },
  { chains: [{ name: 'c', ingress: ['a'], steps: [] }] },
  { chains: [{ name: 'bad name', ingress: ['a'], steps: ['validate'] }] },
  { chains: [{ name: 'c', ingress: ['a'], steps: [{ name: 'x' }] }] },
  { chains: [{ name: 'c', ingress: ['a'], steps: [42] }] },
  { chains: [{ name: 'c', ingress: ['a'], steps: [{ use: 'tag', colour: 'red' }] }] },
  { log: 'debug' },
]

test('the JSON Schema and the checker agree on files both should accept', () => {
  for (const file of valid) {
    assert.equal(
      validate(file),
      true,
      `JSON Schema refused ${JSON.stringify(file)}: ${ajv.errorsText(validate.errors)}`,
    )
    const result = resolveConfig({
      text: JSON.stringify(file),
      source: 'c.json',
      env: {},
      cwd: '/',
    })
    assert.ok(
      result.ok,
      `checker refused ${JSON.stringify(file)}: ${JSON.stringify(result.problems)}`,
    )
  }
})

test('the JSON Schema and the checker agree on files both should refuse', () => {
  for (const file of invalid) {
    assert.equal(validate(file), false, `JSON Schema accepted ${JSON.stringify(file)}`)
    const result = resolveConfig({
      text: JSON.stringify(file),
      source: 'c.json',
      env: {},
      cwd: '/',
    })
    assert.equal(result.ok, false, `checker accepted ${JSON.stringify(file)}`)
  }
})

test('examples/conserver.yaml passes both checkers', () => {
  const text = readFileSync(exampleFile, 'utf8')
  const value = parse(text) as unknown
  assert.equal(validate(value), true, ajv.errorsText(validate.errors))
  const result = resolveConfig({ text, source: '/x/conserver.yaml', env: {}, cwd: '/' })
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.problems))
})

test('examples/conserver.yaml shows every key of the schema', () => {
  const text = readFileSync(exampleFile, 'utf8')
  const keys = new Set<string>()
  const walk = (node: unknown, prefix: string) => {
    if (typeof node !== 'object' || node === null) return
    const n = node as { properties?: Record<string, unknown>; items?: unknown; oneOf?: unknown[] }
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      if (key !== '$schema') keys.add(`${prefix}${key}`)
      walk(child, `${prefix}${key}.`)
    }
    if (n.items !== undefined) walk(n.items, prefix)
    for (const option of n.oneOf ?? []) walk(option, prefix)
  }
  walk(configJsonSchema(), '')
  for (const key of keys) {
    const last = key.split('.').pop() as string
    const shown = new RegExp(`^[\\s#-]*${last.replace('$', '\\$')}:`, 'm').test(text)
    assert.ok(shown, `examples/conserver.yaml does not show ${key}`)
  }
})
