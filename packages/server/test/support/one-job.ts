/**
 * @module A runner set up for one vCon: a memory store holding it, a memory queue, the given chains built with
 * the built-in steps, and a job for step 0 of a chain (step tests that go through runJob).
 */
import type { Vcon } from '@vconkit/vcon'
import type { ChainConfig } from '../../src/config/server-config.js'
import { buildChains } from '../../src/pipeline/build-chains.js'
import type { RunJobDeps } from '../../src/pipeline/run-job.js'
import { builtinStepRegistry } from '../../src/pipeline/step-registry.js'
import type { Job } from '../../src/ports/queue.js'
import { deriveIndex } from '../../src/store/derive-index.js'
import { createCollectingLogger } from './collecting-logger.js'
import { createMemoryQueue, type MemoryQueue } from './memory-queue.js'
import { createMemoryStore, type MemoryStore } from './memory-store.js'
import { FIXED_NOW } from './pipeline-vcons.js'
import { createRecordingMetrics } from './recording-metrics.js'

export interface OneJob {
  readonly store: MemoryStore
  readonly queue: MemoryQueue
  readonly deps: RunJobDeps
  /** The job for step 0 of `chain` on ingress list `list`. */
  job(chain: string, list?: string): Job
}

export async function oneJob(
  vcon: Vcon,
  chains: readonly ChainConfig[],
  env: Readonly<Record<string, string>> = {},
): Promise<OneJob> {
  const store = createMemoryStore(() => FIXED_NOW)
  const queue = createMemoryQueue()
  const index = deriveIndex(vcon, () => FIXED_NOW)
  await store.put({ uuid: vcon.uuid, json: JSON.stringify(vcon), vcon, index })
  const deps: RunJobDeps = {
    store,
    queue,
    chains: buildChains(chains, builtinStepRegistry({ env })),
    log: createCollectingLogger(),
    metrics: createRecordingMetrics(),
    now: () => FIXED_NOW,
  }
  const job = (chain: string, list = 'in'): Job => ({
    id: 'j',
    vconUuid: vcon.uuid,
    chain,
    step: 0,
    list,
    attempt: 1,
    enqueuedAt: FIXED_NOW,
  })
  return { store, queue, deps, job }
}
