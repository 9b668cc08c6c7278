/**
 * @module The Queue port: at-least-once delivery of pipeline work. A job names a vCon (by uuid: the store holds the
 * vCon, the queue never holds the only copy), the chain and the step to run. A consumer leases jobs; a lease that
 * is not completed in time expires and the job is delivered again; failures are retried with exponential backoff
 * and, after the last attempt, become dead letters that can be replayed from the failed step.
 */

/** Work to do: run step `step` (0-based) of chain `chain` on the vCon `vconUuid`. */
export interface JobInput {
  readonly vconUuid: string
  readonly chain: string
  readonly step: number
  /** The list the job came in on (an ingress list name); used for metrics, scoping and DLQ listing. */
  readonly list: string
}

/** A leased job. */
export interface Job extends JobInput {
  readonly id: string
  /** 1 on the first delivery. */
  readonly attempt: number
  readonly enqueuedAt: number
}

/** A job that failed its last attempt, with why. */
export interface DeadLetter extends JobInput {
  readonly id: string
  readonly attempt: number
  readonly error: string
  /** The name of the step that failed. */
  readonly failedStep: string
  readonly failedAt: number
}

/** What a handler returns for one job. */
export type JobOutcome =
  /** Done; the given jobs (the next step, or nothing) are enqueued together with the acknowledgement. */
  | { readonly kind: 'done'; readonly next?: readonly JobInput[] }
  /** Failed; retried with backoff unless `permanent` or the attempts are spent, then a dead letter. */
  | {
      readonly kind: 'failed'
      readonly error: string
      readonly step: string
      readonly permanent?: boolean
      /**
       * The 0-based index of the failed step. The queue stores it as the job's `step`, so that the retry and a
       * dead-letter replay resume AT the failed step, not at the step the delivery started from (the runner
       * runs several steps per delivery, and the earlier ones have already stored their result). Absent: the
       * job's own `step`.
       */
      readonly resumeAt?: number
    }

export interface RetryPolicy {
  /** Total deliveries before the job becomes a dead letter (default 5). */
  readonly maxAttempts: number
  /** First retry delay in ms; doubled on each attempt, with jitter (default 1,000). */
  readonly backoffMs: number
}

export interface ConsumeOptions {
  readonly lists: readonly string[]
  /** Jobs handled at once by this consumer. */
  readonly concurrency: number
  /** How long a lease lasts; a job whose handler runs longer is extended while it runs. */
  readonly leaseMs: number
  readonly retry: RetryPolicy
  /** A name for this consumer (host and process), recorded with leases. */
  readonly worker: string
}

/** A running consumer. */
export interface Consumer {
  /** Stops taking new jobs; waits up to `graceMs` for running ones, then gives the rest back to the queue. */
  stop(graceMs: number): Promise<void>
}

/** The Queue port. Adapters: SQLite table (embedded default) and Redis (BullMQ); one contract suite for both. */
export interface Queue {
  readonly kind: 'sqlite' | 'redis'
  enqueue(jobs: readonly JobInput[]): Promise<void>
  consume(options: ConsumeOptions, handler: (job: Job) => Promise<JobOutcome>): Consumer
  /** Jobs waiting or leased (all lists, or one). Used for admission control and metrics. */
  depth(list?: string): Promise<number>
  deadLetters(options: { list?: string; limit: number }): Promise<DeadLetter[]>
  /** Puts dead letters back at their failed step (all, one list's, or given ids); returns how many. */
  replay(selector: { ids?: readonly string[]; list?: string; limit?: number }): Promise<number>
  /** Appends uuids to an egress list; `popEgress` takes them off in order (oldest first). */
  pushEgress(list: string, uuids: readonly string[]): Promise<void>
  popEgress(list: string, count: number): Promise<string[]>
  /** Removes every waiting job, dead letter and egress entry of one vCon (erasure). Returns how many. */
  dropVcon(vconUuid: string): Promise<number>
  ping(): Promise<void>
  close(): Promise<void>
}
