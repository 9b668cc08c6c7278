/**
 * Black-box tests of the routes over the pipeline queue, with a worker running in the server process: dead
 * letters (listed with error, step and attempt; replayed by id or by list), the Conserver's /dlq routes, egress
 * lists, re-ingress, and that deleting a vCon also removes its dead letters.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sampleText, VCON_JSON } from './support/http-vcons.js'
import { startTestServer, type TestServer } from './support/start-test-server.js'

let s: TestServer
before(async () => {
  s = await startTestServer({ worker: true })
})
after(async () => {
  await s.close()
})

interface DeadLetterJson {
  id: string
  vconUuid: string
  list: string
  chain: string
  step: number
  failedStep: string
  attempt: number
  error: string
  failedAt: string
}

async function deadLetters(): Promise<DeadLetterJson[]> {
  const res = await s.fetch('/v1/dead-letters?list=doomed&limit=1000')
  assert.equal(res.status, 200)
  return ((await res.json()) as { items: DeadLetterJson[] }).items
}

/** Polls until `check` returns a value (the worker runs in the background). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const deadFor = (uuid: string) =>
  eventually(
    async () => (await deadLetters()).find((d) => d.vconUuid === uuid),
    `a dead letter of ${uuid}`,
  )

describe('dead letters', () => {
  test('a vCon through a failing step becomes a dead letter with its error, step and attempt', async () => {
    const uuid = randomUUID()
    const res = await s.fetch('/v1/vcons?ingress=doomed', {
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    assert.equal(res.status, 201)
    const dead = await deadFor(uuid)
    assert.equal(dead.list, 'doomed')
    assert.equal(dead.chain, 'doomed')
    assert.equal(dead.step, 0)
    assert.equal(dead.failedStep, 'explode')
    assert.equal(dead.attempt, 1)
    assert.match(dead.error, /boom/)
    assert.ok(!Number.isNaN(Date.parse(dead.failedAt)))
    const conserver = await s.fetch('/dlq?ingress_list=doomed', { token: s.tokens.read })
    assert.ok(((await conserver.json()) as string[]).includes(uuid))
  })

  test('replay by id puts it back at the failed step (and it fails again)', async () => {
    const uuid = randomUUID()
    await s.fetch('/v1/vcons?ingress=doomed', {
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    const dead = await deadFor(uuid)
    const res = await s.fetch('/v1/dead-letters:replay', {
      method: 'POST',
      body: JSON.stringify({ ids: [dead.id] }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { replayed: 1 })
    const again = await eventually(async () => {
      const found = (await deadLetters()).find((d) => d.vconUuid === uuid)
      return found !== undefined && found.failedAt !== dead.failedAt ? found : undefined
    }, 'the replayed job to fail again')
    assert.equal(again.failedStep, 'explode')
    const bad = await s.fetch('/v1/dead-letters:replay', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(bad.status, 400)
    const readOnly = await s.fetch('/v1/dead-letters:replay', {
      method: 'POST',
      body: JSON.stringify({ ids: [dead.id] }),
      headers: { 'content-type': 'application/json' },
      token: s.tokens.read,
    })
    assert.equal(readOnly.status, 403)
  })

  test('POST /dlq/reprocess answers how many it moved; POST /vcon/ingress re-queues stored vCons', async () => {
    const uuid = randomUUID()
    await s.fetch('/v1/vcons', { method: 'POST', body: sampleText(uuid), headers: VCON_JSON })
    const requeue = await s.fetch('/vcon/ingress?ingress_list=doomed', {
      method: 'POST',
      body: JSON.stringify([uuid, randomUUID()]),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(requeue.status, 204)
    await deadFor(uuid)
    const moved = await s.fetch('/dlq/reprocess?ingress_list=doomed&count=100000', {
      method: 'POST',
    })
    assert.equal(moved.status, 200)
    const count = (await moved.json()) as number
    assert.equal(typeof count, 'number')
    assert.ok(count >= 1)
    const tooMany = await s.fetch('/dlq/reprocess?ingress_list=doomed&count=100001', {
      method: 'POST',
    })
    assert.equal(tooMany.status, 400)
  })

  test('deleting a vCon removes its dead letters too', async () => {
    const uuid = randomUUID()
    await s.fetch('/v1/vcons?ingress=doomed', {
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    await deadFor(uuid)
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`, { method: 'DELETE' })).status, 204)
    assert.equal(
      (await deadLetters()).find((d) => d.vconUuid === uuid),
      undefined,
    )
  })
})

describe('egress', () => {
  test('a processed vCon appears on its chain egress list; GET /vcon/egress takes it off', async () => {
    const uuid = randomUUID()
    await s.fetch('/v1/vcons?ingress=default', {
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    const taken = await eventually(async () => {
      const res = await s.fetch('/vcon/egress?egress_list=done&limit=100')
      const uuids = (await res.json()) as string[]
      return uuids.includes(uuid) ? uuids : undefined
    }, 'the vCon on the egress list')
    assert.ok(taken.includes(uuid))
    const after = (await (
      await s.fetch('/vcon/egress?egress_list=done&limit=100')
    ).json()) as string[]
    assert.ok(!after.includes(uuid))
    const depth = await s.fetch('/stats/queue?list_name=default')
    assert.equal(((await depth.json()) as { list_name: string }).list_name, 'default')
  })
})
