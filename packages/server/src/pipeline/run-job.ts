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
import type { Job, JobOutcome, Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import { decideStep, type GateDecision, type GateFacts } from '../privacy/consent-gate.js'
import { deriveIndex } from '../store/derive-index.js'
import type { ChainSet } from './chain-set.js'
import { failed, forwardJobs, message, pushEgress, storeDerived } from './job-effects.js'
import {
  loadGateFacts,
  opaqueRestriction,
  type PipelinePrivacy,
  recordSkip,
} from './privacy-gate.js'
import { runStep } from './run-step.js'

/** What the runner needs; the application context (app/context.ts) has all of it. */
export interface RunJobDeps {
  readonly store: Pick<Store, 'get' | 'put' | 'insertMany'>
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
  /**
   * Consent enforcement: before each step, the vCon's restrictions, withdrawals and lawful basis are checked
   * against the step's purposes (privacy/consent-gate.ts). Absent only in contexts built by hand for tests.
   */
  readonly privacy?: PipelinePrivacy
}

/** The egress push counts as a step that shares the vCon (lawful-basis-00 purpose "sharing"). */
const EGRESS_STEP = '(egress)'
const EGRESS_PURPOSES: readonly string[] = ['sharing']

/** How many times one job runs a step again because the vCon changed under it, before it is retried later. */
const MAX_CONFLICTS = 3

/** Lifecycle reason tokens by step type (only code-defined types, never a configured name). */
const ENHANCE_REASONS: Readonly<Record<string, string>> = {
  analyse: 'analysis',
  transcribe: 'transcription',
  redact: 'redaction',
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
  const privacy = deps.privacy
  /**
   * Consent enforcement for one step (index `at`, `step` its name): 'run', or 'skip' after recording why, or the
   * job's outcome: done when processing is restricted (nothing more happens to the vCon), a retryable failure
   * when the rules cannot be read or the skip cannot be recorded.
   */
  const gate = async (
    decide: (p: PipelinePrivacy) => Promise<GateDecision>,
    step: string,
    at: number,
  ): Promise<'run' | 'skip' | JobOutcome> => {
    if (privacy === undefined) return 'run'
    try {
      const decision = await decide(privacy)
      if (decision.run) return 'run'
      await recordSkip(privacy, decision, {
        vconUuid: job.vconUuid,
        chain: job.chain,
        step,
        metrics: deps.metrics,
        log,
        now: deps.now,
      })
      if (decision.code !== 'restricted') return 'skip'
    } catch (error) {
      count('failed')
      return failed(chain, at, `cannot apply the privacy rules: ${message(error)}`, false)
    }
    count('restricted')
    return { kind: 'done' }
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
    // Its parties cannot be read here, but a restriction of the vCon itself still holds: it is not handed on.
    const verdict = await gate((p) => opaqueRestriction(p, job.vconUuid), EGRESS_STEP, job.step)
    if (verdict !== 'run') return verdict === 'skip' ? { kind: 'done' } : verdict
    const egress = await pushEgress(chain, job, deps)
    if (egress !== undefined) {
      count('failed')
      return egress
    }
    count('opaque')
    return { kind: 'done' }
  }

  let facts: GateFacts | undefined
  try {
    if (privacy !== undefined)
      facts = await loadGateFacts(privacy.state, job.vconUuid, vcon, deps.now())
  } catch (error) {
    count('failed')
    return failed(chain, job.step, `cannot read the privacy rules: ${message(error)}`, false)
  }

  let currentJson = stored.json
  // The version this job read: its writes replace only that one (compare-and-set), never a newer one.
  let version = stored.version
  let conflicts = 0
  const storedAt = Date.parse(stored.createdAt)
  // Index facts date a vCon without created_at by its ingest time, not by this step's time.
  const createdAt = Number.isNaN(storedAt) ? deps.now : () => storedAt
  for (let i = Math.max(0, job.step); i < chain.steps.length; i++) {
    const step = chain.steps[i]
    const stepConfig = chain.config.steps[i]
    if (step === undefined || stepConfig === undefined) break
    const stepLog = log.child({ step: step.name })
    const stepFacts = facts
    if (stepFacts !== undefined) {
      const purposes = chain.purposes[i] ?? []
      const verdict = await gate(
        async (p) => decideStep(stepFacts, purposes, p.policy, deps.now()),
        step.name,
        i,
      )
      if (verdict === 'skip') continue
      if (verdict !== 'run') return verdict
    }
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
        currentJson = result.stored ?? serializeVcon(result.vcon)
        const written = await deps.store.put(
          {
            uuid: job.vconUuid,
            json: currentJson,
            vcon: result.vcon,
            index: deriveIndex(result.vcon, createdAt),
          },
          { expectedVersion: version },
        )
        if (written === 'missing') {
          // Erased while the step ran: the step's work is dropped, never stored again.
          stepLog.info('vCon erased while it was processed; result dropped')
          count('missing')
          return { kind: 'done' }
        }
        if (written === 'conflict') {
          // Another writer (a chain fed by the same list, another worker) stored a newer version since this job
          // read it: the step runs again on that version instead of overwriting its change.
          if (conflicts >= MAX_CONFLICTS) {
            count('failed')
            return failed(chain, i, `the vCon kept changing while step "${step.name}" ran`, false)
          }
          conflicts += 1
          const fresh = await deps.store.get(job.vconUuid)
          const parsed =
            fresh === undefined ? undefined : parseVcon(fresh.json, { mode: 'lenient' })
          if (fresh === undefined || parsed === undefined || parsed.form !== 'unsigned') {
            count('failed')
            return failed(chain, i, 'the vCon was erased or replaced while the step ran', false)
          }
          stepLog.debug('vCon changed meanwhile; step runs again', { version: fresh.version })
          vcon = parsed.vcon
          currentJson = fresh.json
          version = fresh.version
          if (privacy !== undefined)
            facts = await loadGateFacts(privacy.state, job.vconUuid, vcon, deps.now())
          i -= 1
          continue
        }
        version += 1
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
      if (privacy !== undefined) {
        try {
          // The step may have added parties: the next steps are checked against them too.
          facts = await loadGateFacts(privacy.state, job.vconUuid, vcon, deps.now())
        } catch (error) {
          count('failed')
          return failed(chain, i + 1, `cannot read the privacy rules: ${message(error)}`, false)
        }
      }
      const reason = ENHANCE_REASONS[step.type]
      deps.lifecycle?.record({
        event: 'vcon_enhanced',
        vconUuid: job.vconUuid,
        vcon: currentJson,
        ...(reason === undefined ? {} : { reason }),
      })
    }
    if (result.kind === 'continue' && result.derived !== undefined) {
      try {
        await storeDerived(result.derived, deps, createdAt)
      } catch (error) {
        count('failed')
        return failed(
          chain,
          i,
          `cannot store the vCon made by step "${step.name}": ${message(error)}`,
          false,
        )
      }
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

  const egressFacts = facts
  if (egressFacts !== undefined && chain.config.egress.length > 0) {
    const verdict = await gate(
      async (p) => decideStep(egressFacts, EGRESS_PURPOSES, p.policy, deps.now()),
      EGRESS_STEP,
      chain.steps.length,
    )
    if (verdict === 'skip') {
      count('done')
      return { kind: 'done' }
    }
    if (verdict !== 'run') return verdict
  }
  const egress = await pushEgress(chain, job, deps)
  if (egress !== undefined) {
    count('failed')
    return egress
  }
  count('done')
  return { kind: 'done' }
}
