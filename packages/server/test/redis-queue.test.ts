/**
 * @module The Redis (BullMQ) queue against the Queue contract, on a real Redis (VCONKIT_TEST_REDIS_URL). Under
 * CI=true an unreachable Redis fails the run; elsewhere these tests are skipped with a message. The failure
 * mapping (connection loss → UNAVAILABLE) needs no Redis and always runs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ServerError } from '../src/errors/server-error.js'
import type { Job, Queue } from '../src/ports/queue.js'
import { createRedisQueue } from '../src/queue/redis/redis-queue.js'
import { runQueueContract, waitFor } from './queue-contract.js'
import {
  dropPrefix,
  mustHaveServices,
  REDIS_TEST_URL,
  redisUnreachable,
  testPrefix,
} from './support/redis-test.js'
import { startTcpProxy } from './support/tcp-proxy.js'

const unreachable = await redisUnreachable()

if (unreachable === undefined) {
  runQueueContract(
    'redis',
    async () => {
      const prefix = testPrefix()
      const opened: Queue[] = []
      return {
        async open() {
          const queue = createRedisQueue({ url: REDIS_TEST_URL, prefix })
          opened.push(queue)
          return queue
        },
        async cleanup() {
          for (const queue of opened) await queue.close()
          await dropPrefix(prefix)
        },
      }
    },
    { leaseMs: 1_000 },
  )
} else if (mustHaveServices()) {
  test('Redis is reachable (required under CI=true)', () => {
    assert.fail(`${unreachable}; set VCONKIT_TEST_REDIS_URL or start Redis`)
  })
} else {
  test('Redis queue contract', {
    skip: `${unreachable}; set VCONKIT_TEST_REDIS_URL to run`,
  }, () => {})
}

describe('Redis queue: connection loss', () => {
  test('an unreachable Redis answers UNAVAILABLE quickly, without the password in the message', async () => {
    const queue = createRedisQueue({ url: 'redis://user:s3cret@127.0.0.1:1', prefix: testPrefix() })
    const started = Date.now()
    try {
      for (const attempt of [
        () => queue.enqueue([{ vconUuid: 'u', chain: 'c', step: 0, list: 'l' }]),
        () => queue.ping(),
        () => queue.depth(),
        () => queue.popEgress('out', 1),
      ]) {
        await assert.rejects(attempt(), (e: unknown) => {
          assert.ok(e instanceof ServerError)
          assert.equal(e.code, 'UNAVAILABLE')
          assert.equal(e.retryAfter, 1)
          assert.match(e.message, /127\.0\.0\.1:1/)
          assert.doesNotMatch(e.message, /s3cret/)
          return true
        })
      }
      assert.ok(Date.now() - started < 10_000, 'each call should fail within a few seconds')
    } finally {
      await queue.close()
    }
  })
})

describe('Redis queue: outage and recovery', { skip: unreachable }, () => {
  test('while Redis is away calls answer UNAVAILABLE; afterwards producer and consumer carry on', async () => {
    const target = new URL(REDIS_TEST_URL)
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379))
    const via = new URL(REDIS_TEST_URL)
    via.hostname = '127.0.0.1'
    via.port = String(proxy.port)
    const prefix = testPrefix()
    const queue = createRedisQueue({ url: via.toString(), prefix })
    const handled: Job[] = []
    const consumer = queue.consume(
      {
        lists: ['in'],
        concurrency: 2,
        leaseMs: 1_000,
        retry: { maxAttempts: 5, backoffMs: 50 },
        worker: 'outage',
      },
      async (j) => {
        handled.push(j)
        return { kind: 'done' }
      },
    )
    const job = (vconUuid: string) => ({ vconUuid, chain: 'c', step: 0, list: 'in' })
    try {
      await queue.enqueue([job('before')])
      await waitFor('the first job', () => handled.length === 1)

      await proxy.down()
      await waitFor('UNAVAILABLE', async () => {
        try {
          await queue.enqueue([job('during')])
          return false
        } catch (error) {
          assert.ok(error instanceof ServerError, String(error))
          assert.equal(error.code, 'UNAVAILABLE')
          return true
        }
      })
      await assert.rejects(
        queue.ping(),
        (e: unknown) => e instanceof ServerError && e.code === 'UNAVAILABLE',
      )

      await proxy.up()
      await waitFor('the producer reconnects', async () => {
        try {
          await queue.ping()
          return true
        } catch {
          return false
        }
      })
      await queue.enqueue([job('after')])
      await waitFor(
        'the consumer resumes',
        () => handled.some((j) => j.vconUuid === 'after'),
        30_000,
      )
      await consumer.stop(1_000)
      assert.equal(await queue.depth(), 0)
      assert.ok(
        handled.every((j) => j.vconUuid !== 'during'),
        'a refused job was processed',
      )
    } finally {
      await consumer.stop(0)
      await queue.close()
      await proxy.close()
      await dropPrefix(prefix)
    }
  })
})
