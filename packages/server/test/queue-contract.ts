/**
 * @module The Queue port's contract: one suite, run against every adapter (sqlite-queue.test.ts,
 * redis-queue.test.ts). Each test gets a fresh backend (its own file or key prefix) and may open several Queue
 * instances on it, standing for several processes.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import { ServerError } from '../src/errors/server-error.js'
import type { ConsumeOptions, Job, JobInput, JobOutcome, Queue } from '../src/ports/queue.js'

export interface QueueTestBackend {
  /** Opens another Queue instance on this backend (another process, as far as the queue can tell). */
  open(): Promise<Queue>
  /** Closes what `open` opened and removes the backend's data. */
  cleanup(): Promise<void>
}

export interface QueueContractOptions {
  /**
   * A lease short enough for the expiry tests. Redis needs more than SQLite: BullMQ notices a lapsed lock at its
   * next stalled check (every leaseMs), and a job must be seen in two checks.
   */
  readonly leaseMs: number
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(10)
  }
}

const job = (vconUuid: string, list = 'ingress', step = 0, chain = 'main'): JobInput => ({
  vconUuid,
  chain,
  step,
  list,
})

const uuids = (n: number): string[] => Array.from({ length: n }, () => randomUUID())

export function runQueueContract(
  name: string,
  makeBackend: () => Promise<QueueTestBackend>,
  contract: QueueContractOptions,
): void {
  const { leaseMs } = contract
  const consumeOptions = (over: Partial<ConsumeOptions> = {}): ConsumeOptions => ({
    lists: ['ingress'],
    concurrency: 4,
    leaseMs,
    retry: { maxAttempts: 5, backoffMs: 20 },
    worker: 'test-worker',
    ...over,
  })

  /** Runs `body` with a fresh backend, cleaning up whatever happens. */
  const withBackend =
    (body: (backend: QueueTestBackend, queue: Queue) => Promise<void>) =>
    async (): Promise<void> => {
      const backend = await makeBackend()
      try {
        await body(backend, await backend.open())
      } finally {
        await backend.cleanup()
      }
    }

  describe(`Queue contract: ${name}`, () => {
    test(
      'every enqueued job is handled exactly once when nothing fails (500 jobs, concurrency 8)',
      withBackend(async (_backend, queue) => {
        const ids = uuids(500)
        await queue.enqueue(ids.map((id) => job(id)))
        assert.equal(await queue.depth(), 500)
        const seen = new Map<string, number>()
        const attempts = new Set<number>()
        const consumer = queue.consume(consumeOptions({ concurrency: 8 }), async (j) => {
          seen.set(j.vconUuid, (seen.get(j.vconUuid) ?? 0) + 1)
          attempts.add(j.attempt)
          assert.equal(j.chain, 'main')
          assert.equal(j.list, 'ingress')
          return { kind: 'done' }
        })
        await waitFor('500 jobs', () => seen.size === 500)
        await waitFor('an empty queue', async () => (await queue.depth()) === 0)
        await consumer.stop(1_000)
        assert.deepEqual([...seen.keys()].sort(), [...ids].sort())
        assert.deepEqual(
          [...seen.values()].filter((n) => n !== 1),
          [],
        )
        assert.deepEqual([...attempts], [1])
        assert.deepEqual(await queue.deadLetters({ limit: 10 }), [])
      }),
    )

    test(
      'a failed job is retried with exponential backoff, the attempt counted',
      withBackend(async (_backend, queue) => {
        const seen: { attempt: number; at: number }[] = []
        const consumer = queue.consume(
          consumeOptions({ retry: { maxAttempts: 4, backoffMs: 100 } }),
          async (j) => {
            seen.push({ attempt: j.attempt, at: Date.now() })
            return j.attempt < 4
              ? { kind: 'failed', error: `try ${j.attempt}`, step: 'flaky' }
              : { kind: 'done' }
          },
        )
        await queue.enqueue([job(randomUUID())])
        await waitFor('four deliveries', () => seen.length === 4)
        await waitFor('an empty queue', async () => (await queue.depth()) === 0)
        await consumer.stop(1_000)
        assert.deepEqual(
          seen.map((s) => s.attempt),
          [1, 2, 3, 4],
        )
        const gaps = seen.slice(1).map((s, i) => s.at - (seen[i]?.at ?? 0))
        // backoff 100·2^(n−1) ms ± 20 %: at least 80, 160, 320 ms (less a little timer slack)
        for (const [i, gap] of gaps.entries()) {
          assert.ok(gap >= 0.8 * 100 * 2 ** i - 5, `retry ${i + 1} came after ${gap} ms`)
        }
        assert.ok((gaps[1] ?? 0) > (gaps[0] ?? 0), `delays grow: ${gaps.join(', ')}`)
        assert.ok((gaps[2] ?? 0) > (gaps[1] ?? 0), `delays grow: ${gaps.join(', ')}`)
        assert.deepEqual(await queue.deadLetters({ limit: 10 }), [])
      }),
    )

    test(
      'after the last attempt a job is a dead letter with its error, step and attempt',
      withBackend(async (_backend, queue) => {
        const vcon = randomUUID()
        let calls = 0
        const consumer = queue.consume(
          consumeOptions({ lists: ['dl'], retry: { maxAttempts: 3, backoffMs: 10 } }),
          async (j) => {
            calls += 1
            return { kind: 'failed', error: `vendor said no (${j.attempt})`, step: 'transcribe' }
          },
        )
        const before = Date.now()
        await queue.enqueue([job(vcon, 'dl', 2, 'calls')])
        await waitFor(
          'a dead letter',
          async () => (await queue.deadLetters({ limit: 5 })).length > 0,
        )
        await consumer.stop(1_000)
        const [dead, ...more] = await queue.deadLetters({ limit: 5 })
        assert.deepEqual(more, [])
        assert.ok(dead)
        assert.equal(calls, 3)
        assert.equal(dead.vconUuid, vcon)
        assert.equal(dead.chain, 'calls')
        assert.equal(dead.step, 2)
        assert.equal(dead.list, 'dl')
        assert.equal(dead.attempt, 3)
        assert.equal(dead.error, 'vendor said no (3)')
        assert.equal(dead.failedStep, 'transcribe')
        assert.ok(dead.failedAt >= before - 1_000 && dead.failedAt <= Date.now() + 1_000)
        assert.equal(typeof dead.id, 'string')
        assert.equal(await queue.depth(), 0)
        assert.equal((await queue.deadLetters({ list: 'dl', limit: 5 })).length, 1)
        assert.equal((await queue.deadLetters({ list: 'other', limit: 5 })).length, 0)
      }),
    )

    test(
      'a handler that throws counts as a failed attempt and its message is kept',
      withBackend(async (_backend, queue) => {
        const consumer = queue.consume(
          consumeOptions({ retry: { maxAttempts: 2, backoffMs: 10 } }),
          async (j) => {
            throw new Error(`exploded on attempt ${j.attempt}`)
          },
        )
        await queue.enqueue([job(randomUUID(), 'ingress', 1)])
        await waitFor(
          'a dead letter',
          async () => (await queue.deadLetters({ limit: 5 })).length > 0,
        )
        await consumer.stop(1_000)
        const [dead] = await queue.deadLetters({ limit: 5 })
        assert.equal(dead?.error, 'exploded on attempt 2')
        assert.equal(dead?.attempt, 2)
        assert.equal(dead?.failedStep, '#1')
      }),
    )

    test(
      'a retry and a replay resume at the failed step the outcome names (resumeAt)',
      withBackend(async (_backend, queue) => {
        const seen: number[] = []
        let healthy = false
        const consumer = queue.consume(
          consumeOptions({ retry: { maxAttempts: 2, backoffMs: 10 } }),
          async (j): Promise<JobOutcome> => {
            seen.push(j.step)
            if (healthy) return { kind: 'done' }
            return { kind: 'failed', error: 'vendor down', step: 'transcribe', resumeAt: 2 }
          },
        )
        await queue.enqueue([job(randomUUID(), 'ingress', 0)])
        await waitFor(
          'a dead letter',
          async () => (await queue.deadLetters({ limit: 5 })).length > 0,
        )
        const [dead] = await queue.deadLetters({ limit: 5 })
        assert.deepEqual(seen, [0, 2], 'the retry ran from step 2, not from step 0')
        assert.equal(dead?.step, 2, 'the dead letter records the step to resume at')
        healthy = true
        assert.equal(await queue.replay({}), 1)
        await waitFor('the replayed job', () => seen.length === 3)
        await consumer.stop(1_000)
        assert.equal(seen[2], 2, 'the replay resumed at the failed step')
      }),
    )

    test(
      'a permanent failure goes straight to the dead letters',
      withBackend(async (_backend, queue) => {
        let calls = 0
        const consumer = queue.consume(consumeOptions(), async () => {
          calls += 1
          return { kind: 'failed', error: 'not a vCon', step: 'validate', permanent: true }
        })
        await queue.enqueue([job(randomUUID())])
        await waitFor(
          'a dead letter',
          async () => (await queue.deadLetters({ limit: 5 })).length > 0,
        )
        await sleep(100)
        await consumer.stop(1_000)
        const [dead] = await queue.deadLetters({ limit: 5 })
        assert.equal(calls, 1)
        assert.equal(dead?.attempt, 1)
        assert.equal(dead?.failedStep, 'validate')
        assert.equal(await queue.depth(), 0)
      }),
    )

    test(
      'replay puts dead letters back at their failed step, where they then complete',
      withBackend(async (_backend, queue) => {
        let healthy = false
        const completed: Job[] = []
        const consumer = queue.consume(
          consumeOptions({ lists: ['a', 'b'] }),
          async (j): Promise<JobOutcome> => {
            if (!healthy) return { kind: 'failed', error: 'down', step: 'webhook', permanent: true }
            completed.push(j)
            return { kind: 'done' }
          },
        )
        const [x, y, z, w] = uuids(4) as [string, string, string, string]
        await queue.enqueue([job(x, 'a', 3), job(y, 'a', 1), job(z, 'a', 0), job(w, 'b', 2)])
        await waitFor(
          '4 dead letters',
          async () => (await queue.deadLetters({ limit: 10 })).length === 4,
        )
        const deadX = (await queue.deadLetters({ limit: 10 })).find((d) => d.vconUuid === x)
        assert.ok(deadX)
        healthy = true

        assert.equal(await queue.replay({ ids: [deadX.id, 'no-such-id'] }), 1)
        await waitFor('x completed', () => completed.length === 1)
        assert.equal(completed[0]?.vconUuid, x)
        assert.equal(completed[0]?.step, 3)
        assert.equal(completed[0]?.attempt, 1)
        assert.equal(completed[0]?.list, 'a')

        assert.equal(await queue.replay({ list: 'a', limit: 1 }), 1)
        await waitFor('a second completion', () => completed.length === 2)
        assert.equal((await queue.deadLetters({ list: 'a', limit: 10 })).length, 1)
        assert.equal(await queue.replay({}), 2)
        await waitFor('all completed', () => completed.length === 4)
        await consumer.stop(1_000)
        assert.deepEqual(
          completed.map((c) => `${c.vconUuid}@${c.step}`).sort(),
          [`${x}@3`, `${y}@1`, `${z}@0`, `${w}@2`].sort(),
        )
        assert.deepEqual(await queue.deadLetters({ limit: 10 }), [])
        assert.equal(await queue.replay({}), 0)
      }),
    )

    test(
      'stop(0) gives a hanging job back at once; another consumer takes it',
      withBackend(async (backend, queue) => {
        const second = await backend.open()
        let startedA = 0
        const a = queue.consume(consumeOptions({ leaseMs: 30_000 }), async () => {
          startedA += 1
          return new Promise<JobOutcome>(() => {}) // hangs forever
        })
        await queue.enqueue([job(randomUUID())])
        await waitFor('A holds the job', () => startedA === 1)
        await a.stop(0)
        assert.equal(await queue.depth(), 1)
        const got: Job[] = []
        const b = second.consume(consumeOptions({ leaseMs: 30_000 }), async (j) => {
          got.push(j)
          return { kind: 'done' }
        })
        // Well before the 30 s lease would have expired: the job was given back, not abandoned.
        await waitFor('B gets the job', () => got.length === 1, 10_000)
        await b.stop(1_000)
        assert.equal(got[0]?.attempt, 2)
        assert.equal(await queue.depth(), 0)
      }),
    )

    test(
      'a job given back at stop before its handler started keeps its attempt number',
      withBackend(async (backend, queue) => {
        const second = await backend.open()
        let started = 0
        // One slot shared by two lists: the job on 'b' waits for the slot that the hanging job on 'a' holds.
        const a = queue.consume(consumeOptions({ lists: ['a', 'b'], concurrency: 1 }), async () => {
          started += 1
          return new Promise<JobOutcome>(() => {})
        })
        await queue.enqueue([job(randomUUID(), 'a')])
        await waitFor('the slot is taken', () => started === 1)
        await queue.enqueue([job(randomUUID(), 'b')])
        await sleep(300) // time for a backend that fetches ahead to take the job on 'b'
        await a.stop(0)
        assert.equal(started, 1)
        const got: Job[] = []
        const b = second.consume(consumeOptions({ lists: ['b'] }), async (j) => {
          got.push(j)
          return { kind: 'done' }
        })
        await waitFor('the job on b is delivered', () => got.length === 1, 10_000)
        await b.stop(1_000)
        assert.equal(got[0]?.attempt, 1, 'a delivery no handler saw is not an attempt')
      }),
    )

    test(
      "a dead worker's lease expires and the job is delivered to another consumer",
      withBackend(async (backend) => {
        const dying = await backend.open()
        const survivor = await backend.open()
        let takenAt = 0
        dying.consume(consumeOptions(), async () => {
          takenAt = Date.now()
          return new Promise<JobOutcome>(() => {})
        })
        await dying.enqueue([job(randomUUID())])
        await waitFor('the doomed worker holds the job', () => takenAt > 0)
        await dying.close() // the process "dies": no release, no more lease extension
        const got: { job: Job; at: number }[] = []
        const b = survivor.consume(consumeOptions(), async (j) => {
          got.push({ job: j, at: Date.now() })
          return { kind: 'done' }
        })
        await waitFor('redelivery', () => got.length === 1, leaseMs * 10)
        await sleep(leaseMs)
        await b.stop(1_000)
        assert.equal(got.length, 1)
        assert.equal(got[0]?.job.attempt, 2)
        assert.ok(
          (got[0]?.at ?? 0) - takenAt >= leaseMs * 0.9,
          `redelivered ${(got[0]?.at ?? 0) - takenAt} ms after the lease was taken, before it expired`,
        )
        assert.equal(await survivor.depth(), 0)
      }),
    )

    test(
      'a handler that runs longer than its lease keeps the job (the lease is extended)',
      withBackend(async (backend, queue) => {
        const other = await backend.open()
        const runs: string[] = []
        const slow = async (j: Job): Promise<JobOutcome> => {
          runs.push(`${j.vconUuid}#${j.attempt}`)
          await sleep(leaseMs * 3)
          return { kind: 'done' }
        }
        const a = queue.consume(consumeOptions({ concurrency: 1 }), slow)
        const vcon = randomUUID()
        await queue.enqueue([job(vcon)])
        await waitFor('A started', () => runs.length === 1)
        const b = other.consume(consumeOptions({ concurrency: 1 }), slow)
        await waitFor('done', async () => (await queue.depth()) === 0, leaseMs * 10)
        await Promise.all([a.stop(leaseMs * 4), b.stop(leaseMs * 4)])
        assert.deepEqual(runs, [`${vcon}#1`])
      }),
    )

    test(
      'next jobs are enqueued with (SQLite) or before (Redis) the acknowledgement: depth never drops to 0',
      withBackend(async (backend, queue) => {
        const observer = await backend.open()
        const steps = new Map<string, number[]>()
        let finished = 0
        const consumer = queue.consume(
          consumeOptions({ lists: ['ingress', 'second'] }),
          async (j): Promise<JobOutcome> => {
            steps.set(j.vconUuid, [...(steps.get(j.vconUuid) ?? []), j.step])
            await sleep(15)
            if (j.step === 3) {
              finished += 1
              return { kind: 'done' }
            }
            // step 2 moves to another list, as a route step would
            const list = j.step === 1 ? 'second' : j.list
            return { kind: 'done', next: [{ ...j, step: j.step + 1, list }] }
          },
        )
        const ids = uuids(5)
        await queue.enqueue(ids.map((id) => job(id)))
        const samples: number[] = []
        while (finished < ids.length) {
          const depth = await observer.depth()
          if (finished < ids.length) samples.push(depth)
          await new Promise((resolve) => setImmediate(resolve)) // let the consumer's timers run
        }
        await consumer.stop(1_000)
        assert.ok(samples.length > 5, `only ${samples.length} samples`)
        assert.ok(
          samples.every((d) => d >= 1),
          `depth seen at 0 mid-chain: ${samples.join(',')}`,
        )
        for (const id of ids) assert.deepEqual(steps.get(id), [0, 1, 2, 3])
        assert.equal(await queue.depth(), 0)
      }),
    )

    test(
      'depth counts waiting and leased jobs, per list or in all',
      withBackend(async (_backend, queue) => {
        assert.equal(await queue.depth(), 0)
        await queue.enqueue([
          job('a1', 'a'),
          job('a2', 'a'),
          job('a3', 'a'),
          job('b1', 'b'),
          job('b2', 'b'),
        ])
        assert.equal(await queue.depth(), 5)
        assert.equal(await queue.depth('a'), 3)
        assert.equal(await queue.depth('b'), 2)
        assert.equal(await queue.depth('none'), 0)
        let release: () => void = () => {}
        const gate = new Promise<void>((r) => {
          release = r
        })
        let started = 0
        const consumer = queue.consume(consumeOptions({ lists: ['a'] }), async () => {
          started += 1
          await gate
          return { kind: 'done' }
        })
        await waitFor('three leased', () => started === 3)
        assert.equal(await queue.depth('a'), 3, 'leased jobs still count')
        release()
        await waitFor('a drained', async () => (await queue.depth('a')) === 0)
        await consumer.stop(1_000)
        assert.equal(await queue.depth(), 2)
      }),
    )

    test(
      'egress lists pop in push order, oldest first, list by list',
      withBackend(async (_backend, queue) => {
        await queue.pushEgress('out', ['1', '2', '3'])
        await queue.pushEgress('other', ['x'])
        await queue.pushEgress('out', ['4'])
        await queue.pushEgress('out', [])
        assert.deepEqual(await queue.popEgress('out', 2), ['1', '2'])
        assert.deepEqual(await queue.popEgress('out', 10), ['3', '4'])
        assert.deepEqual(await queue.popEgress('out', 10), [])
        assert.deepEqual(await queue.popEgress('never', 10), [])
        assert.deepEqual(await queue.popEgress('other', 0), [])
        assert.deepEqual(await queue.popEgress('other', 1), ['x'])
      }),
    )

    test(
      "dropVcon removes a vCon's waiting jobs, dead letters and egress entries",
      withBackend(async (_backend, queue) => {
        const [gone, kept] = uuids(2) as [string, string]
        const consumer = queue.consume(consumeOptions({ lists: ['dlq'] }), async () => ({
          kind: 'failed',
          error: 'no',
          step: 'tag',
          permanent: true,
        }))
        await queue.enqueue([job(gone, 'dlq'), job(kept, 'dlq')])
        await waitFor(
          'two dead letters',
          async () => (await queue.deadLetters({ limit: 9 })).length === 2,
        )
        await consumer.stop(1_000)
        await queue.enqueue([job(gone, 'a'), job(gone, 'b', 2), job(kept, 'a')])
        await queue.pushEgress('out', [gone, kept, gone])
        assert.equal(await queue.dropVcon(gone), 5)
        assert.equal(await queue.depth(), 1)
        assert.deepEqual(
          (await queue.deadLetters({ limit: 9 })).map((d) => d.vconUuid),
          [kept],
        )
        assert.deepEqual(await queue.popEgress('out', 9), [kept])
        assert.equal(await queue.dropVcon(gone), 0)
      }),
    )

    test(
      'graceful stop waits for running handlers and leaves no job leased',
      withBackend(async (backend, queue) => {
        const finished: string[] = []
        let started = 0
        const consumer = queue.consume(
          consumeOptions({ concurrency: 4, leaseMs: 30_000 }),
          async (j) => {
            started += 1
            await sleep(300)
            finished.push(j.vconUuid)
            return { kind: 'done' }
          },
        )
        const ids = uuids(8)
        await queue.enqueue(ids.map((id) => job(id)))
        await waitFor('four running', () => started === 4)
        await consumer.stop(10_000)
        assert.equal(finished.length, 4, 'stop returned before its running handlers finished')
        assert.equal(started, 4, 'a stopping consumer took new work')
        assert.equal(await queue.depth(), 4)
        // Nothing is left leased: a new consumer gets the rest at once, as first deliveries.
        const other = await backend.open()
        const rest: Job[] = []
        const next = other.consume(
          consumeOptions({ concurrency: 4, leaseMs: 30_000 }),
          async (j) => {
            rest.push(j)
            return { kind: 'done' }
          },
        )
        await waitFor('the other four', () => rest.length === 4, 10_000)
        await next.stop(1_000)
        assert.deepEqual(
          rest.map((j) => j.attempt),
          [1, 1, 1, 1],
        )
        assert.deepEqual([...finished, ...rest.map((j) => j.vconUuid)].sort(), [...ids].sort())
      }),
    )

    test(
      'throughput sanity: 2,000 jobs through a two-step chain at concurrency 16',
      withBackend(async (_backend, queue) => {
        const ids = uuids(1_000)
        let done = 0
        const started = Date.now()
        const consumer = queue.consume(consumeOptions({ concurrency: 16 }), async (j) => {
          if (j.step === 0) return { kind: 'done', next: [{ ...j, step: 1 }] }
          done += 1
          return { kind: 'done' }
        })
        for (let i = 0; i < ids.length; i += 100) {
          await queue.enqueue(ids.slice(i, i + 100).map((id) => job(id)))
        }
        await waitFor('all done', () => done === ids.length, 60_000)
        await consumer.stop(1_000)
        const seconds = (Date.now() - started) / 1_000
        // No timing assertion (shared CI machine); the figure is for the reader.
        console.log(`# ${name}: ${Math.round((2 * ids.length) / seconds)} jobs/s`)
        assert.equal(await queue.depth(), 0)
      }),
    )

    test(
      'consume rejects options that cannot work, naming the option',
      withBackend(async (_backend, queue) => {
        const noop = async (): Promise<JobOutcome> => ({ kind: 'done' })
        assert.throws(
          () => queue.consume(consumeOptions({ concurrency: 0 }), noop),
          (e: unknown) =>
            e instanceof ServerError &&
            e.code === 'CONFIG_INVALID' &&
            /concurrency/.test(e.message),
        )
        assert.throws(
          () => queue.consume(consumeOptions({ lists: [] }), noop),
          (e: unknown) => e instanceof ServerError && /lists/.test(e.message),
        )
      }),
    )

    test(
      'a closed queue refuses work with UNAVAILABLE',
      withBackend(async (backend) => {
        const queue = await backend.open()
        await queue.ping()
        await queue.close()
        await queue.close() // twice is fine
        await assert.rejects(
          queue.enqueue([job('x')]),
          (e: unknown) => e instanceof ServerError && e.code === 'UNAVAILABLE',
        )
        await assert.rejects(
          queue.ping(),
          (e: unknown) => e instanceof ServerError && e.code === 'UNAVAILABLE',
        )
      }),
    )
  })
}
