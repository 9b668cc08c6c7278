/**
 * The erasure proof: a real conserver (API, workers, embedded ledger) ingests vCons naming a unique random
 * telephone number (as a party tel, in a dialog text, in a transcript analysis), lets them run through two chains
 * (one stores tags and reaches its egress list, one fails and is retried into a dead letter), then erases the
 * number over HTTP. Every byte the system keeps is then searched for the number, its national form, the written
 * form used in the text and the person's name (raw and UTF-16): every file in the data folder (the SQLite file,
 * its -wal and -shm), and, on PostgreSQL + Redis, the relation files of the test schema's tables, TOAST tables
 * and indexes (after a CHECKPOINT) and every Redis key under the test prefix. Before the erasure the same scan
 * must find the number (so the test can fail); after it, nothing. Finally `vcon audit history` shows the
 * vcon_deleted event with a valid receipt. Under CI=true an unreachable PostgreSQL or Redis fails the test.
 */
import assert from 'node:assert/strict'
import { createPublicKey, randomBytes, randomInt, randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import type { ChainConfig, ServerConfig } from '../src/config/server-config.js'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import type { StepFactory } from '../src/pipeline/step.js'
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { cleanEnv, runVcon } from './start/spawn-cli.js'
import { type Backends, type Needle, needleForms, scanKeptBytes } from './support/byte-scan.js'
import { sampleVcon } from './support/http-vcons.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'
import { dropPrefix, REDIS_TEST_URL, redisUnreachable } from './support/redis-test.js'
import { ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

/** A step whose upstream never answers: retried (queue.maxAttempts 3 in startLedgerApp), then a dead letter. */
const flakyStep: StepFactory = {
  type: 'flaky',
  create: (name) => ({
    name,
    type: 'flaky',
    run: async () => ({ kind: 'fail', reason: 'the upstream service did not answer' }),
  }),
}

const step = (use: string, options: Record<string, unknown> = {}) => ({
  use,
  name: use,
  options,
  timeoutMs: 5_000,
})
const CHAINS: ChainConfig[] = [
  {
    name: 'enrich',
    ingress: ['intake'],
    egress: [],
    concurrency: 2,
    steps: [step('validate'), step('tag', { tags: { stage: 'enriched' } }), step('flaky')],
  },
  {
    name: 'archive',
    ingress: ['intake'],
    egress: ['archived'],
    concurrency: 2,
    steps: [step('validate'), step('tag', { tags: { archived: 'yes' } })],
  },
]

function identity() {
  const digits = String(randomInt(1_000_000, 9_999_999))
  return {
    tel: `+1555${digits}`,
    national: `555${digits}`,
    written: `+1 555-${digits.slice(0, 3)}-${digits.slice(3)}`,
    name: `Quistorp${digits}`,
  }
}
type Identity = ReturnType<typeof identity>

/** About 12 kB of words that do not compress away. */
const filler = () =>
  Array.from({ length: 1200 }, () =>
    randomBytes(4)
      .toString('hex')
      .slice(0, 2 + randomInt(7)),
  ).join(' ')

/** Three vCons naming the person in three ways, and one that does not. */
function vconsOf(who: Identity): { mine: [string, string][]; other: [string, string] } {
  const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
  const agent = { tel: '+15551230001', name: 'Alice Agent' }
  const text = (body: string) => ({
    type: 'text',
    start: '2025-03-01T10:00:00.000Z',
    parties: [0, 1],
    originator: 1,
    mediatype: 'text/plain',
    encoding: 'none',
    body,
  })
  return {
    mine: [
      [a, JSON.stringify(sampleVcon(a, { parties: [agent, { tel: who.tel, name: who.name }] }))],
      // Over a database page: SQLite keeps it in overflow pages, PostgreSQL in its TOAST table.
      [
        b,
        JSON.stringify(sampleVcon(b, { dialog: [text(`${filler()} Call me on ${who.written}.`)] })),
      ],
      [
        c,
        JSON.stringify(
          sampleVcon(c, {
            analysis: [
              {
                type: 'transcript',
                dialog: 0,
                vendor: 'fake-stt',
                mediatype: 'text/plain',
                encoding: 'none',
                body: `Customer: my number is ${who.tel}, ${who.name} speaking.`,
              },
            ],
          }),
        ),
      ],
    ],
    other: [d, JSON.stringify(sampleVcon(d))],
  }
}

/** The person's identifiers as the scan looks for them. */
function needlesOf(who: Identity): Needle[] {
  return [
    ...needleForms('national number', who.national),
    ...needleForms('written number', who.written),
    ...needleForms('name', who.name),
  ]
}

/** The store's tables that hold identifiers, analysed before the first scan. */
const ANALYSED = ['vcons', 'vcon_parties', 'vcon_text', 'vcon_refs']

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function prove(t: TestContext, b: Backends) {
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-erasure-proof-'))
  const tokens = ledgerAppTokens()
  const configure = (c: ServerConfig): ServerConfig => ({
    ...c,
    ...(b.schema === undefined
      ? {}
      : {
          databaseUrl: POSTGRES_TEST_URL,
          postgres: { ...c.postgres, schema: b.schema, poolSize: 4 },
        }),
    ...(b.prefix === undefined ? {} : { redisUrl: REDIS_TEST_URL, redis: { prefix: b.prefix } }),
  })
  const app = await startLedgerApp({
    dataDir: dir,
    tokens,
    chains: CHAINS,
    steps: [flakyStep],
    configure,
  })
  try {
    assert.equal(app.ctx.store.kind, b.schema === undefined ? 'sqlite' : 'postgres')
    assert.equal(app.ctx.queue.kind, b.prefix === undefined ? 'sqlite' : 'redis')
    const who = identity()
    const { mine, other } = vconsOf(who)
    for (const [i, [, body]] of [...mine, other].entries()) {
      const response = await app.fetch('/v1/vcons?ingress=intake', {
        method: 'POST',
        headers: {
          'content-type': 'application/vcon+json',
          'idempotency-key': `proof-${i}-${randomUUID()}`,
        },
        body,
      })
      assert.equal(response.status, 201, await response.text())
    }
    const all = [...mine.map(([u]) => u), other[0]]
    await waitFor('every vCon archived, retried and dead-lettered', async () => {
      const dead = await app.ctx.queue.deadLetters({ limit: 100 })
      const stored = await Promise.all(all.map((u) => app.ctx.store.get(u)))
      return (
        dead.length === all.length &&
        (await app.ctx.queue.depth()) === 0 &&
        // Each chain stored its tagged version (which tag survives depends on which chain wrote last).
        stored.every((s) => s !== undefined && s.version >= 3)
      )
    })
    assert.ok((await app.ctx.queue.deadLetters({ limit: 100 })).every((d) => d.attempt === 3))

    if (app.ctx.store.kind === 'sqlite') {
      const { db } = app.ctx.store as SqliteStore
      // ANALYZE (as `PRAGMA optimize` runs it) samples index keys into sqlite_stat4, numbers among them.
      db.exec('ANALYZE')
      // Into the main file too: the proof must cover erasure inside the database file, not only the WAL.
      db.pragma('wal_checkpoint(TRUNCATE)')
    }
    const before = await scanKeptBytes(t, dir, needlesOf(who), b, ANALYSED)
    assert.ok(before.length > 0, 'before the erasure the scan finds the number (the scan can fail)')
    if (b.schema === undefined)
      assert.ok(
        before.some((hit) => hit.includes('vconkit.db:')),
        before.join('\n'),
      )
    else
      assert.ok(
        before.some((hit) => hit.startsWith('postgres ')),
        before.join('\n'),
      )

    const response = await app.fetch('/v1/privacy/erasures', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: `tel:${who.written}` }),
    })
    assert.equal(response.status, 200, await response.clone().text())
    const answer = (await response.json()) as { erased: string[]; events: { entryId?: string }[] }
    assert.deepEqual([...answer.erased].sort(), mine.map(([u]) => u).sort())
    assert.ok(answer.events.every((e) => typeof e.entryId === 'string'))
    await app.ctx.ledger?.recorder.flush()

    const after = await scanKeptBytes(t, dir, needlesOf(who), b)
    assert.deepEqual(after, [], 'after the erasure no byte kept anywhere names the person')
    // The queue kept nothing of them either, and the other vCon is whole.
    assert.deepEqual(
      (await app.ctx.queue.deadLetters({ limit: 100 })).map((d) => d.vconUuid),
      [other[0]],
    )
    assert.deepEqual(await app.ctx.queue.popEgress('archived', 100), [other[0]])
    assert.ok((await app.ctx.store.get(other[0])) !== undefined)

    // The auditor's view: the deletion is in the ledger with a receipt that verifies.
    const logKeyFile = join(dir, 'log-keys.cbor')
    const keySet = await fetch(`${app.url}/.well-known/scitt-keys`)
    writeFileSync(logKeyFile, new Uint8Array(await keySet.arrayBuffer()))
    const issuerKeyFile = join(dir, 'issuer.pub.pem')
    const pem = readFileSync(join(dir, LEDGER_KEY_FILES.issuer), 'utf8')
    writeFileSync(
      issuerKeyFile,
      createPublicKey(pem).export({ format: 'pem', type: 'spki' }) as string,
    )
    const erased = mine[0]?.[0] as string
    const audit = await runVcon(
      [
        'audit',
        'history',
        erased,
        '--ledger',
        app.url,
        '--issuer-key',
        issuerKeyFile,
        '--log-key',
        logKeyFile,
      ],
      cleanEnv({ VCONKIT_TOKEN: tokens.read }),
    )
    assert.equal(audit.code, 0, audit.stdout + audit.stderr)
    const events = [...audit.stdout.matchAll(/^ok +#\d+ (vcon_\w+)/gm)].map((m) => m[1])
    assert.equal(events[0], 'vcon_created')
    assert.equal(events.at(-1), 'vcon_deleted')
    assert.equal((audit.stdout.match(/receipt 0: valid/g) ?? []).length, events.length)
    assert.match(audit.stdout, /^verified$/m)
  } finally {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

test(
  'erasure proof on SQLite: no byte of the data folder names the person afterwards',
  { timeout: 60_000 },
  (t) => prove(t, {}),
)

const down = (await postgresUnreachable()) ?? (await redisUnreachable())
if (down !== undefined) {
  if (process.env.CI === 'true') {
    test('erasure proof on PostgreSQL and Redis: the services must be reachable in CI', () =>
      assert.fail(down))
  } else test.skip(`erasure proof on PostgreSQL and Redis: skipped, ${down}`)
} else {
  test('erasure proof on PostgreSQL and Redis: no relation file, key or file names the person afterwards', {
    timeout: 60_000,
  }, async (t) => {
    const schema = randomSchema('vck_erasure_proof')
    const prefix = `vconkit-erasure-${randomBytes(6).toString('hex')}`
    try {
      await prove(t, { schema, prefix })
    } finally {
      await dropSchema(schema)
      await dropPrefix(prefix)
    }
  })
}
