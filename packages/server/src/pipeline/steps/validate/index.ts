/**
 * @module The `validate` step: upgrades a vCon to the 0.4.0 shape (notes §d.2) and validates it in strict or
 * lenient mode. An invalid vCon fails permanently: retrying cannot make it valid. Idempotent: upgrading an
 * upgraded vCon changes nothing, so a second run leaves the vCon as it is.
 */
import { type Issue, upgradeVcon, type Vcon, validateVcon } from '@vconkit/vcon'
import { checkKeys, optBoolean, optEnum } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

/** Options of the validate step. */
export interface ValidateStepOptions {
  /** `strict` enforces every MUST of the draft; `lenient` (default) accepts what real files break. */
  readonly mode: 'strict' | 'lenient'
  /** Upgrade legacy shapes before validating, and store the upgraded vCon (default true). */
  readonly upgrade: boolean
}

const KEYS = ['mode', 'upgrade'] as const

/** Reads and checks the options. */
export function readValidateOptions(
  options: Readonly<Record<string, unknown>>,
): ValidateStepOptions {
  checkKeys('validate', options, KEYS)
  return {
    mode: optEnum(options, 'mode', ['strict', 'lenient'], 'lenient'),
    upgrade: optBoolean(options, 'upgrade', true),
  }
}

/** The errors as one line for the dead letter: the first few, with pointers. */
function describeErrors(issues: readonly Issue[]): string {
  const errors = issues.filter((i) => i.severity === 'error')
  const shown = errors.slice(0, 5).map((i) => `${i.pointer || '/'}: ${i.message}`)
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : ''
  return `${errors.length} error(s): ${shown.join('; ')}${more}`
}

export const validateStepFactory: StepFactory = {
  type: 'validate',
  create(name, raw) {
    const options = readValidateOptions(raw)
    return {
      name,
      type: 'validate',
      async run(vcon, ctx) {
        let current: Vcon = vcon
        let changed = false
        if (options.upgrade) {
          const upgraded = upgradeVcon(vcon)
          // upgradeVcon reports one issue per repair and none for a vCon already in the 0.4.0 shape.
          if (upgraded.issues.length > 0) {
            current = upgraded.vcon as unknown as Vcon
            changed = true
          }
        }
        const result = validateVcon(current, { mode: options.mode })
        if (!result.valid) {
          return {
            kind: 'fail',
            permanent: true,
            reason: `the vCon is not valid in ${options.mode} mode: ${describeErrors(result.issues)}`,
          }
        }
        if (result.issues.length > 0) {
          ctx.log.debug('vCon valid with warnings', { warnings: result.issues.length })
        }
        return { kind: 'continue', vcon: current, changed }
      },
    }
  },
}
