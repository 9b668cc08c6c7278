/**
 * @module Test support for consent enforcement: vCons around lawful-basis records, and a terse way to ask and
 * check a permission decision.
 */
import assert from 'node:assert/strict'
import {
  isPermitted,
  type PermissionCode,
  type PermissionQuery,
} from '../../src/consent/is-permitted.js'
import {
  type GrantInput,
  lawfulBasisAttachment,
} from '../../src/consent/lawful-basis-attachment.js'
import type { LawfulBasisType } from '../../src/extensions/lawful-basis-model.js'
import type { Attachment } from '../../src/model/vcon.js'

export const T = new Date('2025-06-01T12:00:00Z')
export const MIN = 60_000
export const HOUR = 60 * MIN
export const iso = (ms: number): string => new Date(ms).toISOString()

/** A vCon with three parties (with personal data, to check reasons never echo it) and one dialog. */
export function vconWith(...attachments: unknown[]): Record<string, unknown> {
  return {
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    parties: [
      { tel: '+12025550123', name: 'Alice Okafor' },
      { mailto: 'bob@example.com', name: 'Bob Lindqvist' },
      { name: 'Carol Moreau' },
    ],
    dialog: [
      { type: 'text', start: iso(T.getTime()), parties: [0, 1], body: 'hi', encoding: 'none' },
    ],
    attachments,
  }
}

export interface RecordSpec {
  readonly party?: number
  readonly basis?: LawfulBasisType
  readonly expiration?: Date | string | null
  readonly at?: Date
}

/** A sealed lawful_basis attachment: by default consent, indefinite, recorded an hour before T. */
export function record(spec: RecordSpec, ...grants: GrantInput[]): Attachment {
  return lawfulBasisAttachment({
    basis: spec.basis ?? 'consent',
    ...(spec.party === undefined ? {} : { party: spec.party }),
    dialog: 0,
    expiration: spec.expiration === undefined ? null : spec.expiration,
    at: spec.at ?? new Date(T.getTime() - HOUR),
    grants,
  })
}

export const allow = (purpose: string, extra: Partial<GrantInput> = {}): GrantInput => ({
  purpose,
  granted: true,
  ...extra,
})
export const deny = (purpose: string, extra: Partial<GrantInput> = {}): GrantInput => ({
  purpose,
  granted: false,
  ...extra,
})

/** An unsealed lawful_basis attachment with the given body (for shapes lawfulBasisAttachment refuses). */
export function raw(body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'lawful_basis', purpose: 'lawful_basis', encoding: 'json', body, ...extra }
}

export function ask(vcon: unknown, purpose: string, party?: number, at: Date | number = T) {
  const query: PermissionQuery = party === undefined ? { purpose, at } : { purpose, party, at }
  return isPermitted(vcon, query)
}

export function expect(
  vcon: unknown,
  query: { purpose: string; party?: number; at?: Date | number },
  code: PermissionCode,
  attachments?: readonly number[],
): void {
  const d = ask(vcon, query.purpose, query.party, query.at ?? T)
  assert.equal(d.code, code, d.reason)
  assert.equal(d.permitted, code === 'granted')
  if (attachments !== undefined) assert.deepEqual(d.attachments, attachments)
}
