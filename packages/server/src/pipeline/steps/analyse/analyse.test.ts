import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  createFetcher,
  plainTranscript,
  serializeVcon,
  type Vcon,
  validateVcon,
} from '@vconkit/vcon'
import {
  type FakeVendor,
  fakeChatContent,
  startFakeVendor,
} from '../../../../test/support/fake-vendor.js'
import { callVcon, chatVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { createVendorRateLimiter } from '../../vendor/rate-limiter.js'
import { ANALYSE_SCHEMA, analyseStepFactory } from './index.js'

const API_KEY = 'sk-test-analyse-secret'

describe('analyse step', () => {
  let fake: FakeVendor
  before(async () => {
    fake = await startFakeVendor({ apiKey: API_KEY })
  })
  after(async () => {
    await fake.close()
  })

  const create = (options: Record<string, unknown>) =>
    analyseStepFactory({
      env: { LLM_KEY: API_KEY },
      limiter: createVendorRateLimiter(),
      createFetcher,
    }).create('a', {
      baseUrl: fake.origin,
      allowInsecure: true,
      apiKeyEnv: 'LLM_KEY',
      ...options,
    })

  test('summary: the transcript goes to /v1/chat/completions; the answer becomes a summary analysis', async () => {
    const input = chatVcon()
    const start = fake.requests.length
    const result = await create({ kind: 'summary', model: 'llama-3-8b' }).run(input, stepContext())
    assert.ok(result.kind === 'continue', JSON.stringify(result))
    assert.equal(result.changed, true)
    const req = fake.requests[start]
    assert.ok(req)
    assert.equal(req.path, '/v1/chat/completions')
    assert.equal(req.headers.authorization, `Bearer ${API_KEY}`)
    const sent = JSON.parse(req.body.toString('utf8'))
    const text = plainTranscript(input).text
    assert.equal(sent.model, 'llama-3-8b')
    assert.equal(sent.temperature, 0)
    assert.equal(sent.messages[1].content, text)
    assert.match(sent.messages[0].content, /summar/i)
    assert.equal(sent.response_format, undefined)
    assert.deepEqual(result.vcon.analysis, [
      {
        type: 'summary',
        dialog: [0],
        vendor: 'openai',
        product: 'llama-3-8b',
        schema: ANALYSE_SCHEMA,
        encoding: 'none',
        body: fakeChatContent(text, 'llama-3-8b', false),
      },
    ])
    assert.equal(validateVcon(result.vcon, { mode: 'strict' }).valid, true)
  })

  test('sentiment: JSON asked for and stored as encoding json', async () => {
    const input = chatVcon()
    const start = fake.requests.length
    const result = await create({ kind: 'sentiment', vendorName: 'local-llm' }).run(
      input,
      stepContext(),
    )
    assert.ok(result.kind === 'continue')
    const sent = JSON.parse(fake.requests[start]?.body.toString('utf8') ?? '{}')
    assert.deepEqual(sent.response_format, { type: 'json_object' })
    const analysis = result.vcon.analysis?.[0]
    assert.equal(analysis?.type, 'sentiment')
    assert.equal(analysis?.encoding, 'json')
    assert.equal(analysis?.vendor, 'local-llm')
    assert.deepEqual(
      analysis?.body,
      JSON.parse(fakeChatContent(plainTranscript(input).text, 'gpt-4o-mini', true)),
    )
  })

  test('custom: its own type and prompt; an answer in a code fence is still read as JSON', async () => {
    const step = create({
      kind: 'custom',
      type: 'call_reason',
      prompt: 'Why did they call? JSON.',
      output: 'json',
    })
    fake.failNext(1, {
      status: 200,
      body: JSON.stringify({
        choices: [{ message: { role: 'assistant', content: '```json\n{"reason":"refund"}\n```' } }],
      }),
    })
    const result = await step.run(chatVcon(), stepContext())
    assert.ok(result.kind === 'continue', JSON.stringify(result))
    assert.deepEqual(
      result.vcon.analysis?.map((a) => [a.type, a.schema, a.body]),
      [['call_reason', ANALYSE_SCHEMA, { reason: 'refund' }]],
    )
  })

  test('idempotent: an analysis of the same type and schema means no request and no change', async () => {
    const step = create({ kind: 'summary' })
    const first = await step.run(chatVcon(), stepContext())
    assert.ok(first.kind === 'continue')
    const count = fake.requests.length
    const second = await step.run(first.vcon, stepContext())
    assert.equal(fake.requests.length, count, 'the vendor got no request')
    assert.ok(second.kind === 'continue')
    assert.equal(second.changed, false)
    assert.equal(serializeVcon(second.vcon), serializeVcon(first.vcon))
    // A summary by another tool (another schema) does not count.
    const other: Vcon = {
      ...chatVcon(),
      analysis: [{ type: 'summary', vendor: 'x', schema: 'other', encoding: 'none', body: 's' }],
    }
    const third = await step.run(other, stepContext())
    assert.ok(third.kind === 'continue')
    assert.equal(third.vcon.analysis?.length, 2)
  })

  test('no transcript, nothing to analyse: no request', async () => {
    const count = fake.requests.length
    const result = await create({ kind: 'summary' }).run(callVcon(), stepContext())
    assert.ok(result.kind === 'continue')
    assert.equal(result.changed, false)
    assert.equal(fake.requests.length, count)
  })

  test('failures: 5xx retry, 400 permanent, non-JSON answer to a JSON request retries', async () => {
    fake.failNext(1, { status: 500 })
    const down = await create({ kind: 'summary' }).run(chatVcon(), stepContext())
    assert.ok(down.kind === 'fail')
    assert.equal(down.permanent, false)
    fake.failNext(1, { status: 400, body: '{"error":{"message":"model not found"}}' })
    const bad = await create({ kind: 'summary' }).run(chatVcon(), stepContext())
    assert.ok(bad.kind === 'fail')
    assert.equal(bad.permanent, true)
    assert.match(bad.reason, /HTTP 400: model not found/)
    fake.failNext(1, {
      status: 200,
      body: JSON.stringify({ choices: [{ message: { content: 'I think positive' } }] }),
    })
    const prose = await create({ kind: 'sentiment' }).run(chatVcon(), stepContext())
    assert.ok(prose.kind === 'fail')
    assert.equal(prose.permanent, false)
    assert.match(prose.reason, /not the JSON asked for/)
    assert.ok(!`${down.reason}${bad.reason}${prose.reason}`.includes(API_KEY))
  })

  test('options are checked, naming the key', () => {
    assert.throws(() => create({}), /options\.kind is required: one of summary, sentiment, custom/)
    assert.throws(
      () => create({ kind: 'custom', prompt: 'x' }),
      /options\.type is required for kind: custom/,
    )
    assert.throws(
      () => create({ kind: 'custom', type: 'x' }),
      /options\.prompt is required for kind: custom/,
    )
    assert.throws(
      () => create({ kind: 'summary', temperature: 3 }),
      /options\.temperature must be at most 2/,
    )
    assert.throws(
      () => create({ kind: 'summary', output: 'xml' }),
      /options\.output must be one of text, json/,
    )
  })
})
