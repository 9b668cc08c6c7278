/**
 * @module The lawful-basis records of a vCon as consent enforcement needs them: each with its integrity
 * (lawful-basis-00 §6.1 content_hash), its expiry as an instant, its scope (party) and whether it may grant at
 * all. Built on `readLawfulBasis` (notes §e.1, §e.2), plus what that tolerant reader leaves out: a
 * lawful_basis attachment it cannot read still counts, as a record that cannot grant but whose readable
 * denials are honoured, so that a damaged record never turns into "no lawful basis".
 */

import { isAttachmentOf, jsonObjectBody, listOf } from '../extensions/entry-access.js'
import { checkLawfulBasisHash } from '../extensions/lawful-basis-hash.js'
import { LAWFUL_BASIS, type PurposeGrant } from '../extensions/lawful-basis-model.js'
import { readLawfulBasis } from '../extensions/read-lawful-basis.js'
import { isObject, isUnsignedInt } from '../validate/primitives.js'
import { instantOf } from './instant.js'

/** Who a record covers: the whole vCon, one party, or an unreadable `party` (covers everyone for denials only). */
export type RecordScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'party'; readonly party: number }
  | { readonly kind: 'malformed' }

/** The outcome of the content_hash check of one record. */
export type RecordIntegrity = 'unsealed' | 'match' | 'mismatch' | 'unverifiable'

/** One lawful-basis record, ready for a permission decision. */
export interface ConsentRecord {
  /** Index of the attachment in `attachments`. */
  readonly attachment: number
  readonly scope: RecordScope
  readonly integrity: RecordIntegrity
  /** Expiry in ms since the epoch; null for indefinite; undefined when missing or malformed. */
  readonly expiresAt: number | null | undefined
  /** Well-formed grants (for an unreadable record: only its denials). */
  readonly grants: readonly PurposeGrant[]
  /** False for a lawful_basis attachment whose body could not be read as a record: it may have held grants. */
  readonly readable: boolean
  /**
   * Why the record cannot grant anything, in words for a reason sentence; undefined when it can. Its denials
   * count either way (most restrictive wins, lawful-basis-00 §6.4).
   */
  readonly unusable: string | undefined
}

/** The record covers the query's party (`undefined` = the vCon as a whole, which every record concerns). */
export function appliesTo(record: ConsentRecord, party: number | undefined): boolean {
  if (party === undefined) return true
  const { scope } = record
  // A malformed party could have meant anyone: its denials must reach every party (fail closed).
  return scope.kind !== 'party' || scope.party === party
}

/** The scope from the attachment's `party` and, for consent-00 (which may hold it in its body), the body's. */
function scopeOf(
  attachment: Readonly<Record<string, unknown>>,
  recordParty: number | undefined,
  consent00: boolean,
): RecordScope {
  const inBody = consent00 ? jsonObjectBody(attachment)?.party : undefined
  const written = [attachment.party, inBody].filter((p) => p !== undefined)
  if (written.some((p) => !isUnsignedInt(p))) return { kind: 'malformed' }
  if (recordParty !== undefined) return { kind: 'party', party: recordParty }
  return written.length === 0 ? { kind: 'all' } : { kind: 'malformed' }
}

/** Checks the body's content_hash, when it carries one (lawful-basis-00 §6.1). */
function integrityOf(body: Readonly<Record<string, unknown>> | undefined): RecordIntegrity {
  if (body === undefined || body.content_hash === undefined) return 'unsealed'
  const hash = body.content_hash
  if (
    !isObject(hash) ||
    typeof hash.algorithm !== 'string' ||
    typeof hash.canonicalization !== 'string' ||
    typeof hash.value !== 'string'
  ) {
    return 'unverifiable'
  }
  const check = checkLawfulBasisHash(body, {
    algorithm: hash.algorithm,
    canonicalization: hash.canonicalization,
    value: hash.value,
  })
  if (check.kind === 'match') return 'match'
  return check.kind === 'mismatch' ? 'mismatch' : 'unverifiable'
}

/** The denials of a lawful_basis body that `readLawfulBasis` could not read as a whole. */
function denialsOf(body: Readonly<Record<string, unknown>> | undefined): PurposeGrant[] {
  const grants = body?.purpose_grants
  if (!Array.isArray(grants)) return []
  return grants
    .filter(
      (g): g is Record<string, unknown> =>
        isObject(g) && typeof g.purpose === 'string' && g.granted === false,
    )
    .map((g) => ({
      purpose: g.purpose as string,
      granted: false,
      granted_at: typeof g.granted_at === 'string' ? g.granted_at : undefined,
      conditions: [],
    }))
}

function unusableReason(
  scope: RecordScope,
  integrity: RecordIntegrity,
  expiresAt: number | null | undefined,
): string | undefined {
  if (integrity === 'unverifiable') return 'its content_hash cannot be verified'
  if (expiresAt === undefined) return 'its expiration is missing or malformed'
  if (scope.kind === 'malformed') return 'its party is not a party index'
  return undefined
}

/**
 * Every lawful_basis and consent-00 attachment of the vCon as a record, in attachment order. Never throws: a
 * vCon of any shape gives the records that can be read.
 */
export function consentRecords(vcon: unknown): readonly ConsentRecord[] {
  const attachments = listOf(vcon, 'attachments')
  const read = new Map(readLawfulBasis(vcon).map((r) => [r.attachment, r]))
  const out: ConsentRecord[] = []
  attachments.forEach((attachment, i) => {
    if (!isObject(attachment)) return
    const record = read.get(i)
    if (record === undefined) {
      // Only lawful_basis attachments can be unreadable: readLawfulBasis maps every object consent-00 one.
      if (!isAttachmentOf(attachment, LAWFUL_BASIS)) return
      const body = jsonObjectBody(attachment)
      out.push({
        attachment: i,
        scope: scopeOf(
          attachment,
          isUnsignedInt(attachment.party) ? attachment.party : undefined,
          false,
        ),
        integrity: integrityOf(body),
        expiresAt: undefined,
        grants: denialsOf(body),
        readable: false,
        unusable: 'its body is not a readable lawful basis record',
      })
      return
    }
    const body = record.source === 'lawful_basis' ? jsonObjectBody(attachment) : undefined
    const scope = scopeOf(attachment, record.party, record.source === 'consent')
    const integrity = integrityOf(body)
    const expiresAt =
      record.expiration === null
        ? null
        : record.expiration === undefined
          ? undefined
          : instantOf(record.expiration)
    out.push({
      attachment: i,
      scope,
      integrity,
      expiresAt,
      grants: record.grants,
      readable: true,
      unusable: unusableReason(scope, integrity, expiresAt),
    })
  })
  return out
}
