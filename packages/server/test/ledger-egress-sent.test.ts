/**
 * vcon_sent through an egress list (draft-howe-vcon-lifecycle): a vCon a chain put on its egress list is recorded
 * as sent, reason `egress`, when `GET /vcon/egress` hands it out, and only then; the event is chained on the
 * vCon's previous one and its receipt verifies.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { decodeCoseKeySet, type VerificationKey, verifyTransparentStatement } from '@vconkit/ledger'
import { listedEvents, postSample } from './support/lifecycle-events.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

describe('vcon_sent from an egress list', () => {
  let dir: string
  let tokens: LedgerAppTokens
  let app: LedgerApp

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-egress-sent-'))
    tokens = ledgerAppTokens()
    app = await startLedgerApp({
      dataDir: dir,
      tokens,
      chains: [
        {
          name: 'default',
          ingress: ['default'],
          egress: ['done'],
          concurrency: 2,
          steps: [{ use: 'validate', name: 'validate', options: {}, timeoutMs: 5000 }],
        },
      ],
    })
  })
  after(async () => {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const events = (uuid: string) => listedEvents(app, uuid, tokens.read)

  test('handed out by GET /vcon/egress: sent, reason egress, chained, verifying', async () => {
    const uuid = await postSample(app, {}, '?ingress=default')

    // The job done (its chain ends by pushing to the egress list), the vCon not handed out yet: nothing sent.
    const deadline = Date.now() + 20_000
    while ((await app.ctx.queue.depth('default')) > 0) {
      assert.ok(Date.now() < deadline, 'the chain did not finish the job within 20 s')
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.deepEqual(
      (await events(uuid)).map((e) => e.event),
      ['vcon_created'],
    )

    const popped = await app.fetch('/vcon/egress?egress_list=done&limit=10')
    assert.equal(popped.status, 200)
    assert.deepEqual(await popped.json(), [uuid])

    const rows = await events(uuid)
    assert.deepEqual(
      rows.map((e) => [e.event, e.document.reason ?? null]),
      [
        ['vcon_created', null],
        ['vcon_sent', 'egress'],
      ],
    )
    assert.equal(rows[1]?.document.prev, rows[0]?.digest)
    const keys = await fetch(`${app.url}/.well-known/scitt-keys`)
    const logKeys = decodeCoseKeySet(new Uint8Array(await keys.arrayBuffer()))
    const issuerKeys = [app.ctx.ledger?.issuerKey as VerificationKey]
    for (const row of rows) {
      const statement = Buffer.from(row.transparentStatement as string, 'base64url')
      assert.equal(verifyTransparentStatement(statement, { issuerKeys, logKeys }).valid, true)
    }
  })
})
