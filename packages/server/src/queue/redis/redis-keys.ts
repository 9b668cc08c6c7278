/**
 * @module Names and shapes the Redis queue shares between its producer and consumer halves: BullMQ queue names,
 * our own keys beside BullMQ's, the job data, job ids, and the mapping of connection failures to UNAVAILABLE.
 */
import { createHash } from 'node:crypto'
import { ServerError } from '../../errors/server-error.js'
import type { DeadLetter, JobInput } from '../../ports/queue.js'
import { unnamedStep } from '../retry.js'

/** What a BullMQ job carries. `failed*` are written just before the job is failed for good. */
export interface RedisJobData extends JobInput {
  readonly enqueuedAt: number
  readonly failedStep?: string
  readonly failedAttempt?: number
  /**
   * Deliveries that were given back before the handler started (a closing worker's last fetch, a full concurrency
   * budget at stop). BullMQ counts them in attemptsStarted; they are not attempts, so they are taken off again.
   */
  readonly unstarted?: number
}

/** The attempt number of a delivery: BullMQ's count of moves to active, less those that never reached a handler. */
export function attemptOf(attemptsStarted: number, data: RedisJobData): number {
  return attemptsStarted - (data.unstarted ?? 0)
}

/**
 * BullMQ forbids ':' in queue names (its key separator); encodeURIComponent escapes it, and it escapes '#', which
 * keeps every queue name apart from our own keys below.
 */
export function queueName(list: string): string {
  return encodeURIComponent(list)
}

/** Our keys sit under the same prefix as BullMQ's, behind a '#' that no encoded queue name starts with. */
export function ownKeys(prefix: string): {
  readonly lists: string
  readonly egressLists: string
  egress(list: string): string
} {
  return {
    lists: `${prefix}:#lists`,
    egressLists: `${prefix}:#egress-lists`,
    egress: (list) => `${prefix}:#egress:${list}`,
  }
}

/**
 * The id of the `index`-th next job of job `parentId`: derived, not random, so that when a crash between "add the
 * next jobs" and "complete this one" makes the parent run again, BullMQ ignores the second add while the first
 * next job still exists (uuid-shaped hex: never an integer, never a ':').
 */
export function nextJobId(parentId: string, index: number): string {
  const hex = createHash('sha256').update(`${parentId}\n${index}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export function jobData(job: JobInput, enqueuedAt: number): RedisJobData {
  return { vconUuid: job.vconUuid, chain: job.chain, step: job.step, list: job.list, enqueuedAt }
}

/** The minimal view of a failed BullMQ job that a dead letter is made from. */
export interface FailedJobView {
  readonly id?: string | undefined
  readonly data: RedisJobData
  readonly failedReason: string
  readonly attemptsStarted: number
  readonly finishedOn?: number | undefined
  readonly timestamp: number
}

export function toDeadLetter(job: FailedJobView): DeadLetter {
  const { data } = job
  return {
    id: job.id ?? '',
    vconUuid: data.vconUuid,
    chain: data.chain,
    step: data.step,
    list: data.list,
    // A job BullMQ itself failed (stalled too often) has no failedAttempt: its deliveries are attemptsStarted.
    attempt: data.failedAttempt ?? attemptOf(job.attemptsStarted, data),
    error: job.failedReason,
    failedStep: data.failedStep ?? unnamedStep(data.step),
    failedAt: job.finishedOn ?? job.timestamp,
  }
}

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed|max retries per request|Stream isn't writeable|connect ETIMEDOUT|Command timed out/i

/** True for the errors ioredis raises when Redis cannot be reached (as opposed to a bad command). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'MaxRetriesPerRequestError') return true
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && CONNECTION_ERROR.test(code)) return true
  return CONNECTION_ERROR.test(error.message)
}

/** Redis URL without credentials, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`
  } catch {
    return 'the configured Redis URL'
  }
}

export function unavailable(url: string, cause: unknown): ServerError {
  return new ServerError(
    'UNAVAILABLE',
    `the Redis queue at ${safeUrl(url)} is unreachable; retry later (check VCONKIT_REDIS_URL and that Redis runs)`,
    { cause, retryAfter: 1 },
  )
}
