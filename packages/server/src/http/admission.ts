/**
 * @module Admission control: ingest is refused with 503 + Retry-After while the queue backlog is over
 * `limits.maxQueueDepth`, so a slow pipeline pushes back on producers instead of growing without bound. The depth
 * is read at most every ~100 ms, in the background: a request never waits for it, and a busy queue backend is not
 * asked once per request.
 */
import { ServerError } from '../errors/server-error.js'
import { API_QUEUE_DEPTH, HTTP_ADMISSION_REJECTED } from '../observability/metric-names.js'
import type { Metrics } from '../observability/metrics.js'
import type { Queue } from '../ports/queue.js'

export interface AdmissionOptions {
  readonly queue: Queue
  readonly maxQueueDepth: number
  readonly metrics: Metrics
  readonly now: () => number
  /** How long a depth reading is used (default 100 ms). */
  readonly ttlMs?: number
}

export interface Admission {
  /** Throws ServerError UNAVAILABLE (503, Retry-After) when the last known depth is over the limit. */
  check(): void
  /** Starts a reading now and waits for it (server start, tests). */
  refresh(): Promise<void>
}

/** A new admission gate; it keeps no timer (readings are started by requests). */
export function createAdmission(options: AdmissionOptions): Admission {
  const ttlMs = options.ttlMs ?? 100
  let depth = 0
  let readAt = Number.NEGATIVE_INFINITY
  let reading: Promise<void> | undefined

  const refresh = (): Promise<void> => {
    if (reading !== undefined) return reading
    readAt = options.now()
    reading = options.queue
      .depth()
      .then((value) => {
        depth = value
        options.metrics.set(API_QUEUE_DEPTH, undefined, value)
      })
      .catch(() => {
        // An unreachable queue shows up where it is used (enqueue → 503); the last reading stays.
      })
      .finally(() => {
        reading = undefined
      })
    return reading
  }

  return {
    refresh,
    check() {
      if (options.now() - readAt >= ttlMs) void refresh()
      if (depth > options.maxQueueDepth) {
        options.metrics.inc(HTTP_ADMISSION_REJECTED)
        throw new ServerError(
          'UNAVAILABLE',
          `The pipeline queue holds ${depth} jobs, over its limit of ${options.maxQueueDepth} (limits.max_queue_depth); retry after the Retry-After delay.`,
          { retryAfter: 5 },
        )
      }
    },
  }
}
