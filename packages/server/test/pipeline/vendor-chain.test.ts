/**
 * A chain of built-in steps against the fake vendor server, through the runner: validate, transcribe,
 * analyse (summary and sentiment), tag and webhook. Checks the end product (a vCon that passes strict
 * validation, with the analyses and the signed delivery), resumption at the failed step without calling the
 * vendors again, and that running the whole chain again changes nothing.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { getTags, plainTranscript, serializeVcon, type Vcon, validateVcon } from '@vconkit/vcon'
import type { ChainConfig } from '../../src/config/server-config.js'
import { buildChains } from '../../src/pipeline/build-chains.js'
import { runJob } from '../../src/pipeline/run-job.js'
import { builtinStepRegistry } from '../../src/pipeline/step-registry.js'
import type { Job } from '../../src/ports/queue.js'
import { deriveIndex } from '../../src/store/derive-index.js'
import { createCollectingLogger } from '../support/collecting-logger.js'
import { type FakeVendor, startFakeVendor } from '../support/fake-vendor.js'
import { createMemoryQueue } from '../support/memory-queue.js'
import { createMemoryStore } from '../support/memory-store.js'
import { callVcon, FIXED_NOW } from '../support/pipeline-vcons.js'
import { createRecordingMetrics } from '../support/recording-metrics.js'

const env = { OPENAI_API_KEY: 'sk-chain-test-key', HOOK_SECRET: 'hook-secret-for-tests' }

describe('a chain of vendor steps through the runner', () => {
  let vendor: FakeVendor
  let receiver: FakeVendor
  before(async () => {
    vendor = await startFakeVendor({ apiKey: env.OPENAI_API_KEY })
    receiver = await startFakeVendor()
  })
  after(async () => {
    await vendor.close()
    await receiver.close()
  })

  function chainConfig(): ChainConfig {
    const vendorOptions = {
      baseUrl: vendor.origin,
      allowInsecure: true,
      apiKeyEnv: 'OPENAI_API_KEY',
    }
    const step = (use: string, options: Record<string, unknown>, name = use) => ({
      use,
      name,
      options,
      timeoutMs: 5000,
    })
    return {
      name: 'calls',
      ingress: ['default'],
      egress: ['processed'],
      concurrency: 1,
      steps: [
        step('validate', { mode: 'strict' }),
        step('transcribe', {
          ...vendorOptions,
          model: 'whisper-1',
          rateLimit: { requestsPerSecond: 50 },
        }),
        step('analyse', { ...vendorOptions, kind: 'summary' }, 'summary'),
        step('analyse', { ...vendorOptions, kind: 'sentiment' }, 'sentiment'),
        step('tag', { tags: { pipeline: 'calls' } }),
        step('webhook', {
          url: `${receiver.origin}/hooks/calls`,
          secretEnv: 'HOOK_SECRET',
          allowInsecure: true,
        }),
      ],
    }
  }

  async function setup() {
    const store = createMemoryStore(() => FIXED_NOW)
    const queue = createMemoryQueue()
    const chains = buildChains([chainConfig()], builtinStepRegistry({ env }))
    const vcon = callVcon()
    await store.put({
      uuid: vcon.uuid,
      json: serializeVcon(vcon),
      vcon,
      index: deriveIndex(vcon, () => FIXED_NOW),
    })
    const log = createCollectingLogger()
    const deps = {
      store,
      queue,
      chains,
      log,
      metrics: createRecordingMetrics(),
      now: () => FIXED_NOW,
    }
    const job = (step: number, attempt: number): Job => ({
      id: `j${attempt}`,
      vconUuid: vcon.uuid,
      chain: 'calls',
      step,
      list: 'default',
      attempt,
      enqueuedAt: FIXED_NOW,
    })
    return { store, queue, deps, job, uuid: vcon.uuid, log }
  }

  const counts = () => ({
    stt: vendor.requestsTo('/v1/audio/transcriptions').length,
    chat: vendor.requestsTo('/v1/chat/completions').length,
    hooks: receiver.requestsTo('/hooks/calls').length,
  })

  test('produces a valid vCon with transcripts, analyses and tags, delivered signed', async () => {
    const t = await setup()
    const before = counts()
    const outcome = await runJob(t.job(0, 1), t.deps)
    assert.deepEqual(outcome, { kind: 'done' })
    const after = counts()
    assert.deepEqual(
      {
        stt: after.stt - before.stt,
        chat: after.chat - before.chat,
        hooks: after.hooks - before.hooks,
      },
      { stt: 2, chat: 2, hooks: 1 },
    )
    const stored = t.store.json(t.uuid) as Vcon
    const result = validateVcon(stored, { mode: 'strict' })
    assert.equal(result.valid, true, JSON.stringify(result.issues))
    assert.deepEqual(
      stored.analysis?.map((a) => [a.type, a.dialog]),
      [
        ['wtf_transcription', 0],
        ['wtf_transcription', 1],
        ['summary', [0, 1]],
        ['sentiment', [0, 1]],
      ],
    )
    assert.deepEqual(stored.extensions, ['wtf_transcription'])
    assert.deepEqual(getTags(stored), { pipeline: 'calls' })
    assert.match(String(stored.analysis?.[2]?.body), /^Summary by gpt-4o-mini: Hello, this is call/)
    // The summary was made from the transcripts the previous step stored.
    const summaryRequest = JSON.parse(
      vendor.requestsTo('/v1/chat/completions')[before.chat]?.body.toString() ?? '{}',
    )
    assert.equal(summaryRequest.messages[1].content, plainTranscript(stored).text)
    // The webhook got exactly the stored vCon, signed.
    const hook = receiver.requestsTo('/hooks/calls')[before.hooks]
    assert.ok(hook)
    const body = hook.body.toString('utf8')
    assert.equal(body, serializeVcon(stored))
    const mac = createHmac('sha256', env.HOOK_SECRET)
      .update(`${hook.headers['x-vconkit-timestamp']}.${body}`)
      .digest('hex')
    assert.equal(hook.headers['x-vconkit-signature'], `sha256=${mac}`)
    assert.deepEqual(t.queue.egress.get('processed'), [t.uuid])
    // No secret in any log line.
    assert.ok(!t.log.text().includes(env.OPENAI_API_KEY))
    assert.ok(!t.log.text().includes(env.HOOK_SECRET))
  })

  test('a failure resumes at the failed step: the vendors are not called again', async () => {
    const t = await setup()
    const before = counts()
    // The webhook receiver is down for the first delivery.
    receiver.failNext(1, { status: 503 })
    const first = await runJob(t.job(0, 1), t.deps)
    assert.ok(first.kind === 'failed')
    assert.equal(first.step, 'webhook')
    assert.equal(first.resumeAt, 5)
    assert.equal(first.permanent, undefined)
    const afterFirst = counts()
    assert.equal(afterFirst.stt - before.stt, 2)
    assert.equal(afterFirst.chat - before.chat, 2)
    // Everything before the webhook is stored.
    const stored = t.store.json(t.uuid) as Vcon
    assert.equal(stored.analysis?.length, 4)
    assert.equal(t.queue.egress.size, 0)

    const retry = await runJob(t.job(first.resumeAt ?? 0, 2), t.deps)
    assert.deepEqual(retry, { kind: 'done' })
    const afterRetry = counts()
    assert.equal(afterRetry.stt, afterFirst.stt, 'no new transcription request')
    assert.equal(afterRetry.chat, afterFirst.chat, 'no new chat request')
    assert.equal(afterRetry.hooks - afterFirst.hooks, 1)
    assert.deepEqual(t.queue.egress.get('processed'), [t.uuid])
  })

  test('a vendor failure mid-chain keeps what earlier steps stored; redelivery from the start is idempotent', async () => {
    const t = await setup()
    const before = counts()
    vendor.failNext(1, { status: 500 })
    // The first transcription request fails: nothing changes yet.
    const first = await runJob(t.job(0, 1), t.deps)
    assert.ok(first.kind === 'failed')
    assert.equal(first.step, 'transcribe')
    assert.equal(first.resumeAt, 1)
    // A worker that crashed would get the job again from its original step (0): steps are idempotent.
    const second = await runJob(t.job(0, 2), t.deps)
    assert.deepEqual(second, { kind: 'done' })
    const stored = serializeVcon(t.store.json(t.uuid) as Vcon)
    const mid = counts()
    assert.equal(mid.stt - before.stt, 3)
    // And a full rerun of the finished chain calls no vendor and leaves the vCon byte for byte the same.
    const third = await runJob(t.job(0, 3), t.deps)
    assert.deepEqual(third, { kind: 'done' })
    const end = counts()
    assert.equal(end.stt, mid.stt)
    assert.equal(end.chat, mid.chat)
    assert.equal(serializeVcon(t.store.json(t.uuid) as Vcon), stored)
  })
})
