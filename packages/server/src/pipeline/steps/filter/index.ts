/**
 * @module The `filter` step: lets the vCon go on only when a condition over it holds (condition/condition.ts);
 * otherwise the chain stops here for it, successfully. Pure, so idempotent.
 */
import { compileCondition } from '../../condition/condition.js'
import { checkKeys, optionError, optString } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

/** Options of the filter step. */
export interface FilterStepOptions {
  /** The condition that must hold for the vCon to go on. */
  readonly when: unknown
  /** Why the vCon stopped, for logs (default "filtered out by <step name>"). */
  readonly reason?: string
}

const KEYS = ['when', 'reason'] as const

/** Reads and checks the options. */
export function readFilterOptions(options: Readonly<Record<string, unknown>>): FilterStepOptions {
  checkKeys('filter', options, KEYS)
  if (options.when === undefined)
    throw optionError('when', 'is required: the condition a vCon must meet to go on')
  compileCondition(options.when, 'when')
  const reason = optString(options, 'reason')
  return { when: options.when, ...(reason === undefined ? {} : { reason }) }
}

export const filterStepFactory: StepFactory = {
  type: 'filter',
  create(name, raw) {
    const options = readFilterOptions(raw)
    const holds = compileCondition(options.when, 'when')
    const reason = options.reason ?? `filtered out by ${name}`
    return {
      name,
      type: 'filter',
      async run(vcon) {
        return holds(vcon) ? { kind: 'continue', vcon, changed: false } : { kind: 'stop', reason }
      },
    }
  },
}
