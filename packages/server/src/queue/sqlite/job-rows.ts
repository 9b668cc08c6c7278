/**
 * @module The rows of the SQLite queue's `jobs` and `dead_letters` tables (created in migrations.ts) and their
 * mapping to the Queue port's types: a row read back becomes a Job or a DeadLetter, and a job to enqueue is
 * reduced to the fields its new row is written from. The statements reading and writing these rows live in
 * sqlite-queue.ts.
 */
import type { DeadLetter, Job, JobInput } from '../../ports/queue.js'

/** A `jobs` row as the queue selects or returns it. */
export interface JobRow {
  id: string
  vcon_uuid: string
  chain: string
  step: number
  list: string
  attempt: number
  enqueued_at: number
}

/** A `dead_letters` row: the job's columns plus why, where and when it failed. */
export interface DeadLetterRow extends JobRow {
  error: string
  failed_step: string
  failed_at: number
}

/** The fields of a job that its new row is written from (id, attempt and times are the queue's own). */
export function pick(job: JobInput): JobInput {
  return { vconUuid: job.vconUuid, chain: job.chain, step: job.step, list: job.list }
}

/** A `jobs` (or `dead_letters`) row as the port's Job. */
export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    vconUuid: row.vcon_uuid,
    chain: row.chain,
    step: Number(row.step),
    list: row.list,
    attempt: Number(row.attempt),
    enqueuedAt: Number(row.enqueued_at),
  }
}

/** A `dead_letters` row as the port's DeadLetter: the job it was, and why, where and when it failed. */
export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const { enqueuedAt: _enqueuedAt, ...job } = toJob(row)
  return { ...job, error: row.error, failedStep: row.failed_step, failedAt: Number(row.failed_at) }
}
