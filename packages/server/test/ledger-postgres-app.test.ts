/**
 * The embedded ledger over PostgreSQL (vCons, ledger tables and tokens in one schema): lifecycle receipts verify,
 * receipts survive a restart, and a second server with a data folder of its own (a fresh log key) refuses to
 * start instead of silently rotating the first server's log key away.
 */
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { cpSync, mkdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeCoseKeySet, type VerificationKey, verifyTransparentStatement } from '@vconkit/ledger'
import pg from 'pg'
import type { ServerConfig } from '../src/config/server-config.js'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import { sampleText } from './support/http-vcons.js'
import { POSTGRES_TEST_URL, postgresUnreachable } from './support/postgres-test.js'
import { ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('ledger on PostgreSQL: PostgreSQL must be reachable in CI', () => assert.fail(message))
  } else test.skip(`ledger on PostgreSQL: skipped, ${message}`)
} else {
  test('the embedded ledger on PostgreSQL: receipts verify and survive a restart; key fights refused', async () => {
    const schema = `vck_ledger_app_${randomBytes(6).toString('hex')}`
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-ledger-pg-'))
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    const onPostgres = (c: ServerConfig): ServerConfig => ({
      ...c,
      databaseUrl: URL,
      postgres: { ...c.postgres, schema, poolSize: 4 },
    })
    const tokens = ledgerAppTokens()
    let app = await startLedgerApp({ dataDir: first, tokens, configure: onPostgres })
    try {
      assert.equal(app.ctx.store.kind, 'postgres')
      const uuid = randomUUID()
      const created = await app.fetch('/v1/vcons', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: sampleText(uuid),
      })
      assert.equal(created.status, 201)
      await app.ctx.ledger?.recorder.flush()
      const before = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as {
        events: { transparentStatement: string }[]
      }
      const logKeys = decodeCoseKeySet(
        new Uint8Array(await (await fetch(`${app.url}/.well-known/scitt-keys`)).arrayBuffer()),
      )
      const issuerKeys = [app.ctx.ledger?.issuerKey as VerificationKey]
      const statement = Buffer.from(before.events[0]?.transparentStatement as string, 'base64url')
      assert.equal(verifyTransparentStatement(statement, { issuerKeys, logKeys }).valid, true)

      // A second server with a folder of its own would create a new log key: refused, naming the fix.
      await assert.rejects(
        startLedgerApp({ dataDir: second, tokens, configure: onPostgres }),
        /copy ledger-log-key\.pem and ledger-issuer-key\.pem/,
      )
      // Again: still refused (the refused start left no key behind to be taken for a rotation).
      await assert.rejects(
        startLedgerApp({ dataDir: second, tokens, configure: onPostgres }),
        /copy ledger-log-key\.pem/,
      )
      // With the keys copied it starts and serves the same log.
      mkdirSync(second, { recursive: true })
      for (const name of Object.values(LEDGER_KEY_FILES)) {
        cpSync(join(first, name), join(second, name))
      }
      const other = await startLedgerApp({ dataDir: second, tokens, configure: onPostgres })
      try {
        const page = (await (await other.fetch('/entries?from=0')).json()) as { treeSize: number }
        assert.equal(page.treeSize, 1)
      } finally {
        await other.stop()
      }

      await app.stop()
      app = await startLedgerApp({ dataDir: first, tokens, configure: onPostgres })
      const after = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as unknown
      assert.deepEqual(after, before)
    } finally {
      await app.stop()
      const client = new pg.Client({ connectionString: URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
      await rm(dir, { recursive: true, force: true })
    }
  })
}
