/**
 * @module The pipeline runner: the queue handler for one job. It loads the vCon from the store (the store is
 * the source of truth; the job only names it), runs the chain's steps from `job.step` onward in process, and
 * stores the vCon after every step that changed it, BEFORE the next step runs, so that a worker killed half
 * way leaves a consistent, persisted vCon and the redelivered job repeats only idempotent work.
 *
 * Retries resume at the failed step: a failure returns `resumeAt` (ports/queue.ts), which the queue stores as
 * the job's step, so steps that already stored their result do not run again on the retry or on a dead-letter
 * replay.
 */
import { parseVcon, serializeVcon, type Vcon } from '@vconkit/vcon'
import type { LifecycleInput } from '../ledger/lifecycle-recorder.js'
import type { Logger } from '../observability/logger.js'
import { PIPELINE_JOBS } from '../observability/metric-names.js'
import type { Metrics } from '../observability/metrics.js'
import type { Job, JobInput, JobOutcome, Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import { deriveIndex } from '../store/derive-index.js'
import type { Chain, ChainSet } from './chain-set.js'
import { runStep } from './run-step.js'

/** What the runner needs; the application context (app/context.ts) has all of it. */
export interface RunJobDeps {
  readonly store: Pick<Store, 'get' | 'put'>
  readonly queue: Pick<Queue, 'enqueue' | 'pushEgress'>
  readonly chains: ChainSet
  readonly log: Logger
  readonly metrics: Metrics
  readonly now: () => number
  /** Aborted when the worker shuts down: the running step is told to stop and the job fails retryably. */
  readonly signal?: AbortSignal
  /**
   * Where lifecycle events go (the ledger's recorder): vcon_enhanced after a step changed the stored vCon,
   * vcon_sent after a webhook step delivered it.
   */
  readonly lifecycle?: { record(input: LifecycleInput): void }
}

/** Lifecycle reason tokens by step type (only code-defined types, never a configured name). */
const ENHANCE_REASONS: Readonly<Record<string, string>> = {
  analyse: 'analysis',
  transcribe: 'transcription',
  redact: 'redaction',
}

type Failed = Extract<JobOutcome, { kind: 'failed' }>

function failed(
  chain: Chain | undefined,
  index: number,
  error: string,
  permanent: boolean,
): Failed {
  const step = chain?.steps[index]?.name ?? (chain === undefined ? '(no chain)' : '(end of chain)')
  return { kind: 'failed', step, error, resumeAt: index, ...(permanent ? { permanent: true } : {}) }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The jobs that send a vCon into some ingress lists: step 0 of every chain each list feeds. */
function forwardJobs(chains: ChainSet, uuid: string, lists: readonly string[]): JobInput[] {
  return lists.flatMap((list) =>
    chains.forIngress(list).map((c) => ({ vconUuid: uuid, chain: c.config.name, step: 0, list })),
  )
}

/** Runs one job; never throws (every problem is an outcome the queue understands). */
export async function runJob(job: Job, deps: RunJobDeps): Promise<JobOutcome> {
  const chain = deps.chains.byName(job.chain)
  const log = deps.log.child({
    job: job.id,
    chain: job.chain,
    vcon: job.vconUuid,
    attempt: job.attempt,
  })
  const count = (outcome: string): void =>
    deps.metrics.inc(PIPELINE_JOBS, { chain: job.chain, outcome })
  if (chain === undefined) {
    count('failed')
    // The configuration no longer has this chain; a dead letter tells the operator, replay after fixing it.
    return failed(undefined, job.step, `the chain "${job.chain}" is not configured`, true)
  }

  let stored: Awaited<ReturnType<Store['get']>>
  try {
    stored = await deps.store.get(job.vconUuid)
  } catch (error) {
    count('failed')
    return failed(chain, job.step, `cannot read the vCon from the store: ${message(error)}`, false)
  }
  if (stored === undefined) {
    // Deleted after it was queued (erasure): there is nothing left to process.
    log.info('vCon no longer stored; job dropped')
    count('missing')
    return { kind: 'done' }
  }

  let vcon: Vcon | undefined
  try {
    const parsed = parseVcon(stored.json, { mode: 'lenient' })
    vcon = parsed.form === 'unsigned' ? parsed.vcon : undefined
  } catch (error) {
    count('failed')
    return failed(chain, job.step, `the stored vCon cannot be read: ${message(error)}`, true)
  }
  if (vcon === undefined) {
    // Signed and encrypted vCons are opaque here: steps read and change vCon content, which would break the
    // signature or need the key. They go through the chain untouched, to its egress lists.
    log.info('signed or encrypted vCon: steps skipped')
    const egress = await pushEgress(chain, job, deps)
    if (egress !== undefined) {
      count('failed')
      return egress
    }
    count('opaque')
    return { kind: 'done' }
  }

  let currentJson = stored.json
  const storedAt = Date.parse(stored.createdAt)
  // Index facts date a vCon without created_at by its ingest time, not by this step's time.
  const createdAt = Number.isNaN(storedAt) ? deps.now : () => storedAt
  for (let i = Math.max(0, job.step); i < chain.steps.length; i++) {
    const step = chain.steps[i]
    const stepConfig = chain.config.steps[i]
    if (step === undefined || stepConfig === undefined) break
    const stepLog = log.child({ step: step.name })
    const { result } = await runStep(step, vcon, {
      chain: chain.config.name,
      attempt: job.attempt,
      timeoutMs: stepConfig.timeoutMs,
      log: stepLog,
      metrics: deps.metrics,
      now: deps.now,
      signal: deps.signal,
    })
    if (result.kind === 'fail') {
      stepLog.warn('step failed', { error: result.reason, permanent: result.permanent === true })
      count('failed')
      return failed(chain, i, result.reason, result.permanent === true)
    }
    if (result.kind === 'continue' && result.changed) {
      if (result.vcon.uuid !== job.vconUuid) {
        count('failed')
        return failed(
          chain,
          i,
          `step "${step.name}" changed the vCon's uuid, which steps may not do`,
          true,
        )
      }
      try {
        currentJson = serializeVcon(result.vcon)
        await deps.store.put({
          uuid: job.vconUuid,
          json: currentJson,
          vcon: result.vcon,
          index: deriveIndex(result.vcon, createdAt),
        })
      } catch (error) {
        count('failed')
        // The step's work is lost with the write; the retry runs the step again (steps are idempotent).
        return failed(
          chain,
          i,
          `cannot store the vCon after step "${step.name}": ${message(error)}`,
          false,
        )
      }
      vcon = result.vcon
      const reason = ENHANCE_REASONS[step.type]
      deps.lifecycle?.record({
        event: 'vcon_enhanced',
        vconUuid: job.vconUuid,
        vcon: currentJson,
        ...(reason === undefined ? {} : { reason }),
      })
    }
    if (result.kind === 'continue' && step.type === 'webhook') {
      deps.lifecycle?.record({
        event: 'vcon_sent',
        vconUuid: job.vconUuid,
        vcon: currentJson,
        reason: 'webhook',
      })
    }
    if (result.forward !== undefined && result.forward.length > 0) {
      try {
        await deps.queue.enqueue(forwardJobs(deps.chains, job.vconUuid, result.forward))
      } catch (error) {
        count('failed')
        return failed(
          chain,
          i,
          `cannot route the vCon to ${result.forward.join(', ')}: ${message(error)}`,
          false,
        )
      }
    }
    if (result.kind === 'stop') {
      stepLog.debug('chain stopped', { reason: result.reason })
      count('stopped')
      return { kind: 'done' }
    }
  }

  const egress = await pushEgress(chain, job, deps)
  if (egress !== undefined) {
    count('failed')
    return egress
  }
  count('done')
  return { kind: 'done' }
}

/** Appends the uuid to the chain's egress lists; a failure resumes after the last step (egress only). */
async function pushEgress(chain: Chain, job: Job, deps: RunJobDeps): Promise<Failed | undefined> {
  try {
    for (const list of new Set(chain.config.egress))
      await deps.queue.pushEgress(list, [job.vconUuid])
    return undefined
  } catch (error) {
    return failed(
      chain,
      chain.steps.length,
      `cannot push the vCon to the egress lists: ${message(error)}`,
      false,
    )
  }
}
