import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { serializeVcon } from '@vconkit/vcon'
import { type FakeVendor, startFakeVendor } from '../../../../test/support/fake-vendor.js'
import { callVcon, FIXED_NOW, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { webhookSignature, webhookStepFactory } from './index.js'

const SECRET = 'whsec-test-0123456789'
const env = { HOOK_SECRET: SECRET }

describe('webhook step', () => {
  let fake: FakeVendor
  before(async () => {
    fake = await startFakeVendor()
  })
  after(async () => {
    await fake.close()
  })

  const create = (options: Record<string, unknown> = {}) =>
    webhookStepFactory({ env }).create('notify', {
      url: `${fake.origin}/hooks/vcon`,
      secretEnv: 'HOOK_SECRET',
      allowInsecure: true,
      ...options,
    })

  test('POSTs the vCon JSON, signed over timestamp and body', async () => {
    const vcon = callVcon()
    const step = create({ headers: { 'x-tenant': 'acme' } })
    const before = fake.requests.length
    const result = await step.run(vcon, stepContext({ chain: 'main' }))
    assert.deepEqual(result, { kind: 'continue', vcon, changed: false })
    const req = fake.requests[before]
    assert.ok(req)
    assert.equal(req.path, '/hooks/vcon')
    assert.equal(req.headers['content-type'], 'application/json')
    assert.equal(req.headers['x-tenant'], 'acme')
    assert.equal(req.headers['x-vconkit-vcon-uuid'], vcon.uuid)
    const body = req.body.toString('utf8')
    assert.equal(body, serializeVcon(vcon))
    const timestamp = String(Math.floor(FIXED_NOW / 1000))
    assert.equal(req.headers['x-vconkit-timestamp'], timestamp)
    // Checked the way a receiver would, independently of webhookSignature().
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')
    assert.equal(req.headers['x-vconkit-signature'], `sha256=${expected}`)
    assert.match(String(req.headers['x-vconkit-delivery']), /^[0-9a-f]{32}$/)
  })

  test('the MAC covers the timestamp: another time gives another signature', () => {
    const a = webhookSignature(SECRET, '1700000000', '{}')
    const b = webhookSignature(SECRET, '1700000001', '{}')
    assert.notEqual(a, b)
    assert.match(a, /^sha256=[0-9a-f]{64}$/)
  })

  test('a redelivery carries the same delivery id; other content, another id', async () => {
    const step = create()
    const start = fake.requests.length
    await step.run(callVcon(), stepContext({ now: () => FIXED_NOW }))
    await step.run(callVcon(), stepContext({ now: () => FIXED_NOW + 60_000, attempt: 2 }))
    await step.run({ ...callVcon(), subject: 'other' }, stepContext())
    const ids = fake.requests.slice(start).map((r) => r.headers['x-vconkit-delivery'])
    assert.equal(ids[0], ids[1])
    assert.notEqual(ids[0], ids[2])
  })

  for (const [status, permanent] of [
    [500, false],
    [503, false],
    [429, false],
    [408, false],
    [400, true],
    [404, true],
    [410, true],
    [301, true],
  ] as const) {
    test(`HTTP ${status} fails ${permanent ? 'permanently' : 'retryably'}`, async () => {
      fake.failNext(1, { status, retryAfter: '7' })
      const result = await create().run(callVcon(), stepContext())
      assert.equal(result.kind, 'fail')
      assert.ok(result.kind === 'fail')
      assert.equal(result.permanent, permanent)
      assert.match(result.reason, new RegExp(`HTTP ${status}`))
      assert.ok(!result.reason.includes(SECRET))
    })
  }

  test('a hanging receiver fails retryably at timeoutMs', async () => {
    fake.failNext(1, 'hang')
    const started = Date.now()
    const result = await create({ timeoutMs: 200 }).run(callVcon(), stepContext())
    assert.ok(result.kind === 'fail')
    assert.equal(result.permanent, false)
    assert.match(result.reason, /no answer within 200 ms/)
    assert.ok(Date.now() - started < 5000)
  })

  test('a reset connection and an unreachable host fail retryably', async () => {
    fake.failNext(1, 'reset')
    const reset = await create().run(callVcon(), stepContext())
    assert.ok(reset.kind === 'fail')
    assert.equal(reset.permanent, false)
    // Port 9 (discard) on loopback is closed: connection refused.
    const refused = await create({ url: 'http://127.0.0.1:9/hook' }).run(callVcon(), stepContext())
    assert.ok(refused.kind === 'fail')
    assert.equal(refused.permanent, false)
    assert.match(refused.reason, /could not be reached/)
  })

  test('the step signal (step timeout, shutdown) cancels the request', async () => {
    fake.failNext(1, 'hang')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const result = await create().run(callVcon(), stepContext({ signal: controller.signal }))
    assert.ok(result.kind === 'fail')
    assert.equal(result.permanent, false)
    assert.match(result.reason, /cancelled/)
  })

  test('options: https unless allowInsecure; the secret comes from the environment', () => {
    const factory = webhookStepFactory({ env })
    assert.throws(
      () => factory.create('w', { url: 'http://example.com/hook', secretEnv: 'HOOK_SECRET' }),
      /options\.url must be an https URL/,
    )
    assert.doesNotThrow(() =>
      factory.create('w', { url: 'https://example.com/hook', secretEnv: 'HOOK_SECRET' }),
    )
    assert.throws(
      () => factory.create('w', { url: 'https://example.com/hook' }),
      /options\.secretEnv is required/,
    )
    assert.throws(
      () => factory.create('w', { url: 'https://example.com/hook', secretEnv: 'MISSING_SECRET' }),
      /options\.secretEnv names the environment variable MISSING_SECRET, which is not set/,
    )
    assert.throws(
      () =>
        factory.create('w', {
          url: 'https://example.com/hook',
          secretEnv: 'HOOK_SECRET',
          secret: 'inline',
        }),
      /options\.secret looks like a secret written in the configuration/,
    )
    assert.throws(
      () =>
        factory.create('w', {
          url: 'https://example.com/hook',
          secretEnv: 'HOOK_SECRET',
          headers: { 'X-Vconkit-Signature': 'x' },
        }),
      /options\.headers\.X-Vconkit-Signature is set by the webhook step itself/,
    )
    assert.throws(
      () => factory.create('w', { url: 'ftp://example.com/', secretEnv: 'HOOK_SECRET' }),
      /options\.url must be an https URL/,
    )
  })
})
