/**
 * @module What a pipeline job does besides running steps (run-job.ts): the failure outcome the queue
 * understands, the jobs that forward a vCon to ingress lists, storing a vCon a step derived from the job's one,
 * and the push to the chain's egress lists.
 */
import type { Vcon } from '@vconkit/vcon'
import type { Job, JobInput, JobOutcome } from '../ports/queue.js'
import { deriveIndex } from '../store/derive-index.js'
import type { Chain, ChainSet } from './chain-set.js'
import type { RunJobDeps } from './run-job.js'

export type Failed = Extract<JobOutcome, { kind: 'failed' }>

/** A failed outcome at step `index` (the retry resumes there). */
export function failed(
  chain: Chain | undefined,
  index: number,
  error: string,
  permanent: boolean,
): Failed {
  const step = chain?.steps[index]?.name ?? (chain === undefined ? '(no chain)' : '(end of chain)')
  return { kind: 'failed', step, error, resumeAt: index, ...(permanent ? { permanent: true } : {}) }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The jobs that send a vCon into some ingress lists: step 0 of every chain each list feeds. */
export function forwardJobs(chains: ChainSet, uuid: string, lists: readonly string[]): JobInput[] {
  return lists.flatMap((list) =>
    chains.forIngress(list).map((c) => ({ vconUuid: uuid, chain: c.config.name, step: 0, list })),
  )
}

/**
 * Stores a vCon a step made from the job's one (left as it is when its uuid is stored already: a rerun) and sends
 * it to its lists.
 */
export async function storeDerived(
  derived: { readonly vcon: Vcon; readonly json: string; readonly to: readonly string[] },
  deps: RunJobDeps,
  createdAt: () => number,
): Promise<void> {
  const { vcon, json, to } = derived
  const [outcome] = await deps.store.insertMany([
    { uuid: vcon.uuid, json, vcon, index: deriveIndex(vcon, createdAt) },
  ])
  if (outcome?.status === 'created') {
    deps.lifecycle?.record({
      event: 'vcon_created',
      vconUuid: vcon.uuid,
      vcon: json,
      reason: 'redaction',
    })
  }
  // Sent again on a rerun: the queue is at-least-once and the receiving chains' steps are idempotent.
  if (to.length > 0) await deps.queue.enqueue(forwardJobs(deps.chains, vcon.uuid, to))
}

/** Appends the uuid to the chain's egress lists; a failure resumes after the last step (egress only). */
export async function pushEgress(
  chain: Chain,
  job: Job,
  deps: RunJobDeps,
): Promise<Failed | undefined> {
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
