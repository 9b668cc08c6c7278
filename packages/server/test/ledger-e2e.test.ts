/**
 * End to end: a real conserver (API and workers, embedded ledger in its SQLite file) with a chain that analyses
 * (fake vendor) and delivers by webhook (a loopback receiver). vCons are ingested, one is deleted, and the
 * auditor CLI, run from source against the server's URL with pinned keys, sees created, enhanced, sent and
 * deleted for it, every receipt verifying; replay recomputes the root and proves the log only grew; receipts
 * are identical after a restart; and no party name, number or e-mail is anywhere in the ledger's tables.
 */
import assert from 'node:assert/strict'
import { createPublicKey, randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import type { ChainConfig } from '../src/config/server-config.js'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import { cleanEnv, runVcon } from './start/spawn-cli.js'
import { type FakeVendor, startFakeVendor } from './support/fake-vendor.js'
import { sampleVcon } from './support/http-vcons.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

const env = { OPENAI_API_KEY: 'sk-ledger-e2e', HOOK_SECRET: 'hook-secret-ledger-e2e' }

/** Parties whose data must never reach the ledger. */
const PEOPLE = [
  { name: 'Zebulon Quixote', tel: '+15559876501', mailto: 'zebulon.q@example.org' },
  { name: 'Wilhelmina Ostrander', tel: '+15559876502', mailto: 'w.ostrander@example.net' },
  { name: 'Thaddeus Pembroke', tel: '+15559876503', mailto: 'thad.p@example.com' },
]

function partyVcon(uuid: string, i: number): string {
  const person = PEOPLE[i] as (typeof PEOPLE)[number]
  return JSON.stringify(
    sampleVcon(uuid, {
      parties: [
        { tel: person.tel, name: person.name, mailto: person.mailto },
        { tel: '+15551230001', name: 'Agent Smithers' },
      ],
    }),
  )
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('ledger end to end', () => {
  let dir: string
  let vendor: FakeVendor
  let receiver: FakeVendor
  let tokens: LedgerAppTokens
  let app: LedgerApp
  const uuids = [randomUUID(), randomUUID(), randomUUID()]
  const deleted = uuids[0] as string
  let logKeyFile: string
  let issuerKeyFile: string

  const chains = (): ChainConfig[] => [
    {
      name: 'default',
      ingress: ['default'],
      egress: [],
      concurrency: 2,
      steps: [
        { use: 'validate', name: 'validate', options: {}, timeoutMs: 5000 },
        {
          use: 'analyse',
          name: 'summary',
          options: {
            baseUrl: vendor.origin,
            allowInsecure: true,
            apiKeyEnv: 'OPENAI_API_KEY',
            kind: 'summary',
          },
          timeoutMs: 5000,
        },
        {
          use: 'webhook',
          name: 'deliver',
          options: {
            url: `${receiver.origin}/hooks/e2e`,
            secretEnv: 'HOOK_SECRET',
            allowInsecure: true,
          },
          timeoutMs: 5000,
        },
      ],
    },
  ]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-ledger-e2e-'))
    vendor = await startFakeVendor({ apiKey: env.OPENAI_API_KEY })
    receiver = await startFakeVendor()
    tokens = ledgerAppTokens()
    app = await startLedgerApp({ dataDir: dir, tokens, chains: chains(), env })
    for (const [i, uuid] of uuids.entries()) {
      const response = await app.fetch('/v1/vcons?ingress=default', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: partyVcon(uuid, i),
      })
      assert.equal(response.status, 201)
    }
    await waitFor('three webhook deliveries', () => receiver.requestsTo('/hooks/e2e').length >= 3)
    assert.equal((await app.fetch(`/v1/vcons/${deleted}`, { method: 'DELETE' })).status, 204)
    await app.ctx.ledger?.recorder.flush()
    assert.equal(await app.ctx.ledger?.recorder.pendingCount(), 0)
    // Pinned keys, as an auditor keeps them: the log's key set and the conserver's issuer public key.
    logKeyFile = join(dir, 'log-keys.cbor')
    const keySet = await fetch(`${app.url}/.well-known/scitt-keys`)
    writeFileSync(logKeyFile, new Uint8Array(await keySet.arrayBuffer()))
    issuerKeyFile = join(dir, 'issuer.pub.pem')
    const pem = readFileSync(join(dir, LEDGER_KEY_FILES.issuer), 'utf8')
    writeFileSync(
      issuerKeyFile,
      createPublicKey(pem).export({ format: 'pem', type: 'spki' }) as string,
    )
  })
  after(async () => {
    await app.stop()
    await vendor.close()
    await receiver.close()
    await rm(dir, { recursive: true, force: true })
  })

  const audit = (...args: string[]) =>
    runVcon(['audit', ...args, '--log-key', logKeyFile], cleanEnv({ VCONKIT_TOKEN: tokens.read }))

  test('vcon audit history shows created, enhanced, sent, deleted, every receipt verifying', async () => {
    const result = await audit(
      'history',
      deleted,
      '--ledger',
      app.url,
      '--issuer-key',
      issuerKeyFile,
    )
    assert.equal(result.code, 0, result.stdout + result.stderr)
    const events = [...result.stdout.matchAll(/^ok +#\d+ (vcon_\w+)/gm)].map((m) => m[1])
    assert.deepEqual(events, ['vcon_created', 'vcon_enhanced', 'vcon_sent', 'vcon_deleted'])
    assert.doesNotMatch(result.stdout, /FAIL|INVALID|GAP/)
    assert.equal((result.stdout.match(/receipt 0: valid/g) ?? []).length, 4)
    assert.match(result.stdout, /prev chain: linked/)
    assert.match(result.stdout, /^verified$/m)
    assert.equal(result.stderr, '')

    // A wrong pinned issuer key: every statement fails, exit 1.
    const wrongKey = join(dir, 'wrong.pem')
    const { generateKeyPairSync } = await import('node:crypto')
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    writeFileSync(wrongKey, publicKey.export({ format: 'pem', type: 'spki' }) as string)
    const refused = await audit('history', deleted, '--ledger', app.url, '--issuer-key', wrongKey)
    assert.equal(refused.code, 1)
    assert.match(refused.stdout, /LEDGER_KEY_UNKNOWN/)
  })

  test('vcon audit verify checks a receipts file offline; a flipped byte fails', async () => {
    const uuid = uuids[1] as string
    const answer = await app.fetch(`/v1/vcons/${uuid}/receipts`, { token: tokens.read })
    const file = join(dir, 'receipts.json')
    const text = await answer.text()
    writeFileSync(file, text)
    const ok = await audit('verify', file, '--issuer-key', issuerKeyFile)
    assert.equal(ok.code, 0, ok.stdout + ok.stderr)
    assert.equal((ok.stdout.match(/event document: bound/g) ?? []).length, 3)

    const body = JSON.parse(text) as { events: { transparentStatement: string }[] }
    const first = body.events[0] as { transparentStatement: string }
    const bytes = Buffer.from(first.transparentStatement, 'base64url')
    const last = bytes.length - 1
    bytes[last] = (bytes[last] as number) ^ 1 // inside the receipt's signature
    first.transparentStatement = bytes.toString('base64url')
    writeFileSync(file, JSON.stringify(body))
    const bad = await audit('verify', file, '--issuer-key', issuerKeyFile)
    assert.equal(bad.code, 1)
    assert.match(bad.stdout, /INVALID/)
  })

  test('vcon audit replay recomputes the root and proves the log only grew', async () => {
    const state = join(dir, 'audit-state.json')
    const first = await audit('replay', '--ledger', app.url, '--state', state)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.match(
      first.stdout,
      /replayed \d+ entries; root [0-9a-f]{16}… equals the signed checkpoint/,
    )
    const more = await app.fetch('/v1/vcons', {
      method: 'POST',
      headers: { 'content-type': 'application/vcon+json' },
      body: JSON.stringify(sampleVcon(randomUUID())),
    })
    assert.equal(more.status, 201)
    await app.ctx.ledger?.recorder.flush()
    const second = await audit('replay', '--ledger', app.url, '--state', state)
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /only grew since the saved checkpoint \((\d+) -> (\d+)\)/)
    // A rewritten history: the saved root no longer matches.
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { root: string }
    writeFileSync(state, JSON.stringify({ ...saved, root: '00'.repeat(32) }))
    const rewritten = await audit('replay', '--ledger', app.url, '--state', state)
    assert.equal(rewritten.code, 1)
    assert.match(rewritten.stdout, /REWRITTEN/)
  })

  test('receipts are the same after a restart and still verify', async () => {
    const uuid = uuids[2] as string
    const before = await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()
    await app.stop()
    app = await startLedgerApp({ dataDir: dir, tokens, chains: chains(), env })
    const after = await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()
    assert.deepEqual(after, before)
    const result = await audit('history', uuid, '--ledger', app.url, '--issuer-key', issuerKeyFile)
    assert.equal(result.code, 0, result.stdout + result.stderr)
  })

  test("no party's name, number or e-mail is in the ledger's tables (SQLite file and WAL)", async () => {
    const needles = PEOPLE.flatMap((p) => [p.name, p.tel, p.tel.slice(1), p.mailto])
    const db = new Database(join(dir, 'vconkit.db'), { readonly: true })
    try {
      const tables = (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'ledger\\_%' ESCAPE '\\' OR name LIKE 'lifecycle\\_%' ESCAPE '\\')",
          )
          .pluck()
          .all() as string[]
      ).sort()
      assert.deepEqual(tables, [
        'ledger_checkpoints',
        'ledger_entries',
        'ledger_keys',
        'ledger_nodes',
        'ledger_signed_roots',
        'ledger_state',
        'lifecycle_events',
        'lifecycle_heads',
      ])
      const scan = (table: string): Buffer => {
        const rows = db.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][]
        const parts = rows
          .flat()
          .map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8')))
        return Buffer.concat(parts)
      }
      const ledgerBytes = Buffer.concat(tables.map(scan))
      assert.ok(ledgerBytes.length > 10_000, 'the ledger tables hold data')
      for (const needle of needles) {
        assert.equal(ledgerBytes.indexOf(needle), -1, `${needle} found in the ledger tables`)
      }
      // The scan can fail: the vCons table (not the ledger) does hold the surviving parties.
      const vcons = scan('vcons')
      assert.notEqual(vcons.indexOf(PEOPLE[1]?.name as string), -1)
    } finally {
      db.close()
    }
  })
})
