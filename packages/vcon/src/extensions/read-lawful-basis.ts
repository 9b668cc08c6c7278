/**
 * @module One model of a vCon's lawful bases, read from lawful_basis attachments and from legacy consent-00
 * attachments alike (notes §e.1, §e.2), so that consent enforcement has a single input.
 */
import { isDate, isObject, isUnsignedInt, isZonelessDate } from '../validate/primitives.js'
import { readConsentRecord } from './consent-legacy.js'
import { isAttachmentOf, jsonObjectBody, listOf } from './entry-access.js'
import {
  LAWFUL_BASES,
  LAWFUL_BASIS,
  type LawfulBasisRecord,
  type LawfulBasisType,
  type PurposeGrant,
} from './lawful-basis-model.js'

function grantOf(grant: unknown): PurposeGrant | undefined {
  if (!isObject(grant) || typeof grant.purpose !== 'string' || typeof grant.granted !== 'boolean') {
    return undefined
  }
  return {
    purpose: grant.purpose,
    granted: grant.granted,
    granted_at: typeof grant.granted_at === 'string' ? grant.granted_at : undefined,
    conditions: Array.isArray(grant.conditions)
      ? grant.conditions.filter((c): c is string => typeof c === 'string')
      : [],
  }
}

/** Reads one lawful_basis attachment; undefined when it has no object body or no valid `lawful_basis`. */
function readLawfulBasisAttachment(
  attachment: unknown,
  index: number,
): LawfulBasisRecord | undefined {
  if (!isObject(attachment)) return undefined
  const body = jsonObjectBody(attachment)
  if (body === undefined) return undefined
  const basis = body.lawful_basis
  if (typeof basis !== 'string' || !(LAWFUL_BASES as readonly string[]).includes(basis))
    return undefined
  const expiration = body.expiration
  const grants = Array.isArray(body.purpose_grants) ? body.purpose_grants : []
  return {
    attachment: index,
    source: 'lawful_basis',
    basis: basis as LawfulBasisType,
    expiration:
      expiration === null
        ? null
        : typeof expiration === 'string' && (isDate(expiration) || isZonelessDate(expiration))
          ? expiration
          : undefined,
    grants: grants.map(grantOf).filter((g): g is PurposeGrant => g !== undefined),
    party: isUnsignedInt(attachment.party) ? attachment.party : undefined,
    dialog: isUnsignedInt(attachment.dialog) ? attachment.dialog : undefined,
  }
}

/**
 * Every lawful basis the vCon records, in attachment order: lawful_basis attachments (by `type` or `purpose`)
 * and consent-00 attachments mapped onto the same model. Tolerant: it never throws, skips attachments it cannot
 * read as a lawful basis, and leaves malformed grants out. It does not judge validity (use the validator) or
 * expiry (that needs a clock).
 */
export function readLawfulBasis(vcon: unknown): readonly LawfulBasisRecord[] {
  const out: LawfulBasisRecord[] = []
  listOf(vcon, 'attachments').forEach((attachment, i) => {
    const record = isAttachmentOf(attachment, LAWFUL_BASIS)
      ? readLawfulBasisAttachment(attachment, i)
      : readConsentRecord(attachment, i)
    if (record !== undefined) out.push(record)
  })
  return out
}
