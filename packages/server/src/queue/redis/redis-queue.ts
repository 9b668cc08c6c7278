/**
 * @module The Queue adapter for many machines: Redis through BullMQ. One BullMQ queue per ingress list (named
 * after the list), dead letters are BullMQ's failed jobs (kept), egress lists are plain Redis lists. Every key
 * sits under `prefix`, so several deployments (or tests) can share one Redis. How leases, attempts and retries
 * map onto BullMQ is told in redis-consumer.ts.
 */
import { randomUUID } from 'node:crypto'
import { type Job as BullJob, Queue as BullQueue } from 'bullmq'
import { Redis } from 'ioredis'
import { ServerError } from '../../errors/server-error.js'
import type { Consumer, DeadLetter, JobInput, Queue } from '../../ports/queue.js'
import { checkConsumeOptions } from '../retry.js'
import { RedisConsumer } from './redis-consumer.js'
import {
  isConnectionError,
  jobData,
  nextJobId,
  ownKeys,
  queueName,
  type RedisJobData,
  toDeadLetter,
  unavailable,
} from './redis-keys.js'

export interface RedisQueueOptions {
  /** redis://[user:password@]host:port[/db] */
  readonly url: string
  /** Prefix of every key (default `vconkit`); give each deployment, or each test, its own. */
  readonly prefix?: string
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  readonly random?: () => number
  /** Milliseconds since the epoch, recorded as the enqueue time (default Date.now). */
  readonly now?: () => number
  /** Background errors (worker connections, lock renewal); they never stop a consumer. */
  readonly onError?: (error: unknown, context: string) => void
}

/** Jobs in these states count as the backlog (port: waiting or leased). */
const BACKLOG_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused'] as const
/** A vCon's jobs that erasure removes; active ones are left to their running handler. */
const DROPPABLE_STATES = ['waiting', 'delayed', 'prioritized', 'paused', 'failed'] as const
const PAGE = 500

export function createRedisQueue(options: RedisQueueOptions): Queue & { readonly kind: 'redis' } {
  const { url } = options
  const prefix = options.prefix ?? 'vconkit'
  const keys = ownKeys(prefix)
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  const onError = options.onError ?? (() => {})
  // The producer's commands fail fast when Redis is away (one retry), so the API answers 503 instead of hanging.
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  })
  client.on('error', (error) => onError(error, 'redis connection'))
  const queues = new Map<string, BullQueue<RedisJobData>>()
  const registered = new Set<string>()
  const consumers = new Set<RedisConsumer>()
  let closed = false

  /** Runs `op` with Redis reachable, turning connection failures into ServerError('UNAVAILABLE'). */
  async function guard<T>(op: () => Promise<T>): Promise<T> {
    if (closed) throw new ServerError('UNAVAILABLE', 'the Redis queue is closed')
    try {
      // Between reconnection attempts (Redis known to be away) fail at once; while first connecting, a ping
      // (one retry) decides. BullMQ itself would wait for a connection without a time limit.
      if (client.status === 'reconnecting' || client.status === 'end') {
        throw unavailable(url, new Error(`redis connection ${client.status}`))
      }
      if (client.status !== 'ready') await client.ping()
      return await op()
    } catch (error) {
      if (error instanceof ServerError) throw error
      if (isConnectionError(error) || client.status !== 'ready') throw unavailable(url, error)
      throw error
    }
  }

  function queueFor(list: string): BullQueue<RedisJobData> {
    let queue = queues.get(list)
    if (queue === undefined) {
      queue = new BullQueue<RedisJobData>(queueName(list), {
        connection: client,
        prefix,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: false },
      })
      queue.on('error', (error) => onError(error, `redis queue ${list}`))
      queues.set(list, queue)
    }
    return queue
  }

  /** Remembers list names in Redis so that `depth()`, `deadLetters()` and `dropVcon()` can find every list. */
  async function register(setKey: string, lists: Iterable<string>): Promise<void> {
    const fresh = [...new Set(lists)].filter((l) => !registered.has(`${setKey}\n${l}`))
    if (fresh.length === 0) return
    await client.sadd(setKey, ...fresh)
    for (const l of fresh) registered.add(`${setKey}\n${l}`)
  }

  async function knownLists(list?: string): Promise<string[]> {
    if (list !== undefined) return [list]
    return (await client.smembers(keys.lists)).sort()
  }

  async function add(jobs: readonly JobInput[], ids: (index: number) => string): Promise<void> {
    if (jobs.length === 0) return
    await register(
      keys.lists,
      jobs.map((j) => j.list),
    )
    const at = now()
    const byList = new Map<
      string,
      { name: string; data: RedisJobData; opts: { jobId: string } }[]
    >()
    jobs.forEach((job, index) => {
      const entry = { name: job.chain, data: jobData(job, at), opts: { jobId: ids(index) } }
      const group = byList.get(job.list)
      if (group) group.push(entry)
      else byList.set(job.list, [entry])
    })
    await Promise.all([...byList].map(([list, entries]) => queueFor(list).addBulk(entries)))
  }

  async function failedJobs(
    lists: readonly string[],
    limit: number,
  ): Promise<BullJob<RedisJobData>[]> {
    const all: BullJob<RedisJobData>[] = []
    for (const list of lists) {
      const jobs = (await queueFor(list).getJobs(
        ['failed'],
        0,
        limit - 1,
        true,
      )) as BullJob<RedisJobData>[]
      all.push(...jobs)
    }
    return all
      .sort((a, b) => (a.finishedOn ?? a.timestamp) - (b.finishedOn ?? b.timestamp))
      .slice(0, limit)
  }

  /** Replay: a new job at the failed step first, then the failed job goes (a crash between = a duplicate). */
  async function replayOne(job: BullJob<RedisJobData>): Promise<void> {
    const { vconUuid, chain, step, list } = job.data
    await add([{ vconUuid, chain, step, list }], () => randomUUID())
    await job.remove()
  }

  const queue: Queue & { readonly kind: 'redis' } = {
    kind: 'redis',

    enqueue: (jobs) => guard(() => add(jobs, () => randomUUID())),

    consume(consumeOptions, handler): Consumer {
      if (closed) throw new ServerError('UNAVAILABLE', 'the Redis queue is closed')
      checkConsumeOptions(consumeOptions)
      const consumer = new RedisConsumer(consumeOptions, handler, {
        url,
        prefix,
        random,
        enqueueNext: (parentId, next) => add(next, (i) => nextJobId(parentId, i)),
        onError,
        onEnd: (c) => consumers.delete(c),
      })
      consumers.add(consumer)
      return consumer
    },

    depth: (list) =>
      guard(async () => {
        let total = 0
        for (const l of await knownLists(list)) {
          total += await queueFor(l).getJobCountByTypes(...BACKLOG_STATES)
        }
        return total
      }),

    deadLetters: ({ list, limit }) =>
      guard(async (): Promise<DeadLetter[]> => {
        const n = Math.max(0, Math.min(Math.floor(limit), 10_000))
        if (n === 0) return []
        return (await failedJobs(await knownLists(list), n)).map((job) => toDeadLetter(job))
      }),

    replay: (selector) =>
      guard(async () => {
        const lists = await knownLists(selector.list)
        let count = 0
        if (selector.ids !== undefined) {
          const limit = selector.limit ?? Number.POSITIVE_INFINITY
          for (const id of selector.ids) {
            if (count >= limit) break
            for (const list of lists) {
              const job = (await queueFor(list).getJob(id)) as BullJob<RedisJobData> | undefined
              if (job === undefined || !(await job.isFailed())) continue
              await replayOne(job)
              count += 1
              break
            }
          }
          return count
        }
        const limit = selector.limit === undefined ? 10_000 : Math.floor(selector.limit)
        if (limit <= 0) return 0
        for (const job of await failedJobs(lists, limit)) {
          await replayOne(job)
          count += 1
        }
        return count
      }),

    pushEgress: (list, uuids) =>
      guard(async () => {
        if (uuids.length === 0) return
        await register(keys.egressLists, [list])
        await client.rpush(keys.egress(list), ...uuids)
      }),

    popEgress: (list, count) =>
      guard(async () => {
        if (count <= 0) return []
        return (await client.lpop(keys.egress(list), Math.floor(count))) ?? []
      }),

    dropVcon: (vconUuid) =>
      guard(async () => {
        // A scan of the queued jobs: erasure is rare, and an index kept beside BullMQ's keys could not be
        // updated atomically with BullMQ's own moves.
        let removed = 0
        for (const list of await knownLists()) {
          const q = queueFor(list)
          const doomed: BullJob<RedisJobData>[] = []
          for (let start = 0; ; start += PAGE) {
            const page = (await q.getJobs(
              [...DROPPABLE_STATES],
              start,
              start + PAGE - 1,
              true,
            )) as (BullJob<RedisJobData> | undefined)[]
            for (const job of page) if (job?.data.vconUuid === vconUuid) doomed.push(job)
            if (page.length < PAGE) break
          }
          for (const job of doomed) {
            try {
              await job.remove()
              removed += 1
            } catch (error) {
              // Taken by a worker meanwhile (locked): its handler will find the vCon gone.
              if (isConnectionError(error)) throw error
            }
          }
        }
        for (const list of await client.smembers(keys.egressLists)) {
          removed += await client.lrem(keys.egress(list), 0, vconUuid)
        }
        return removed
      }),

    ping: () =>
      guard(async () => {
        await client.ping()
      }),

    async close() {
      if (closed) return
      closed = true
      // Consumers are dropped as if the process died (their jobs' locks lapse and are redelivered); call
      // Consumer.stop(graceMs) first for a graceful shutdown.
      await Promise.all([...consumers].map((c) => c.abandon()))
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})))
      await client.quit().catch(() => client.disconnect())
    },
  }
  return queue
}
