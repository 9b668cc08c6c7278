/**
 * @module Redis for integration tests: the URL (VCONKIT_TEST_REDIS_URL, default redis://127.0.0.1:6379), a
 * reachability probe, a random key prefix per test and removal of that prefix's keys afterwards.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export const REDIS_TEST_URL = process.env.VCONKIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Undefined when Redis answers PING, else why not. */
export async function redisUnreachable(url = REDIS_TEST_URL): Promise<string | undefined> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  let cause: unknown
  probe.on('error', (error) => {
    cause = error
  })
  try {
    await probe.connect()
    await probe.ping()
    return undefined
  } catch (error) {
    const why = cause ?? error
    return `Redis is unreachable at ${url} (${why instanceof Error ? why.message : String(why)})`
  } finally {
    probe.disconnect()
  }
}

/**
 * How a test file treats an unreachable Redis: under CI=true it is a failure (CI runs Redis, so its absence is a
 * broken pipeline, not a reason to pass), elsewhere the tests are skipped with this message.
 */
export function mustHaveServices(): boolean {
  return process.env.CI === 'true'
}

export function testPrefix(): string {
  return `vconkit-test-${randomBytes(6).toString('hex')}`
}

/** Deletes every key under `prefix:`. */
export async function dropPrefix(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000)
      cursor = next
      if (keys.length > 0) await client.del(...keys)
    } while (cursor !== '0')
  } finally {
    client.disconnect()
  }
}
