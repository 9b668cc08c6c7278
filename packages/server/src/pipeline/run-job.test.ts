import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { serializeVcon, type Vcon } from '@vconkit/vcon'
import { createCollectingLogger } from '../../test/support/collecting-logger.js'
import { createMemoryQueue } from '../../test/support/memory-queue.js'
import { createMemoryStore, type MemoryStore } from '../../test/support/memory-store.js'
import { callVcon, FIXED_NOW } from '../../test/support/pipeline-vcons.js'
import { createRecordingMetrics } from '../../test/support/recording-metrics.js'
import type { ChainConfig, StepConfig } from '../config/server-config.js'
import {
  PIPELINE_JOBS,
  PIPELINE_STEP_OUTCOMES,
  PIPELINE_STEP_SECONDS,
} from '../observability/metric-names.js'
import type { Job, JobOutcome } from '../ports/queue.js'
import { deriveIndex } from '../store/derive-index.js'
import { buildChains } from './build-chains.js'
import { runJob } from './run-job.js'
import type { StepContext, StepFactory, StepResult } from './step.js'
import { builtinStepFactories, createStepRegistry } from './step-registry.js'

/** What probe steps saw, per step name. */
interface ProbeLog {
  readonly calls: Map<string, number>
  readonly contexts: StepContext[]
  /** The stored JSON at the moment each probe ran (to check write-before-next-step). */
  readonly storedWhenRun: Map<string, unknown>
}

/**
 * A test step type: sets `subject` to mark it ran (a change), or fails for the first `failTimes` calls,
 * stops, hangs, throws, forwards, or changes the uuid, as its options say.
 */
function probeFactory(log: ProbeLog, store: MemoryStore): StepFactory {
  return {
    type: 'probe',
    create(name, o) {
      return {
        name,
        type: 'probe',
        routesTo: Array.isArray(o.forward) ? (o.forward as string[]) : undefined,
        async run(vcon, ctx): Promise<StepResult> {
          const n = (log.calls.get(name) ?? 0) + 1
          log.calls.set(name, n)
          log.contexts.push(ctx)
          log.storedWhenRun.set(name, store.json(vcon.uuid))
          if (typeof o.failTimes === 'number' && n <= o.failTimes) {
            return {
              kind: 'fail',
              reason: `${name} failed (${n})`,
              permanent: o.permanent === true,
            }
          }
          if (o.throw === true) throw new Error('probe exploded')
          if (o.eraseWhileRunning === true) await store.delete(vcon.uuid)
          if (o.concurrentEdit === true && n === 1) {
            // Another writer stores its own change while this step runs.
            const other = { ...vcon, subject: `${vcon.subject ?? ''}>other` }
            await store.put({
              uuid: vcon.uuid,
              json: JSON.stringify(other),
              vcon: other,
              index: deriveIndex(other, () => FIXED_NOW),
            })
          }
          if (typeof o.hangMs === 'number') {
            await new Promise((resolve) => setTimeout(resolve, o.hangMs as number))
          }
          if (o.stop === true) return { kind: 'stop', reason: 'probe stop' }
          if (o.changeUuid === true)
            return { kind: 'continue', vcon: { ...vcon, uuid: 'other' }, changed: true }
          const forward = Array.isArray(o.forward) ? { forward: o.forward as string[] } : {}
          if (o.noChange === true) return { kind: 'continue', vcon, changed: false, ...forward }
          return {
            kind: 'continue',
            vcon: { ...vcon, subject: `${vcon.subject ?? ''}>${name}` },
            changed: true,
            ...forward,
          }
        },
      }
    },
  }
}

function probe(name: string, options: Record<string, unknown> = {}, timeoutMs = 2000): StepConfig {
  return { use: 'probe', name, options, timeoutMs }
}

async function setup(chains: ChainConfig[], vcon: Vcon | string = callVcon()) {
  const store = createMemoryStore(() => FIXED_NOW)
  const queue = createMemoryQueue()
  const metrics = createRecordingMetrics()
  const log = createCollectingLogger()
  const probes: ProbeLog = { calls: new Map(), contexts: [], storedWhenRun: new Map() }
  const registry = createStepRegistry([
    ...builtinStepFactories({ env: {} }),
    probeFactory(probes, store),
  ])
  const set = buildChains(chains, registry)
  const uuid = typeof vcon === 'string' ? JSON.parse(vcon).uuid : vcon.uuid
  if (typeof vcon === 'string') {
    // A signed vCon is stored as given (its index facts do not matter here).
    await store.put({
      uuid,
      json: vcon,
      vcon: { uuid },
      index: deriveIndex({ uuid }, () => FIXED_NOW),
    })
  } else {
    await store.put({
      uuid,
      json: serializeVcon(vcon),
      vcon,
      index: deriveIndex(vcon, () => FIXED_NOW),
    })
  }
  store.puts.length = 0
  const deps = { store, queue, chains: set, log, metrics, now: () => FIXED_NOW }
  const job = (step = 0, attempt = 1, chain = chains[0]?.name ?? ''): Job => ({
    id: `job-${step}-${attempt}`,
    vconUuid: uuid,
    chain,
    step,
    list: 'in',
    attempt,
    enqueuedAt: FIXED_NOW,
  })
  return { store, queue, metrics, log, probes, deps, job, uuid }
}

function chain(steps: StepConfig[], extra: Partial<ChainConfig> = {}): ChainConfig {
  return {
    name: 'main',
    ingress: ['in'],
    egress: ['out', 'audit'],
    steps,
    concurrency: 1,
    ...extra,
  }
}

describe('runJob', () => {
  test('runs every step in process, stores each change before the next step, then pushes egress', async () => {
    const t = await setup([chain([probe('a'), probe('b', { noChange: true }), probe('c')])])
    const outcome = await runJob(t.job(), t.deps)
    assert.deepEqual(outcome, { kind: 'done' })
    assert.deepEqual(
      [...t.probes.calls],
      [
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ],
    )
    // Two writes (b changed nothing), each before the next step ran.
    assert.equal(t.store.puts.length, 2)
    assert.equal((t.probes.storedWhenRun.get('b') as Vcon).subject, 'Order 1234>a')
    assert.equal((t.probes.storedWhenRun.get('c') as Vcon).subject, 'Order 1234>a')
    assert.equal((t.store.json(t.uuid) as Vcon).subject, 'Order 1234>a>c')
    // The stored text is the library's serialisation of the final vCon.
    assert.equal(t.store.puts[1]?.json, serializeVcon(t.store.json(t.uuid) as Vcon))
    assert.deepEqual(t.queue.egress.get('out'), [t.uuid])
    assert.deepEqual(t.queue.egress.get('audit'), [t.uuid])
    assert.equal(t.metrics.count(PIPELINE_STEP_OUTCOMES, { chain: 'main', outcome: 'continue' }), 3)
    assert.deepEqual(
      t.metrics.calls.filter((c) => c.name === PIPELINE_STEP_SECONDS).map((c) => c.labels.step),
      ['a', 'b', 'c'],
    )
    assert.equal(t.metrics.count(PIPELINE_JOBS, { chain: 'main', outcome: 'done' }), 1)
  })

  test('steps get the chain, their name, the attempt and a live signal', async () => {
    const t = await setup([chain([probe('a')])])
    await runJob(t.job(0, 3), t.deps)
    const ctx = t.probes.contexts[0]
    assert.ok(ctx)
    assert.equal(ctx.chain, 'main')
    assert.equal(ctx.step, 'a')
    assert.equal(ctx.attempt, 3)
    assert.equal(ctx.signal.aborted, false)
    assert.equal(ctx.now(), FIXED_NOW)
  })

  test('a failure names the step and resumes AT it: earlier steps do not run again', async () => {
    const t = await setup([chain([probe('a'), probe('b', { failTimes: 1 }), probe('c')])])
    const first = await runJob(t.job(0, 1), t.deps)
    assert.deepEqual(first, { kind: 'failed', step: 'b', error: 'b failed (1)', resumeAt: 1 })
    // a's change is stored; nothing reached egress.
    assert.equal((t.store.json(t.uuid) as Vcon).subject, 'Order 1234>a')
    assert.equal(t.queue.egress.size, 0)
    // The queue redelivers the job at the step it stored (resumeAt).
    const retry = await runJob(
      t.job(first.kind === 'failed' ? (first.resumeAt ?? 0) : 0, 2),
      t.deps,
    )
    assert.deepEqual(retry, { kind: 'done' })
    assert.deepEqual(
      [...t.probes.calls],
      [
        ['a', 1],
        ['b', 2],
        ['c', 1],
      ],
    )
    assert.equal((t.store.json(t.uuid) as Vcon).subject, 'Order 1234>a>b>c')
    assert.deepEqual(t.queue.egress.get('out'), [t.uuid])
    assert.equal(t.metrics.count(PIPELINE_STEP_OUTCOMES, { step: 'b', outcome: 'fail' }), 1)
  })

  test('a vCon erased while a step ran is not stored again; later steps do not run', async () => {
    const t = await setup([
      chain([probe('a', { eraseWhileRunning: true }), probe('b')], { egress: ['out'] }),
    ])
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.equal(await t.store.get(t.uuid), undefined)
    assert.equal(t.probes.calls.get('b'), undefined)
    assert.equal(t.queue.egress.size, 0)
  })

  test('a vCon changed by another writer while a step ran: the step runs again, neither change is lost', async () => {
    const t = await setup([chain([probe('a', { concurrentEdit: true }), probe('b')])])
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.equal(t.probes.calls.get('a'), 2)
    assert.equal((t.store.json(t.uuid) as Vcon).subject, 'Order 1234>other>a>b')
  })

  test('a permanent failure is passed on as permanent', async () => {
    const t = await setup([chain([probe('a', { failTimes: 9, permanent: true })])])
    assert.deepEqual(await runJob(t.job(), t.deps), {
      kind: 'failed',
      step: 'a',
      error: 'a failed (1)',
      resumeAt: 0,
      permanent: true,
    })
  })

  test('stop ends the chain successfully: later steps do not run, nothing goes to egress', async () => {
    const t = await setup([chain([probe('a'), probe('b', { stop: true }), probe('c')])])
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.equal(t.probes.calls.get('c'), undefined)
    assert.equal(t.queue.egress.size, 0)
    assert.equal(t.metrics.count(PIPELINE_JOBS, { outcome: 'stopped' }), 1)
  })

  test('a vCon deleted since it was queued: done, nothing runs', async () => {
    const t = await setup([chain([probe('a')])])
    await t.store.delete(t.uuid)
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.equal(t.probes.calls.size, 0)
    assert.equal(t.queue.egress.size, 0)
    assert.equal(t.store.puts.length, 0, 'a deleted vCon is not written back')
  })

  test('a chain missing from the configuration fails permanently', async () => {
    const t = await setup([chain([probe('a')])])
    const outcome = await runJob(t.job(0, 1, 'gone'), t.deps)
    assert.equal(outcome.kind, 'failed')
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.permanent, true)
    assert.match(outcome.error, /the chain "gone" is not configured/)
  })

  test('a step past its timeout fails retryably even if it ignores its signal', async () => {
    const t = await setup([chain([probe('slow', { hangMs: 1000 }, 50)])])
    const started = Date.now()
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(Date.now() - started < 800)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.permanent, undefined)
    assert.match(outcome.error, /did not finish within its timeout of 50 ms/)
    assert.equal(t.probes.contexts[0]?.signal.aborted, true)
    assert.equal(t.metrics.count(PIPELINE_STEP_OUTCOMES, { step: 'slow', outcome: 'timeout' }), 1)
  })

  test('a step that throws fails retryably; the worker goes on', async () => {
    const t = await setup([chain([probe('a', { throw: true })])])
    const outcome = await runJob(t.job(), t.deps)
    assert.deepEqual(outcome, {
      kind: 'failed',
      step: 'a',
      error: 'step "a" threw: probe exploded',
      resumeAt: 0,
    })
    assert.equal(t.metrics.count(PIPELINE_STEP_OUTCOMES, { outcome: 'error' }), 1)
  })

  test('shutdown interrupts the running step; the job fails retryably at that step', async () => {
    const t = await setup([chain([probe('a'), probe('b', { hangMs: 1000 })])])
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    const outcome = await runJob(t.job(), { ...t.deps, signal: controller.signal })
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.step, 'b')
    assert.equal(outcome.resumeAt, 1)
    assert.match(outcome.error, /shutting down/)
  })

  test('a failed write fails the step that made the change, so the retry runs it again', async () => {
    const t = await setup([chain([probe('a'), probe('b')])])
    t.store.failNextPuts(1)
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.step, 'a')
    assert.equal(outcome.resumeAt, 0)
    assert.equal(outcome.permanent, undefined)
    assert.match(outcome.error, /cannot store the vCon after step "a"/)
    assert.equal(t.probes.calls.get('b'), undefined)
  })

  test('a store that cannot be read fails retryably', async () => {
    const t = await setup([chain([probe('a')])])
    t.store.failNextGets(1)
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.permanent, undefined)
    assert.match(outcome.error, /cannot read the vCon from the store/)
  })

  test('routes enqueue step 0 of every chain the target lists feed', async () => {
    const t = await setup([
      chain([probe('router', { forward: ['review'], noChange: true }), probe('after')]),
      chain([], { name: 'review-a', ingress: ['review'], egress: [] }),
      chain([], { name: 'review-b', ingress: ['review', 'other'], egress: [] }),
    ])
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.deepEqual(t.queue.enqueued, [
      { vconUuid: t.uuid, chain: 'review-a', step: 0, list: 'review' },
      { vconUuid: t.uuid, chain: 'review-b', step: 0, list: 'review' },
    ])
    assert.equal(t.probes.calls.get('after'), 1)
    // A failed enqueue fails the routing step, which runs again on the retry.
    t.queue.failNextEnqueues(1)
    const failed = await runJob(t.job(), t.deps)
    assert.ok(failed.kind === 'failed')
    assert.equal(failed.step, 'router')
    assert.equal(failed.resumeAt, 0)
  })

  test('the route step built from configuration works through the runner', async () => {
    const t = await setup([
      chain([
        { use: 'tag', name: 'tag', options: { tags: { team: 'sales' } }, timeoutMs: 1000 },
        {
          use: 'route',
          name: 'route',
          options: { routes: [{ to: 'sales', when: { tag: 'team:sales' } }], onMatch: 'stop' },
          timeoutMs: 1000,
        },
        probe('never'),
      ]),
      chain([], { name: 'sales-chain', ingress: ['sales'], egress: [] }),
    ])
    assert.deepEqual(await runJob(t.job(), t.deps), { kind: 'done' })
    assert.deepEqual(
      t.queue.enqueued.map((j) => j.chain),
      ['sales-chain'],
    )
    assert.equal(t.probes.calls.get('never'), undefined)
  })

  test('an egress failure resumes after the last step: the retry only pushes egress', async () => {
    const t = await setup([chain([probe('a')])])
    t.queue.failNextEgress(1)
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.resumeAt, 1)
    assert.equal(outcome.step, '(end of chain)')
    const retry = await runJob(t.job(1, 2), t.deps)
    assert.deepEqual(retry, { kind: 'done' })
    assert.equal(t.probes.calls.get('a'), 1)
    assert.deepEqual(t.queue.egress.get('out'), [t.uuid])
  })

  test('a step may not change the uuid', async () => {
    const t = await setup([chain([probe('a', { changeUuid: true })])])
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.permanent, true)
    assert.match(outcome.error, /changed the vCon's uuid/)
    assert.equal(t.store.puts.length, 0)
  })

  test('a signed vCon passes through untouched to egress', async () => {
    const signed = JSON.stringify({
      payload: 'eyJ1dWlkIjoiMDE5NWUxYzItM2I0YS04ZDVlLTlmNjAtNzE4MjkzYTRiNWM2In0',
      signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln' }],
      uuid: '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6',
    })
    const t = await setup([chain([probe('a')])], signed)
    const outcome: JobOutcome = await runJob(t.job(), t.deps)
    assert.deepEqual(outcome, { kind: 'done' })
    assert.equal(t.probes.calls.size, 0)
    assert.equal(t.store.puts.length, 0)
    assert.deepEqual(t.queue.egress.get('out'), [t.uuid])
    assert.equal(t.metrics.count(PIPELINE_JOBS, { outcome: 'opaque' }), 1)
  })

  test('a stored text that is not a vCon fails permanently', async () => {
    const t = await setup(
      [chain([probe('a')])],
      JSON.stringify({ uuid: '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6', hello: 1 }),
    )
    const outcome = await runJob(t.job(), t.deps)
    assert.ok(outcome.kind === 'failed')
    assert.equal(outcome.permanent, true)
    assert.equal(outcome.step, 'a')
    assert.match(outcome.error, /the stored vCon cannot be read/)
  })
})
