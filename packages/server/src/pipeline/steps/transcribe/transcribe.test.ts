import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  computeContentHash,
  createFetcher,
  plainTranscript,
  serializeVcon,
  type Vcon,
  validateVcon,
} from '@vconkit/vcon'
import {
  startHttpsServer,
  TEST_CA,
  type TestServer,
} from '../../../../../vcon/test/support/https-test-server.js'
import { createCollectingLogger } from '../../../../test/support/collecting-logger.js'
import {
  type FakeVendor,
  fakeDuration,
  fakeTranscriptText,
  startFakeVendor,
} from '../../../../test/support/fake-vendor.js'
import {
  callVcon,
  FIXED_NOW,
  fakeAudio,
  stepContext,
} from '../../../../test/support/pipeline-vcons.js'
import { createVendorRateLimiter, type VendorRateLimiter } from '../../vendor/rate-limiter.js'
import { transcribeStepFactory } from './index.js'

const API_KEY = 'sk-test-transcribe-secret'
const env = { STT_KEY: API_KEY }

function factory(limiter: VendorRateLimiter = createVendorRateLimiter()) {
  return transcribeStepFactory({
    env,
    limiter,
    createFetcher: (o) => createFetcher({ ...o, ca: TEST_CA }),
  })
}

describe('transcribe step', () => {
  let fake: FakeVendor
  let media: TestServer
  const audio = fakeAudio(500, 7)
  before(async () => {
    fake = await startFakeVendor({ apiKey: API_KEY })
    media = await startHttpsServer((req, res) => {
      if (req.url === '/call.wav') {
        res.writeHead(200, { 'content-type': 'audio/wav' })
        res.end(audio)
      } else {
        res.writeHead(404)
        res.end()
      }
    })
  })
  after(async () => {
    await fake.close()
    await media.close()
  })

  const openai = (extra: Record<string, unknown> = {}) =>
    factory().create('stt', {
      baseUrl: fake.origin,
      allowInsecure: true,
      apiKeyEnv: 'STT_KEY',
      model: 'whisper-large-v3',
      ...extra,
    })

  test('OpenAI-compatible: one request per recording, a valid wtf_transcription per dialog', async () => {
    const input = callVcon()
    const before = serializeVcon(input)
    const start = fake.requests.length
    const result = await openai().run(input, stepContext())
    assert.equal(serializeVcon(input), before, 'the input is not mutated')
    assert.ok(result.kind === 'continue', JSON.stringify(result))
    assert.equal(result.changed, true)
    const requests = fake.requests.slice(start)
    assert.equal(requests.length, 2)
    for (const req of requests) {
      assert.equal(req.path, '/v1/audio/transcriptions')
      assert.equal(req.headers.authorization, `Bearer ${API_KEY}`)
    }
    const form = await new Response(requests[1]?.body, {
      headers: { 'content-type': String(requests[1]?.headers['content-type']) },
    }).formData()
    assert.equal(form.get('model'), 'whisper-large-v3')
    assert.equal(form.get('response_format'), 'verbose_json')
    assert.equal((form.get('file') as File).name, 'dialog-1.mp3')
    assert.equal((form.get('file') as File).type, 'audio/mpeg')

    const vcon = result.vcon
    assert.deepEqual(vcon.extensions, ['wtf_transcription'])
    assert.equal(vcon.analysis?.length, 2)
    const first = vcon.analysis?.[0]
    assert.ok(first)
    const bytes0 = Buffer.from(String(input.dialog?.[0]?.body), 'base64url')
    const text = fakeTranscriptText(bytes0)
    const duration = fakeDuration(bytes0.byteLength)
    assert.deepEqual(
      { ...first, body: undefined },
      {
        type: 'wtf_transcription',
        dialog: 0,
        vendor: 'openai',
        product: 'whisper-large-v3',
        schema: 'wtf-1.0',
        encoding: 'json',
        body: undefined,
      },
    )
    const body = first.body as Record<string, Record<string, unknown> & unknown[]>
    const transcript = body.transcript as unknown as Record<string, unknown>
    // No overall confidence from Whisper: the mean of the segments' exp(avg_logprob).
    const confidence = (Math.exp(-0.1) + Math.exp(-0.2)) / 2
    assert.ok(Math.abs(Number(transcript.confidence) - confidence) < 1e-12)
    assert.deepEqual(
      { ...transcript, confidence: 0 },
      {
        text: `${text.first} ${text.second}`,
        language: 'en',
        duration,
        confidence: 0,
      },
    )
    assert.equal((body.segments as unknown[]).length, 2)
    assert.deepEqual((body.segments as Record<string, unknown>[])[1], {
      id: 1,
      start: duration / 2,
      end: duration,
      text: text.second,
      confidence: Math.exp(-0.2),
    })
    assert.equal((body.metadata as Record<string, unknown>).provider, 'openai')
    assert.equal(
      (body.metadata as Record<string, unknown>).processed_at,
      new Date(FIXED_NOW).toISOString(),
    )
    const check = validateVcon(vcon, { mode: 'strict' })
    assert.equal(check.valid, true, JSON.stringify(check.issues))
    assert.deepEqual(
      check.issues.filter((i) => i.pointer.startsWith('/analysis')),
      [],
    )
    assert.equal(plainTranscript(vcon).text.split('\n')[0], text.first)
  })

  test('idempotent: a second run sends nothing and changes nothing', async () => {
    const step = openai()
    const first = await step.run(callVcon(), stepContext())
    assert.ok(first.kind === 'continue')
    const count = fake.requests.length
    const second = await step.run(first.vcon, stepContext())
    assert.equal(fake.requests.length, count, 'the vendor got no request')
    assert.ok(second.kind === 'continue')
    assert.equal(second.changed, false)
    assert.equal(serializeVcon(second.vcon), serializeVcon(first.vcon))
  })

  test('dialogs already transcribed (WTF or transcript analysis) are skipped', async () => {
    const vcon: Vcon = {
      ...callVcon(),
      analysis: [
        { type: 'transcript', dialog: [0], vendor: 'other', encoding: 'none', body: 'earlier' },
      ],
    }
    const start = fake.requests.length
    const result = await openai().run(vcon, stepContext())
    assert.equal(fake.requests.length - start, 1)
    assert.ok(result.kind === 'continue')
    assert.deepEqual(
      result.vcon.analysis?.map((a) => [a.type, a.dialog]),
      [
        ['transcript', [0]],
        ['wtf_transcription', 1],
      ],
    )
  })

  test('Deepgram: raw audio to /v1/listen with Token auth; utterances become segments with speakers', async () => {
    const step = factory().create('dg', {
      api: 'deepgram',
      baseUrl: `${fake.origin}/v1`,
      allowInsecure: true,
      apiKeyEnv: 'STT_KEY',
      language: 'en-US',
    })
    const start = fake.requests.length
    const input = callVcon()
    const result = await step.run(input, stepContext())
    assert.ok(result.kind === 'continue', JSON.stringify(result))
    const req = fake.requests[start]
    assert.ok(req)
    assert.equal(req.path, '/v1/listen')
    assert.equal(req.headers.authorization, `Token ${API_KEY}`)
    assert.equal(req.headers['content-type'], 'audio/wav')
    assert.deepEqual(req.query, {
      model: 'nova-2',
      smart_format: 'true',
      utterances: 'true',
      diarize: 'true',
      language: 'en-US',
    })
    assert.deepEqual(req.body, Buffer.from(String(input.dialog?.[0]?.body), 'base64url'))
    const analysis = result.vcon.analysis?.[0]
    assert.equal(analysis?.vendor, 'deepgram')
    assert.equal(analysis?.product, 'nova-2')
    const body = analysis?.body as Record<string, unknown>
    assert.deepEqual(
      body.transcript && (body.transcript as Record<string, unknown>).confidence,
      0.93,
    )
    assert.equal((body.transcript as Record<string, unknown>).language, 'en-US')
    const segments = body.segments as { speaker: number; confidence: number }[]
    assert.deepEqual(
      segments.map((s) => [s.speaker, s.confidence]),
      [
        [0, 0.94],
        [1, 0.92],
      ],
    )
    assert.ok(Array.isArray(body.words) && body.words.length > 4)
    assert.equal((body.metadata as Record<string, unknown>).created_at, '2025-01-01T00:00:00.000Z')
    const check = validateVcon(result.vcon, { mode: 'strict' })
    assert.equal(check.valid, true, JSON.stringify(check.issues))
  })

  test('audio from a url is fetched over https, checked against content_hash, then sent', async () => {
    const vcon: Vcon = {
      ...callVcon(),
      dialog: [
        {
          type: 'recording',
          start: '2025-03-01T10:00:00.000Z',
          duration: 5,
          parties: [0, 1],
          url: `${media.origin}/call.wav`,
          content_hash: computeContentHash(audio),
        },
      ],
    }
    const start = fake.requests.length
    const result = await openai({ media: { allowHosts: ['127.0.0.1'] } }).run(vcon, stepContext())
    assert.ok(result.kind === 'continue', JSON.stringify(result))
    assert.equal(fake.requests.length - start, 1)
    const analysis = result.vcon.analysis?.[0]
    const body = analysis?.body as { transcript: { text: string } }
    assert.equal(
      body.transcript.text,
      `${fakeTranscriptText(audio).first} ${fakeTranscriptText(audio).second}`,
    )

    const tampered = {
      ...vcon,
      dialog: [{ ...vcon.dialog?.[0], content_hash: computeContentHash(fakeAudio(10)) }],
    }
    const before = fake.requests.length
    const bad = await openai({ media: { allowHosts: ['127.0.0.1'] } }).run(tampered, stepContext())
    assert.ok(bad.kind === 'fail')
    assert.equal(bad.permanent, true)
    assert.match(bad.reason, /does not match content_hash/)
    assert.equal(fake.requests.length, before, 'the vendor got no request')
  })

  test('a url to a private address is refused unless allowed; the vendor gets nothing', async () => {
    const vcon: Vcon = {
      ...callVcon(),
      dialog: [
        {
          type: 'recording',
          start: '2025-03-01T10:00:00.000Z',
          parties: [0],
          url: `${media.origin}/call.wav`,
          content_hash: computeContentHash(audio),
        },
      ],
    }
    const before = fake.requests.length
    const served = media.requests.length
    const result = await openai().run(vcon, stepContext())
    assert.ok(result.kind === 'fail')
    assert.equal(result.permanent, true)
    assert.match(result.reason, /loopback/)
    assert.equal(fake.requests.length, before)
    assert.equal(media.requests.length, served)
  })

  test('vendor failures: 5xx and 429 retry, a rejected key is permanent, the key is never shown', async () => {
    fake.failNext(1, { status: 503 })
    const down = await openai().run(callVcon(), stepContext())
    assert.ok(down.kind === 'fail')
    assert.equal(down.permanent, false)
    assert.match(down.reason, /dialog 0: .*HTTP 503/)

    fake.failNext(1, { status: 429, retryAfter: '3' })
    const limited = await openai().run(callVcon(), stepContext())
    assert.ok(limited.kind === 'fail')
    assert.equal(limited.permanent, false)
    assert.match(limited.reason, /HTTP 429 \(Retry-After: 3\)/)

    // The first dialog succeeds, the second gets a malformed answer: the step fails as a whole.
    const start = fake.requests.length
    const malformedAnswer = { status: 200, body: '{"text": 5}' }
    const step = openai()
    const firstOk = step.run(callVcon(), stepContext())
    // The failure is queued after the first request is served: inject it once that request arrived.
    while (fake.requests.length === start) await new Promise((r) => setTimeout(r, 2))
    fake.failNext(1, malformedAnswer)
    const malformed = await firstOk
    assert.ok(malformed.kind === 'fail')
    assert.match(malformed.reason, /dialog 1: .*without a "text" string/)
    assert.equal(fake.requests.length - start, 2)

    const log = createCollectingLogger()
    const badKey = transcribeStepFactory({
      env: { WRONG_KEY: 'sk-wrong' },
      limiter: createVendorRateLimiter(),
      createFetcher,
    }).create('stt', { baseUrl: fake.origin, allowInsecure: true, apiKeyEnv: 'WRONG_KEY' })
    const denied = await badKey.run(callVcon(), stepContext({ log }))
    assert.ok(denied.kind === 'fail')
    assert.equal(denied.permanent, true)
    assert.match(denied.reason, /HTTP 401: invalid api key/)
    assert.ok(!denied.reason.includes('sk-wrong'))
    assert.ok(!log.text().includes('sk-wrong'))
  })

  test('a hanging vendor is cut off at timeoutMs', async () => {
    fake.failNext(1, 'hang')
    const result = await openai({ timeoutMs: 150 }).run(callVcon(), stepContext())
    assert.ok(result.kind === 'fail')
    assert.equal(result.permanent, false)
    assert.match(result.reason, /no answer within 150 ms/)
  })

  test('steps pointed at the same vendor share one rate-limit bucket', async () => {
    const keys: string[] = []
    const limiter: VendorRateLimiter = {
      async acquire(key, limit) {
        keys.push(`${key} ${limit.requestsPerSecond}/${limit.burst}`)
      },
    }
    const f = factory(limiter)
    const a = f.create('a', {
      baseUrl: fake.origin,
      allowInsecure: true,
      apiKeyEnv: 'STT_KEY',
      rateLimit: { requestsPerSecond: 5 },
    })
    const b = f.create('b', {
      baseUrl: `${fake.origin}/v1`,
      allowInsecure: true,
      apiKeyEnv: 'STT_KEY',
      rateLimit: { requestsPerSecond: 2, burst: 4 },
    })
    await a.run(callVcon(), stepContext())
    await b.run(callVcon(), stepContext())
    const key = `${fake.origin}/v1/`
    assert.deepEqual(keys, [`${key} 5/5`, `${key} 5/5`, `${key} 2/4`, `${key} 2/4`])
  })

  test('options are checked, naming the key', () => {
    const f = factory()
    assert.throws(
      () => f.create('s', { api: 'whisper' }),
      /options\.api must be one of openai, deepgram/,
    )
    assert.throws(
      () => f.create('s', { baseUrl: 'http://10.0.0.5:8000' }),
      /options\.baseUrl must be an https URL/,
    )
    assert.throws(
      () => f.create('s', { apiKeyEnv: 'NOPE_NOT_SET' }),
      /options\.apiKeyEnv names the environment variable NOPE_NOT_SET, which is not set/,
    )
    assert.throws(
      () => f.create('s', { apiKeyEnv: 'sk-live-abc' }),
      /options\.apiKeyEnv must name an environment variable/,
    )
    assert.throws(
      () => f.create('s', { apiKey: 'sk-live-abc' }),
      /options\.apiKey looks like a secret/,
    )
    assert.throws(
      () => f.create('s', { media: { allowHosts: [5] } }),
      /options\.media\.allowHosts must be a list of non-empty strings/,
    )
    assert.throws(
      () => f.create('s', { media: { maxbytes: 1 } }),
      /options\.media\.maxbytes is not an option/,
    )
    assert.throws(
      () => f.create('s', { rateLimit: { requestsPerSecond: 0 } }),
      /options\.rateLimit\.requestsPerSecond must be at least/,
    )
    assert.throws(
      () => f.create('s', { baseUrl: 'https://user:pw@api.example' }),
      /options\.baseUrl must not carry credentials/,
    )
  })
})
