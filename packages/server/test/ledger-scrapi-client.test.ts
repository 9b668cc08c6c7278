/**
 * The SCRAPI client's asynchronous registration (draft-ietf-scitt-scrapi -11; scitt.md §2.3) against a real HTTP
 * service on 127.0.0.1 backed by a real in-memory transparency log: 303 + Location, 302 while pending, then 200
 * with the receipt; a service that stays pending makes the client stop at maxPolls; a 303 without Location is
 * refused at once; a service that never answers is given up after timeoutMs.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import {
  attachReceipt,
  createLifecycleEvent,
  createLifecycleStatement,
  createTransparencyLog,
  generateSigningKey,
  isLedgerError,
  MemoryLedgerStorage,
  publicPart,
  type SigningKey,
  type TransparencyLog,
  verifyReceipt,
  verifyTransparentStatement,
} from '@vconkit/ledger'
import { createScrapiClient } from '../src/ledger/scrapi-client.js'
import { type AsyncScrapiService, startAsyncScrapiService } from './support/async-scrapi-service.js'

const ISSUER = 'urn:test:conserver'

function statementFor(key: SigningKey): Uint8Array {
  const event = createLifecycleEvent({
    event: 'vcon_created',
    vconUuid: randomUUID(),
    vconHash: 'b'.repeat(64),
    prev: null,
    occurredAt: new Date(),
  })
  return createLifecycleStatement(event, { iss: ISSUER, key, iat: new Date() })
}

describe('SCRAPI client, asynchronous registration', () => {
  const issuerKey = generateSigningKey()
  const logKey = generateSigningKey()
  let log: TransparencyLog
  const services: AsyncScrapiService[] = []
  const start = async (options: { pendingPolls: number; locationOnSeeOther?: boolean }) => {
    const service = await startAsyncScrapiService({ log, ...options })
    services.push(service)
    return service
  }

  before(async () => {
    log = await createTransparencyLog({
      storage: new MemoryLedgerStorage(),
      issuer: 'urn:test:async-ledger',
      logKey,
      issuerKeys: [{ ...publicPart(issuerKey), iss: ISSUER }],
    })
  })
  after(async () => {
    for (const service of services) await service.close()
    await log.close()
  })

  test('303 then 302 while pending, then 200: the receipt verifies and the entry id is the final one', async () => {
    const service = await start({ pendingPolls: 2 })
    const client = createScrapiClient({ url: service.origin, token: 'secret', maxPolls: 5 })
    const statement = statementFor(issuerKey)
    const registered = await client.register(statement)

    // Two "still running" answers, then the receipt: three polls of the pending location, with the token.
    assert.equal(service.polls().length, 3)
    for (const poll of service.polls()) {
      assert.equal(poll.path, '/entries/pending-1')
      assert.equal(poll.headers.authorization, 'Bearer secret')
    }
    const stored = await log.getReceipt(registered.entryId)
    assert.ok(stored !== undefined, 'the entry id is the one of the final Location')
    assert.deepEqual(registered.receipt, stored)
    const claims = verifyReceipt(registered.receipt, { statement, logKeys: [publicPart(logKey)] })
    assert.equal(claims.iss, 'urn:test:async-ledger')
    const verdict = verifyTransparentStatement(attachReceipt(statement, registered.receipt), {
      issuerKeys: [publicPart(issuerKey)],
      logKeys: [publicPart(logKey)],
    })
    assert.equal(verdict.valid, true)
  })

  test('a service that stays pending makes the client give up after maxPolls, naming the location', async () => {
    const service = await start({ pendingPolls: Number.POSITIVE_INFINITY })
    const client = createScrapiClient({ url: service.origin, maxPolls: 3 })
    await assert.rejects(client.register(statementFor(issuerKey)), (error: unknown) => {
      assert.ok(isLedgerError(error))
      const location = `${service.origin}/entries/pending-1`
      assert.ok(error.message.includes('still pending after 3 polls'), error.message)
      assert.ok(error.message.includes(`GET ${location}`), error.message)
      assert.match(error.message, /raise maxPolls/)
      return true
    })
    assert.equal(service.polls().length, 3)
  })

  test('a 303 without Location is a clear error, not a poll of some other URL', async () => {
    const service = await start({ pendingPolls: 0, locationOnSeeOther: false })
    const client = createScrapiClient({ url: service.origin })
    await assert.rejects(client.register(statementFor(issuerKey)), (error: unknown) => {
      assert.ok(isLedgerError(error))
      assert.match(error.message, /303 See Other but no Location header/)
      assert.ok(error.message.includes(service.origin), error.message)
      return true
    })
    // Only the POST reached the service.
    assert.deepEqual(
      service.requests.map((r) => `${r.method} ${r.path}`),
      ['POST /entries'],
    )
  })

  test('a service that never answers is given up after timeoutMs, with an error that says so', async () => {
    // Takes the connection and the request, and never writes an answer.
    const held: ServerResponse[] = []
    const silent = createServer((_req, res) => {
      held.push(res)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    try {
      const client = createScrapiClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 200 })
      await assert.rejects(client.register(statementFor(issuerKey)), (error: unknown) => {
        assert.ok(isLedgerError(error))
        assert.match(error.message, /did not answer within 200 ms/)
        return true
      })
      await assert.rejects(client.keySet(), /did not answer within 200 ms/)
    } finally {
      for (const res of held) res.destroy()
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  test('maxPolls must be a whole number >= 1', () => {
    assert.throws(
      () => createScrapiClient({ url: 'http://127.0.0.1:1', maxPolls: 0 }),
      /maxPolls must be a whole number >= 1/,
    )
  })
})
