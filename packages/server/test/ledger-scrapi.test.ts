/**
 * Black-box tests of the SCRAPI endpoints of the embedded ledger on the real application: registration (201,
 * receipt, Location; concise problem details on refusal; admin only), receipts that verify and survive a
 * restart byte for byte, the key set, checkpoints and consistency proofs, and lifecycle receipts kept beside a vCon.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  attachReceipt,
  createLifecycleEvent,
  createLifecycleStatement,
  decodeCoseKeySet,
  decodeStrict,
  generateSigningKey,
  signingKeyFromPrivateKey,
  type VerificationKey,
  verifyCheckpoint,
  verifyConsistencyReceipt,
  verifyReceipt,
  verifyTransparentStatement,
} from '@vconkit/ledger'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import { sampleText } from './support/http-vcons.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer())

function statementFor(key: ReturnType<typeof generateSigningKey>, iss: string): Uint8Array {
  const created = createLifecycleEvent({
    event: 'vcon_created',
    vconUuid: randomUUID(),
    vconHash: 'a'.repeat(64),
    prev: null,
    occurredAt: new Date(),
  })
  return createLifecycleStatement(created, { iss, key, iat: new Date() })
}

function problemOf(body: Uint8Array): { title: unknown; detail: unknown } {
  const map = decodeStrict(body) as Map<number, unknown>
  return { title: map.get(-1), detail: map.get(-2) }
}

describe('SCRAPI on the conserver', () => {
  let dir: string
  let tokens: LedgerAppTokens
  let app: LedgerApp
  let logKeys: VerificationKey[]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-scrapi-'))
    tokens = ledgerAppTokens()
    app = await startLedgerApp({ dataDir: dir, tokens })
    const keys = await fetch(`${app.url}/.well-known/scitt-keys`)
    assert.equal(keys.status, 200)
    assert.equal(keys.headers.get('content-type'), 'application/cbor')
    logKeys = decodeCoseKeySet(await bytes(keys))
  })
  after(async () => {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const issuerKey = () =>
    signingKeyFromPrivateKey(readFileSync(join(dir, LEDGER_KEY_FILES.issuer), 'utf8'))

  test('the key set is public and each key resolves by base64url kid', async () => {
    assert.equal(logKeys.length, 1)
    const kid = Buffer.from((logKeys[0] as VerificationKey).kid).toString('base64url')
    const one = await fetch(`${app.url}/.well-known/scitt-keys/${kid}`)
    assert.equal(one.status, 200)
    const missing = await fetch(`${app.url}/.well-known/scitt-keys/AAAA`)
    assert.equal(missing.status, 404)
    assert.equal(missing.headers.get('content-type'), 'application/concise-problem-details+cbor')
  })

  test('POST /entries registers, answers 201 with a verifying receipt and Location; idempotent', async () => {
    const key = issuerKey()
    const statement = statementFor(key, (app.ctx.ledger?.issuer as string) ?? '')
    const post = () =>
      app.fetch('/entries', {
        method: 'POST',
        headers: { 'content-type': 'application/cose' },
        body: statement,
      })
    const response = await post()
    assert.equal(response.status, 201)
    assert.equal(response.headers.get('content-type'), 'application/cose')
    const location = response.headers.get('location') ?? ''
    assert.match(location, /^\/entries\/[0-9a-f]{64}$/)
    const receipt = await bytes(response)
    const verified = verifyReceipt(receipt, { statement, logKeys })
    assert.equal(verified.iss, app.ctx.ledger?.log?.issuer)
    const again = await post()
    assert.equal(again.status, 201)
    assert.equal(again.headers.get('location'), location)
    assert.deepEqual(await bytes(again), receipt)
    const fetched = await app.fetch(location, { token: tokens.read })
    assert.equal(fetched.status, 200)
    assert.deepEqual(await bytes(fetched), receipt)
    const transparent = await app.fetch(location.replace('/entries/', '/signed-statements/'))
    const verdict = verifyTransparentStatement(await bytes(transparent), {
      issuerKeys: [key],
      logKeys,
    })
    assert.equal(verdict.valid, true)
  })

  test('RFC 9943 media types: statements taken as scitt-statement+cose, receipts served as asked', async () => {
    const key = issuerKey()
    const statement = statementFor(key, app.ctx.ledger?.issuer as string)
    const response = await app.fetch('/entries', {
      method: 'POST',
      headers: { 'content-type': 'application/scitt-statement+cose' },
      body: statement,
    })
    assert.equal(response.status, 201)
    // No Accept preference: the SCRAPI examples' type.
    assert.equal(response.headers.get('content-type'), 'application/cose')
    const receipt = await bytes(response)
    assert.equal(verifyReceipt(receipt, { statement, logKeys }).iss, app.ctx.ledger?.log?.issuer)
    const location = response.headers.get('location') as string

    const asked = await app.fetch('/entries', {
      method: 'POST',
      headers: {
        'content-type': 'application/cose; cose-type="cose-sign1"',
        accept: 'application/scitt-receipt+cose',
      },
      body: statement,
    })
    assert.equal(asked.status, 201)
    assert.equal(asked.headers.get('content-type'), 'application/scitt-receipt+cose')
    assert.equal(asked.headers.get('vary'), 'Accept')
    assert.deepEqual(await bytes(asked), receipt)

    const receiptAs = async (accept: string) => {
      const r = await app.fetch(location, { token: tokens.read, headers: { accept } })
      assert.equal(r.status, 200)
      assert.deepEqual(await bytes(r), receipt)
      return r.headers.get('content-type')
    }
    assert.equal(
      await receiptAs('application/scitt-receipt+cose'),
      'application/scitt-receipt+cose',
    )
    assert.equal(
      await receiptAs('application/scitt-receipt+cose;q=0.9, application/*;q=0.5'),
      'application/scitt-receipt+cose',
    )
    // Both acceptable equally, or application/cose preferred: application/cose.
    assert.equal(
      await receiptAs('application/scitt-receipt+cose, application/cose'),
      'application/cose',
    )
    assert.equal(
      await receiptAs('application/scitt-receipt+cose;q=0.5, application/cose'),
      'application/cose',
    )
    assert.equal(await receiptAs('*/*'), 'application/cose')

    const transparent = await app.fetch(location.replace('/entries/', '/signed-statements/'), {
      headers: { accept: 'application/scitt-statement+cose' },
    })
    assert.equal(transparent.status, 200)
    assert.equal(transparent.headers.get('content-type'), 'application/scitt-statement+cose')
    const verdict = verifyTransparentStatement(await bytes(transparent), {
      issuerKeys: [key],
      logKeys,
    })
    assert.equal(verdict.valid, true)
  })

  test('any other content type is 415 with a problem naming the accepted types', async () => {
    const statement = statementFor(issuerKey(), app.ctx.ledger?.issuer as string)
    for (const type of ['application/scitt-receipt+cose', 'application/octet-stream', undefined]) {
      const refused = await app.fetch('/entries', {
        method: 'POST',
        headers: type === undefined ? {} : { 'content-type': type },
        body: statement,
      })
      assert.equal(refused.status, 415, String(type))
      assert.equal(refused.headers.get('content-type'), 'application/concise-problem-details+cbor')
      const problem = problemOf(await bytes(refused))
      assert.equal(problem.title, 'Unsupported Media Type')
      assert.match(
        String(problem.detail),
        /application\/scitt-statement\+cose or application\/cose/,
      )
    }
  })

  test('refusals are concise problem details; registration needs admin', async () => {
    const key = issuerKey()
    const statement = statementFor(key, app.ctx.ledger?.issuer as string)
    const wrongType = await app.fetch('/entries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: statement,
    })
    assert.equal(wrongType.status, 415)
    assert.equal(wrongType.headers.get('content-type'), 'application/concise-problem-details+cbor')
    assert.equal(problemOf(await bytes(wrongType)).title, 'Unsupported Media Type')

    const garbage = await app.fetch('/entries', {
      method: 'POST',
      headers: { 'content-type': 'application/cose' },
      body: new Uint8Array([0xd2, 0x84, 0x01]),
    })
    assert.equal(garbage.status, 400)
    assert.match(String(problemOf(await bytes(garbage)).title), /^LEDGER_/)

    const stranger = generateSigningKey()
    const unknown = await app.fetch('/entries', {
      method: 'POST',
      headers: { 'content-type': 'application/cose' },
      body: statementFor(stranger, 'urn:example:stranger'),
    })
    assert.equal(unknown.status, 400)
    assert.equal(problemOf(await bytes(unknown)).title, 'LEDGER_KEY_UNKNOWN')

    const asReader = await app.fetch('/entries', {
      method: 'POST',
      token: tokens.read,
      headers: { 'content-type': 'application/cose' },
      body: statement,
    })
    assert.equal(asReader.status, 403)
    const anonymous = await app.fetch(`/entries/${'0'.repeat(64)}`, { token: null })
    assert.equal(anonymous.status, 401)
    const missing = await app.fetch(`/entries/${'0'.repeat(64)}`)
    assert.equal(missing.status, 404)
  })

  test('lifecycle events of ingest and delete get receipts kept beside the vCon', async () => {
    const uuid = randomUUID()
    const created = await app.fetch('/v1/vcons', {
      method: 'POST',
      headers: { 'content-type': 'application/vcon+json' },
      body: sampleText(uuid),
    })
    assert.equal(created.status, 201)
    const appended = await app.fetch(`/v1/vcons/${uuid}/analysis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'summary',
        vendor: 'test',
        encoding: 'none',
        body: 'ok',
        dialog: 0,
      }),
    })
    assert.equal(appended.status, 201)
    const attach = await app.fetch(`/v1/vcons/${uuid}/receipts:attach`, { method: 'POST' })
    assert.equal(attach.status, 201)
    const stored = (await (await app.fetch(`/v1/vcons/${uuid}`)).json()) as {
      analysis: { type: string; body: { vcon_operation: string; cose_receipt: string }[] }[]
    }
    const receiptEntry = stored.analysis.find((a) => a.type === 'scitt_receipt')
    assert.deepEqual(
      receiptEntry?.body.map((b) => b.vcon_operation),
      ['vcon_created', 'vcon_enhanced'],
    )
    assert.equal((await app.fetch(`/v1/vcons/${uuid}`, { method: 'DELETE' })).status, 204)
    const listed = await app.fetch(`/v1/vcons/${uuid}/receipts`, { token: tokens.read })
    assert.equal(listed.status, 200)
    const body = (await listed.json()) as {
      events: {
        event: string
        digest: string
        document: { prev: string | null }
        transparentStatement: string | null
      }[]
    }
    // created, enhanced (analysis), enhanced (receipts attached), deleted; each chained on the previous one.
    assert.deepEqual(
      body.events.map((e) => e.event),
      ['vcon_created', 'vcon_enhanced', 'vcon_enhanced', 'vcon_deleted'],
    )
    body.events.forEach((e, i) => {
      assert.equal(e.document.prev, i === 0 ? null : body.events[i - 1]?.digest)
      const verdict = verifyTransparentStatement(
        Buffer.from(e.transparentStatement as string, 'base64url'),
        { issuerKeys: [app.ctx.ledger?.issuerKey as VerificationKey], logKeys },
      )
      assert.equal(verdict.valid, true, e.event)
    })
  })

  test('checkpoints are signed and consistent; receipts are identical after a restart', async () => {
    const first = await fetch(`${app.url}/checkpoint`)
    assert.equal(first.status, 200)
    const older = verifyCheckpoint(await bytes(first), { logKeys })
    assert.ok(older.treeSize >= 2)
    const key = issuerKey()
    const statement = statementFor(key, app.ctx.ledger?.issuer as string)
    const registered = await app.fetch('/entries', {
      method: 'POST',
      headers: { 'content-type': 'application/cose' },
      body: statement,
    })
    const location = registered.headers.get('location') as string
    const receipt = await bytes(registered)

    await app.stop()
    app = await startLedgerApp({ dataDir: dir, tokens })

    const again = await app.fetch(location)
    assert.equal(again.status, 200)
    assert.deepEqual(await bytes(again), receipt)
    assert.equal(
      verifyTransparentStatement(attachReceipt(statement, receipt), {
        issuerKeys: [key],
        logKeys,
      }).valid,
      true,
    )
    const newer = verifyCheckpoint(await bytes(await fetch(`${app.url}/checkpoint`)), { logKeys })
    assert.ok(newer.treeSize > older.treeSize)
    const proof = await fetch(`${app.url}/consistency?from=${older.treeSize}&to=${newer.treeSize}`)
    assert.equal(proof.status, 200)
    const consistent = verifyConsistencyReceipt(await bytes(proof), {
      root1: older.root,
      treeSize1: older.treeSize,
      logKeys,
    })
    assert.deepEqual(consistent.root2, newer.root)
    const bad = await fetch(`${app.url}/consistency?from=0`)
    assert.equal(bad.status, 400)
    const page = (await (
      await app.fetch('/entries?from=0&limit=2', { token: tokens.read })
    ).json()) as {
      treeSize: number
      entries: { index: number }[]
      next?: number
    }
    assert.deepEqual(
      page.entries.map((e) => e.index),
      [0, 1],
    )
    assert.equal(page.next, 2)
  })
})
