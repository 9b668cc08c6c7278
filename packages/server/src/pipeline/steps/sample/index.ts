/**
 * @module The `sample` step: keeps a fixed fraction of vCons and stops the chain for the rest. The decision
 * hashes the uuid (SHA-256 with an optional salt), so a redelivered vCon gets the same decision and the kept
 * set does not depend on timing or on which worker runs it.
 */
import { createHash } from 'node:crypto'
import { checkKeys, optionError, optNumber, optString } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

/** Options of the sample step. */
export interface SampleStepOptions {
  /** The fraction kept, from 0 (none) to 1 (all). */
  readonly fraction: number
  /** Mixed into the hash, so that two sample steps can keep independent subsets (default ""). */
  readonly salt: string
}

const KEYS = ['fraction', 'salt'] as const

/** Reads and checks the options. */
export function readSampleOptions(options: Readonly<Record<string, unknown>>): SampleStepOptions {
  checkKeys('sample', options, KEYS)
  const fraction = optNumber(options, 'fraction', { min: 0, max: 1 })
  if (fraction === undefined) {
    throw optionError('fraction', 'is required: the fraction of vCons kept, between 0 and 1')
  }
  return { fraction, salt: optString(options, 'salt', { allowEmpty: true }) ?? '' }
}

/** Where a uuid falls in [0, 1): the first 48 bits of SHA-256(salt NUL uuid), which is uniform. */
export function samplePoint(uuid: string, salt: string): number {
  const digest = createHash('sha256').update(`${salt}\u0000${uuid.toLowerCase()}`).digest()
  return digest.readUIntBE(0, 6) / 2 ** 48
}

export const sampleStepFactory: StepFactory = {
  type: 'sample',
  create(name, raw) {
    const options = readSampleOptions(raw)
    return {
      name,
      type: 'sample',
      async run(vcon) {
        return samplePoint(vcon.uuid, options.salt) < options.fraction
          ? { kind: 'continue', vcon, changed: false }
          : { kind: 'stop', reason: `not in the ${options.fraction} sample of ${name}` }
      },
    }
  },
}
