/**
 * Rotating the conserver's log key on purpose (a new key put in `ledger-log-key.pem`, then a restart): the retired
 * key stays in the SCRAPI key set and resolvable by kid (scitt.md §2.3: retired keys must stay resolvable while
 * receipts signed with them may still need checking), receipts issued before the rotation are served unchanged
 * and verify against the published key set, and new receipts are signed with the new key.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  attachReceipt,
  decodeCoseKeySet,
  decodeSign1,
  generateSigningKey,
  type VerificationKey,
  verifyTransparentStatement,
} from '@vconkit/ledger'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import { type ListedEvent, listedEvents, postSample } from './support/lifecycle-events.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer())
const kidText = (kid: Uint8Array) => Buffer.from(kid).toString('base64url')

describe('log key rotation', () => {
  let dir: string
  let tokens: LedgerAppTokens
  let app: LedgerApp

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-key-rotation-'))
    tokens = ledgerAppTokens()
    app = await startLedgerApp({ dataDir: dir, tokens })
  })
  after(async () => {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  /** Ingests a vCon and answers its one event, registered. */
  async function ingestOne(): Promise<{ readonly entryId: string; readonly statement: string }> {
    const events = await listedEvents(app, await postSample(app), tokens.read)
    assert.equal(events.length, 1)
    const [event] = events as [ListedEvent]
    assert.ok(event.entryId !== null)
    return { entryId: event.entryId, statement: event.statement }
  }

  async function keySet(): Promise<VerificationKey[]> {
    const response = await fetch(`${app.url}/.well-known/scitt-keys`)
    assert.equal(response.status, 200)
    return decodeCoseKeySet(await bytes(response))
  }

  async function receiptOf(entryId: string): Promise<Uint8Array> {
    const response = await app.fetch(`/entries/${entryId}`)
    assert.equal(response.status, 200)
    return bytes(response)
  }

  test('the retired key stays published and old receipts still verify; new ones use the new key', async () => {
    const before = await ingestOne()
    const oldReceipt = await receiptOf(before.entryId)
    const [oldKey] = await keySet()
    assert.ok(oldKey !== undefined)

    await app.stop()
    const newKey = generateSigningKey('ES256')
    writeFileSync(
      join(dir, LEDGER_KEY_FILES.log),
      newKey.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    )
    app = await startLedgerApp({ dataDir: dir, tokens })

    const keys = await keySet()
    assert.deepEqual(
      keys.map((k) => kidText(k.kid)),
      [kidText(newKey.kid), kidText(oldKey.kid)],
      'the current key first, the retired one kept',
    )
    const resolved = await fetch(`${app.url}/.well-known/scitt-keys/${kidText(oldKey.kid)}`)
    assert.equal(resolved.status, 200)

    // The receipt issued before the rotation: the same bytes, still verifying with the published set.
    const again = await receiptOf(before.entryId)
    assert.deepEqual(again, oldReceipt)
    const issuerKeys = [app.ctx.ledger?.issuerKey as VerificationKey]
    const statement = Buffer.from(before.statement, 'base64url')
    assert.equal(
      verifyTransparentStatement(attachReceipt(statement, again), { issuerKeys, logKeys: keys })
        .valid,
      true,
    )
    // Without the retired key it no longer verifies: the old receipt really is signed by the old key.
    assert.equal(
      verifyTransparentStatement(attachReceipt(statement, again), {
        issuerKeys,
        logKeys: keys.slice(0, 1),
      }).valid,
      false,
    )

    const afterRotation = await ingestOne()
    const newReceipt = decodeSign1(await receiptOf(afterRotation.entryId))
    const kid = newReceipt.protectedHeader.get(4) as Uint8Array
    assert.equal(kidText(kid), kidText(newKey.kid))
  })
})
