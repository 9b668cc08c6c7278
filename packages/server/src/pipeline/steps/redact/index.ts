/**
 * @module The `redact` step: makes a redacted version of the vCon with the library's redactVcon and a configured
 * policy (which party fields, which kinds of PII in text, which dialogs, analyses and attachments go), stores it
 * as a vCon of its own whose `redacted` object points at the original (core draft §4.1.8), and sends it to the
 * ingress lists `to` (a chain that shares it, for example). The original goes on through this chain unchanged:
 * it stays access-controlled, the redacted version is the one to hand out.
 *
 * Idempotent: the redacted version's uuid is derived from the original's, the chain and the step, so a retry
 * stores nothing new (the store answers "exists") and the version is never duplicated.
 */
import { createHash } from 'node:crypto'
import {
  isVconError,
  parseRedactionPolicy,
  type RedactionPolicy,
  redactVcon,
  serializeVcon,
} from '@vconkit/vcon'
import { checkKeys, optionError } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

const KEYS = ['policy', 'to'] as const

export interface RedactStepOptions {
  readonly policy: RedactionPolicy
  /** Ingress lists the redacted version is sent to (none: it is only stored). */
  readonly to: readonly string[]
}

export function readRedactOptions(options: Readonly<Record<string, unknown>>): RedactStepOptions {
  checkKeys('redact', options, KEYS)
  let policy: RedactionPolicy
  try {
    policy = parseRedactionPolicy(options.policy)
  } catch (error) {
    const why = isVconError(error) ? error.message : String(error)
    throw optionError('policy', `is not a redaction policy: ${why}`)
  }
  const raw = options.to ?? []
  const to = typeof raw === 'string' ? [raw] : raw
  if (!Array.isArray(to) || !to.every((l) => typeof l === 'string' && l !== '')) {
    throw optionError('to', 'must be an ingress list name or a list of them')
  }
  return { policy, to: [...new Set(to as string[])] }
}

/** A UUIDv8 (RFC 9562 §5.8) derived from the original, the chain and the step: the same input, the same uuid. */
export function derivedUuid(original: string, chain: string, step: string): string {
  const bytes = createHash('sha256')
    .update(`${original}\n${chain}\n${step}`)
    .digest()
    .subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const redactStepFactory: StepFactory = {
  type: 'redact',
  create(name, raw) {
    const options = readRedactOptions(raw)
    return {
      name,
      type: 'redact',
      routesTo: options.to,
      async run(vcon, ctx) {
        try {
          const { vcon: redacted } = redactVcon(vcon, options.policy, {
            newUuid: derivedUuid(vcon.uuid, ctx.chain, name),
            now: () => new Date(ctx.now()),
          })
          return {
            kind: 'continue',
            vcon,
            changed: false,
            derived: { vcon: redacted, json: serializeVcon(redacted), to: options.to },
          }
        } catch (error) {
          // A vCon the policy cannot apply to (an index it does not have, an unknown critical extension): retrying
          // does not change that.
          const why = isVconError(error) ? error.message : String(error)
          return { kind: 'fail', reason: `cannot redact the vCon: ${why}`, permanent: true }
        }
      },
    }
  },
}
