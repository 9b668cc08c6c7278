/**
 * @module Runs one step with its time limit and records its duration and outcome. The step gets a signal that
 * aborts at the time limit or when the worker shuts down; a step that ignores it is abandoned at that moment
 * (its result, if it ever comes, is dropped), so a hung vendor cannot hold a job past its timeout. A step that
 * throws, against the Step contract, fails retryably instead of taking the worker down.
 */

import type { Vcon } from '@vconkit/vcon'
import type { Logger } from '../observability/logger.js'
import { PIPELINE_STEP_OUTCOMES, PIPELINE_STEP_SECONDS } from '../observability/metric-names.js'
import type { Metrics } from '../observability/metrics.js'
import type { Step, StepResult } from './step.js'

/** How a step ended, as counted in the outcome metric. */
export type StepOutcome = 'continue' | 'stop' | 'fail' | 'timeout' | 'error'

/** What the runner passes for one step. */
export interface RunStepInput {
  readonly chain: string
  readonly attempt: number
  readonly timeoutMs: number
  readonly log: Logger
  readonly metrics: Metrics
  readonly now: () => number
  /** The worker's shutdown signal, if any. */
  readonly signal: AbortSignal | undefined
}

/** Runs `step` on `vcon`; never throws. */
export async function runStep(
  step: Step,
  vcon: Vcon,
  input: RunStepInput,
): Promise<{ readonly result: StepResult; readonly outcome: StepOutcome }> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new Error(`step "${step.name}" timed out after ${input.timeoutMs} ms`))
  }, input.timeoutMs)
  const onShutdown = (): void => controller.abort(input.signal?.reason)
  if (input.signal?.aborted === true) onShutdown()
  else input.signal?.addEventListener('abort', onShutdown, { once: true })
  const abandoned = new Promise<StepResult>((resolve) => {
    const settle = (): void =>
      resolve({
        kind: 'fail',
        reason: timedOut
          ? `step "${step.name}" did not finish within its timeout of ${input.timeoutMs} ms`
          : `step "${step.name}" was interrupted: the worker is shutting down`,
      })
    if (controller.signal.aborted) settle()
    else controller.signal.addEventListener('abort', settle, { once: true })
  })
  const started = performance.now()
  let result: StepResult
  let outcome: StepOutcome
  try {
    result = await Promise.race([
      step.run(vcon, {
        chain: input.chain,
        step: step.name,
        attempt: input.attempt,
        log: input.log,
        signal: controller.signal,
        now: input.now,
      }),
      abandoned,
    ])
    outcome = timedOut ? 'timeout' : result.kind
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    result = { kind: 'fail', reason: `step "${step.name}" threw: ${why}` }
    outcome = timedOut ? 'timeout' : 'error'
  } finally {
    clearTimeout(timer)
    input.signal?.removeEventListener('abort', onShutdown)
  }
  // A timed-out step fails retryably whatever it answered late: the time limit is the operator's rule.
  if (timedOut && result.kind !== 'fail') {
    result = {
      kind: 'fail',
      reason: `step "${step.name}" did not finish within its timeout of ${input.timeoutMs} ms`,
    }
  }
  if (timedOut && result.kind === 'fail' && result.permanent === true) {
    result = { kind: 'fail', reason: result.reason }
  }
  const labels = { chain: input.chain, step: step.name }
  input.metrics.observe(PIPELINE_STEP_SECONDS, labels, (performance.now() - started) / 1000)
  input.metrics.inc(PIPELINE_STEP_OUTCOMES, { ...labels, outcome })
  return { result, outcome }
}
