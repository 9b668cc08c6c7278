/**
 * Consent enforcement end to end, over HTTP with the real application (API and workers) and the fake vendor
 * server, on SQLite and on PostgreSQL: a step whose purpose is not granted never calls its vendor and the skip
 * is visible in the API and the metrics; a restriction stops every step; a withdrawal stops queued work for its
 * purposes, amends the vCon and is recorded in the ledger; the no-lawful-basis default is configurable.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { isPermitted, lawfulBasisAttachment, type Vcon } from '@vconkit/vcon'
import type { ChainConfig, ServerConfig } from '../src/config/server-config.js'
import { type FakeVendor, startFakeVendor } from './support/fake-vendor.js'
import { signedText } from './support/http-vcons.js'
import { callVcon } from './support/pipeline-vcons.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'
import { type LedgerApp, ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

const env = { OPENAI_API_KEY: 'sk-privacy-enforcement' }
const CUSTOMER_TEL = '+15551230002'

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A call vCon whose lawful basis (for the whole vCon) grants `purposes`, until `expiration` (default: indefinitely). */
function grantedCall(purposes: readonly string[], expiration: string | null = null): Vcon {
  const vcon = callVcon(randomUUID())
  return {
    ...vcon,
    extensions: ['lawful_basis'],
    attachments: [
      lawfulBasisAttachment({
        basis: 'consent',
        expiration,
        dialog: 0,
        grants: purposes.map((purpose) => ({ purpose, granted: true })),
        at: new Date('2025-03-01T09:59:00Z'),
      }),
    ],
  }
}

type Backend = 'sqlite' | 'postgres'

function suite(backend: Backend): void {
  describe(`consent enforcement on ${backend}`, () => {
    let vendor: FakeVendor
    let dir: string
    const schemas: string[] = []
    before(async () => {
      vendor = await startFakeVendor({ apiKey: env.OPENAI_API_KEY })
      dir = await mkdtemp(join(tmpdir(), 'vconkit-privacy-'))
    })
    after(async () => {
      await vendor.close()
      await rm(dir, { recursive: true, force: true })
      for (const schema of schemas) await dropSchema(schema)
    })

    function chains(): ChainConfig[] {
      const vendorOptions = {
        baseUrl: vendor.origin,
        allowInsecure: true,
        apiKeyEnv: 'OPENAI_API_KEY',
      }
      return [
        {
          name: 'calls',
          ingress: ['calls'],
          egress: ['processed'],
          concurrency: 2,
          steps: [
            {
              use: 'transcribe',
              name: 'transcribe',
              options: { ...vendorOptions, model: 'whisper-1' },
              timeoutMs: 5000,
            },
            {
              use: 'analyse',
              name: 'summary',
              options: { ...vendorOptions, kind: 'summary' },
              timeoutMs: 5000,
            },
          ],
        },
      ]
    }

    /** A configuration of its own per test (data folder, schema); `start` may be called again to restart. */
    function app(privacy?: Partial<ServerConfig['privacy']>) {
      const dataDir = join(dir, randomUUID())
      const schema = randomSchema('vck_enforce')
      if (backend === 'postgres') schemas.push(schema)
      const tokens = ledgerAppTokens()
      return (workers = true): Promise<LedgerApp> =>
        startLedgerApp({
          dataDir,
          tokens,
          chains: chains(),
          env,
          workers,
          configure: (c) => ({
            ...c,
            privacy: { ...c.privacy, ...privacy },
            ...(backend === 'postgres'
              ? { databaseUrl: POSTGRES_TEST_URL, postgres: { ...c.postgres, schema, poolSize: 4 } }
              : {}),
          }),
        })
    }

    const ingest = async (server: LedgerApp, vcon: Vcon): Promise<void> => {
      const res = await server.fetch('/v1/vcons?ingress=calls', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: JSON.stringify(vcon),
      })
      assert.equal(res.status, 201, await res.text())
    }
    const skipsOf = async (server: LedgerApp, uuid: string) => {
      const res = await server.fetch(`/v1/vcons/${uuid}/skips`)
      assert.equal(res.status, 200)
      return ((await res.json()) as { items: Record<string, unknown>[] }).items
    }

    test('a step whose purpose has no grant never calls its vendor; the skip shows in the API and metrics', async () => {
      const server = await app()()
      try {
        const chatBefore = vendor.requestsTo('/chat/completions').length
        const sttBefore = vendor.requestsTo('/audio/transcriptions').length
        const vcon = grantedCall(['transcription'])
        await ingest(server, vcon)
        await waitFor(
          'the summary and egress skips',
          async () => (await skipsOf(server, vcon.uuid)).length === 2,
        )
        const skips = await skipsOf(server, vcon.uuid)
        assert.deepEqual(
          skips.map((s) => [s.step, s.code, s.purpose]),
          [
            ['summary', 'no-grant', 'analytics'],
            ['(egress)', 'no-grant', 'sharing'],
          ],
        )
        assert.match(String(skips[0]?.reason), /analytics/)
        assert.equal(
          vendor.requestsTo('/chat/completions').length,
          chatBefore,
          'the LLM vendor was called',
        )
        assert.equal(
          vendor.requestsTo('/audio/transcriptions').length,
          sttBefore + 2,
          'transcription did not run',
        )
        const stored = (await (await server.fetch(`/v1/vcons/${vcon.uuid}`)).json()) as Vcon
        assert.equal(stored.analysis?.filter((a) => a.type === 'wtf_transcription').length, 2)
        const metrics = await (await server.fetch('/metrics')).text()
        const skipped = metrics
          .split('\n')
          .filter((l) => l.startsWith('vconkit_pipeline_steps_skipped_total'))
        assert.deepEqual(skipped.sort(), [
          'vconkit_pipeline_steps_skipped_total{chain="calls",code="no-grant",step="(egress)"} 1',
          'vconkit_pipeline_steps_skipped_total{chain="calls",code="no-grant",step="summary"} 1',
        ])
        const egress = await server.fetch('/vcon/egress?egress_list=processed&limit=10')
        assert.deepEqual(await egress.json(), [])
      } finally {
        await server.stop()
      }
    })

    test('a restriction of a party stops every step until it is lifted', async () => {
      const server = await app()()
      try {
        const before = vendor.requests.length
        const made = await server.fetch('/v1/privacy/restrictions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            identifier: 'tel:+1 555 123 0002',
            reason: 'objection under Art. 21',
          }),
        })
        assert.equal(made.status, 201)
        const restriction = (await made.json()) as { id: string; identifier: string }
        assert.equal(restriction.identifier, `tel:${CUSTOMER_TEL}`)
        const held = callVcon(randomUUID())
        await ingest(server, held)
        await waitFor(
          'the restriction skip',
          async () => (await skipsOf(server, held.uuid)).length === 1,
        )
        const [skip] = await skipsOf(server, held.uuid)
        assert.equal(skip?.code, 'restricted')
        assert.equal(vendor.requests.length, before, 'a vendor was called for a restricted vCon')

        // A signed vCon's parties cannot be read by the runner, but a restriction of the vCon itself holds.
        const signedUuid = randomUUID()
        const bySigned = await server.fetch('/v1/privacy/restrictions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ uuid: signedUuid }),
        })
        assert.equal(bySigned.status, 201)
        const sent = await server.fetch('/v1/vcons?ingress=calls', {
          method: 'POST',
          headers: { 'content-type': 'application/vcon+json' },
          body: signedText(signedUuid),
        })
        assert.equal(sent.status, 201, await sent.text())
        await waitFor(
          'the signed vCon skip',
          async () => (await skipsOf(server, signedUuid)).length === 1,
        )
        assert.deepEqual(
          (await skipsOf(server, signedUuid)).map((s) => [s.step, s.code]),
          [['(egress)', 'restricted']],
        )
        const egress = await server.fetch('/vcon/egress?egress_list=processed&limit=10')
        assert.deepEqual(await egress.json(), [])

        const lifted = await server.fetch(`/v1/privacy/restrictions/${restriction.id}`, {
          method: 'DELETE',
        })
        assert.equal(lifted.status, 204)
        assert.equal(
          (await server.fetch(`/v1/privacy/restrictions/${restriction.id}`, { method: 'DELETE' }))
            .status,
          404,
        )
        const free = callVcon(randomUUID())
        await ingest(server, free)
        await waitFor('the free vCon is summarised', async () => {
          const stored = (await (await server.fetch(`/v1/vcons/${free.uuid}`)).json()) as Vcon
          return (stored.analysis ?? []).some((a) => a.type === 'summary')
        })
        assert.deepEqual(await skipsOf(server, free.uuid), [])
      } finally {
        await server.stop()
      }
    })

    test('a withdrawal stops queued work for its purposes, amends the vCon and is in the ledger', async () => {
      const start = app()
      const vcon = grantedCall(['transcription', 'analytics', 'sharing'])
      const chatBefore = vendor.requestsTo('/chat/completions').length
      let amendedBy: string
      const apiOnly = await start(false)
      try {
        await ingest(apiOnly, vcon) // queued: no worker runs in this process
        const res = await apiOnly.fetch('/v1/privacy/withdrawals', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ identifier: `tel:${CUSTOMER_TEL}`, purposes: ['analytics'] }),
        })
        assert.equal(res.status, 201)
        const body = (await res.json()) as { amended: { uuid: string; amendedBy: string }[] }
        assert.equal(body.amended.length, 1)
        assert.equal(body.amended[0]?.uuid, vcon.uuid)
        amendedBy = body.amended[0]?.amendedBy as string
        const amended = (await (await apiOnly.fetch(`/v1/vcons/${amendedBy}`)).json()) as Vcon
        assert.equal((amended.amended as { uuid?: string } | undefined)?.uuid, vcon.uuid)
        assert.equal(isPermitted(amended, { purpose: 'analytics', party: 1 }).code, 'denied')
        assert.equal(isPermitted(amended, { purpose: 'transcription', party: 1 }).permitted, true)
        const prior = (await (await apiOnly.fetch(`/v1/vcons/${vcon.uuid}`)).json()) as Vcon
        assert.deepEqual(prior.attachments, vcon.attachments, 'the prior version was changed')
        const receipts = (await (
          await apiOnly.fetch(`/v1/vcons/${vcon.uuid}/receipts`)
        ).json()) as {
          events: { event: string; document: { purposes?: string[] } }[]
        }
        const revoked = receipts.events.find((e) => e.event === 'vcon_consent_revoked')
        assert.deepEqual(revoked?.document.purposes, ['analytics'])
      } finally {
        await apiOnly.stop()
      }
      const worker = await start(true)
      try {
        await waitFor(
          'the queued job ran',
          async () => (await skipsOf(worker, vcon.uuid)).length === 1,
        )
        const [skip] = await skipsOf(worker, vcon.uuid)
        assert.deepEqual(
          [skip?.step, skip?.code, skip?.purpose],
          ['summary', 'withdrawn', 'analytics'],
        )
        assert.equal(
          vendor.requestsTo('/chat/completions').length,
          chatBefore,
          'withdrawn work reached the vendor',
        )
        const stored = (await (await worker.fetch(`/v1/vcons/${vcon.uuid}`)).json()) as Vcon
        assert.equal(stored.analysis?.filter((a) => a.type === 'wtf_transcription').length, 2)
      } finally {
        await worker.stop()
      }
    })

    test('after consent has lapsed, no step serving its purposes runs', async () => {
      const server = await app()()
      try {
        const before = vendor.requests.length
        const vcon = grantedCall(['transcription', 'analytics', 'sharing'], '2025-03-01T11:00:00Z')
        await ingest(server, vcon)
        await waitFor('three skips', async () => (await skipsOf(server, vcon.uuid)).length === 3)
        const skips = await skipsOf(server, vcon.uuid)
        assert.deepEqual(
          skips.map((s) => [s.step, s.code]),
          [
            ['transcribe', 'expired'],
            ['summary', 'expired'],
            ['(egress)', 'expired'],
          ],
        )
        assert.equal(vendor.requests.length, before, 'a vendor was called after consent lapsed')
      } finally {
        await server.stop()
      }
    })

    test('with no_lawful_basis: deny, a vCon without a basis gets only the allowed purposes', async () => {
      const server = await app({ noLawfulBasis: 'deny', allowedWithoutBasis: ['transcription'] })()
      try {
        const chatBefore = vendor.requestsTo('/chat/completions').length
        const vcon = callVcon(randomUUID())
        await ingest(server, vcon)
        await waitFor('two skips', async () => (await skipsOf(server, vcon.uuid)).length === 2)
        const skips = await skipsOf(server, vcon.uuid)
        assert.deepEqual(
          skips.map((s) => [s.step, s.code]),
          [
            ['summary', 'no-lawful-basis'],
            ['(egress)', 'no-lawful-basis'],
          ],
        )
        assert.equal(vendor.requestsTo('/chat/completions').length, chatBefore)
      } finally {
        await server.stop()
      }
    })
  })
}

suite('sqlite')

const down = await postgresUnreachable()
if (down !== undefined) {
  const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('consent enforcement on postgres: PostgreSQL must be reachable in CI', () =>
      assert.fail(message))
  } else test.skip(`consent enforcement on postgres: skipped, ${message}`)
} else suite('postgres')
