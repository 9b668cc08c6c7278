/**
 * @module What both Queue adapters share: the retry delay (exponential backoff with jitter), option checks and
 * the fallback names used when a handler did not say which step failed.
 */
import { ServerError } from '../errors/server-error.js'
import type { ConsumeOptions, Job, JobOutcome, RetryPolicy } from '../ports/queue.js'

/** The port's defaults (ports/queue.ts): five deliveries, the first retry after one second. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, backoffMs: 1_000 }

/**
 * Jitter spreads retries by ±20 %: jobs that failed together (a vendor outage) do not all come back at the same
 * instant and fail together again.
 */
export const RETRY_JITTER = 0.2

/** No retry waits longer than an hour, whatever the attempt count. */
export const MAX_RETRY_DELAY_MS = 3_600_000

/**
 * The wait before the next delivery after delivery `attempt` (1-based) failed: backoffMs·2^(attempt−1), ±20 %.
 * `random` returns a number in [0, 1) (Math.random, or a seeded one in tests).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30)
  const base = Math.min(policy.backoffMs * 2 ** exponent, MAX_RETRY_DELAY_MS)
  const factor = 1 - RETRY_JITTER + 2 * RETRY_JITTER * random()
  return Math.max(0, Math.round(base * factor))
}

/**
 * The `failedStep` recorded when the handler threw or the job ran out of deliveries without a handler outcome:
 * the queue knows only the step's index, not its name.
 */
export function unnamedStep(step: number): string {
  return `#${step}`
}

/** The message kept from whatever a handler threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** The dead-letter reason of a job whose last delivery was never acknowledged. */
export function leaseLostMessage(deliveries: number): string {
  return (
    `no attempts left after ${deliveries} deliveries: the last one was not acknowledged ` +
    '(its worker died or stopped, or the handler outlived its lease)'
  )
}

/** Rejects consume options that would make a consumer spin or never run; the message names the option. */
export function checkConsumeOptions(options: ConsumeOptions): void {
  const bad = (key: string, rule: string): never => {
    throw new ServerError('CONFIG_INVALID', `queue consume option ${key} ${rule}`)
  }
  if (options.lists.length === 0) bad('lists', 'must name at least one list')
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    bad('concurrency', `must be an integer ≥ 1 (got ${options.concurrency})`)
  }
  if (!Number.isFinite(options.leaseMs) || options.leaseMs < 50) {
    bad('leaseMs', `must be a number of milliseconds ≥ 50 (got ${options.leaseMs})`)
  }
  if (!Number.isInteger(options.retry.maxAttempts) || options.retry.maxAttempts < 1) {
    bad('retry.maxAttempts', `must be an integer ≥ 1 (got ${options.retry.maxAttempts})`)
  }
  if (!Number.isFinite(options.retry.backoffMs) || options.retry.backoffMs < 0) {
    bad('retry.backoffMs', `must be a number of milliseconds ≥ 0 (got ${options.retry.backoffMs})`)
  }
}

/**
 * Runs a consumer's handler for one delivery: a throw or a malformed result counts as a failure of this delivery,
 * so both adapters settle every job the same way.
 */
export async function runHandler(
  handler: (job: Job) => Promise<JobOutcome>,
  job: Job,
): Promise<JobOutcome> {
  try {
    const outcome = await handler(job)
    if (outcome?.kind === 'done' || outcome?.kind === 'failed') return outcome
    return { kind: 'failed', error: 'the handler returned no outcome', step: unnamedStep(job.step) }
  } catch (error) {
    return { kind: 'failed', error: errorMessage(error), step: unnamedStep(job.step) }
  }
}
