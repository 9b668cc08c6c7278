/**
 * @module The configuration schema of consent enforcement and retention: the `privacy:` section, a step's
 * `purposes:` and a chain's `retention:` (config-schema.ts places them).
 */
import type { ArrayNode, ObjectNode, StringNode } from './schema-node.js'

const PURPOSE_PATTERN = '^[a-z][a-z0-9_-]*$'
const PURPOSE_HINT =
  "a purpose token: lowercase letters, digits, '_' or '-', starting with a letter"

const purposeName = (description: string): StringNode => ({
  kind: 'string',
  description,
  pattern: PURPOSE_PATTERN,
  patternHint: PURPOSE_HINT,
  repair: (value) => value.trim().toLowerCase().replace(/\s+/g, '_'),
  example: 'transcription',
})

/** A list of purposes (a step's `purposes:`, `privacy.allowed_without_basis`). */
export function purposeList(description: string, withDefault?: readonly string[]): ArrayNode {
  return {
    kind: 'array',
    description,
    items: purposeName('A processing purpose of the vocabulary (standard or `privacy.purposes`).'),
    ...(withDefault === undefined ? {} : { default: withDefault }),
  }
}

/** A duration such as "30d": a whole number and one of s, m, h, d, w (no months or years: they vary in length). */
export const DURATION_PATTERN = '^[1-9][0-9]*(s|m|h|d|w)$'

export function durationNode(description: string, example: string): StringNode {
  return {
    kind: 'string',
    description,
    pattern: DURATION_PATTERN,
    patternHint: 'a duration: a whole number and a unit s, m, h, d or w, e.g. 30d or 52w',
    repair: (value) =>
      value
        .replace(/\s+/g, '')
        .replace(/days?$/, 'd')
        .replace(/weeks?$/, 'w'),
    example,
  }
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** "30d" → 2,592,000,000 ms. The schema check has already accepted the text. */
export function durationMs(text: string): number {
  const unit = UNIT_MS[text.slice(-1)] ?? Number.NaN
  return Number.parseInt(text.slice(0, -1), 10) * unit
}

export const privacySchema: ObjectNode = {
  kind: 'object',
  description:
    'Consent enforcement (lawful_basis purpose grants, restrictions, withdrawals) and retention of stored vCons.',
  fields: {
    no_lawful_basis: {
      kind: 'enum',
      values: ['allow', 'deny'],
      default: 'allow',
      description:
        'What a vCon recording no lawful basis may be processed for: allow (the basis is established outside the vCon) or deny (only allowed_without_basis).',
    },
    allowed_without_basis: purposeList(
      'With no_lawful_basis: deny, the purposes still allowed for a vCon that records no lawful basis.',
      [],
    ),
    purposes: {
      kind: 'array',
      default: [],
      description:
        'Purposes added to the standard vocabulary (lawful-basis draft purposes and aipref labels).',
      items: {
        kind: 'object',
        description: 'One added purpose.',
        required: ['name'],
        fields: {
          name: purposeName('The purpose token.'),
          description: { kind: 'string', description: 'What processing for this purpose does.' },
          broader: purposeList(
            'Broader purposes this one falls under: withdrawing or denying one of them denies this one too.',
            [],
          ),
        },
      },
    },
    retention: durationNode(
      'Maximum age of any stored vCon (by created_at); older ones are deleted by the retention sweeper and recorded as vcon_expired. Absent: kept until deleted.',
      '365d',
    ),
    sweep_interval_ms: {
      kind: 'integer',
      unit: 'ms',
      min: 1_000,
      max: 86_400_000,
      default: 3_600_000,
      description: 'How often the retention and consent-expiry sweepers run.',
    },
  },
}
