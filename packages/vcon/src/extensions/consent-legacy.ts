/**
 * @module Read-only support for the consent attachment of draft-howe-vcon-consent-00 (notes §e.2), superseded
 * by lawful_basis. It defines no extension token: it is recognised by attachment `type` or `purpose` "consent".
 * The draft contradicts itself (fields at the attachment's top level or in `body`; consent objects
 * `{purpose, status, timestamp}` or `{consent, value}`; `status_interval` in seconds or "30d"), so every shape is
 * read, and breaches are `strict` (errors in strict mode only): real producers never settled on one.
 */

import { pointerJoin } from '../validate/issue.js'
import { isDate, isObject, isUnsignedInt, isZonelessDate } from '../validate/primitives.js'
import { countOf, isAttachmentOf, jsonObjectBody, listOf, show } from './entry-access.js'
import type { VconExtension } from './extension.js'
import {
  checkArray,
  checkBoolean,
  checkDate,
  checkEnum,
  checkIndex,
  checkString,
  type Place,
  placeOf,
  type Report,
} from './field-checks.js'
import type { LawfulBasisRecord, PurposeGrant } from './lawful-basis-model.js'

/** The attachment type / purpose of consent-00 (it is not an extension token). */
export const CONSENT = 'consent'

const CONSENT_STATUSES = ['granted', 'denied', 'revoked'] as const

/** Where the consent-00 fields of an attachment are: its body when that holds them, else its top level. */
function consentPlace(attachment: Readonly<Record<string, unknown>>, index: number): Place {
  const base = pointerJoin('', 'attachments', index)
  const body = jsonObjectBody(attachment)
  if (body !== undefined && ('consents' in body || 'expiration' in body)) {
    return placeOf(body, pointerJoin(base, 'body'), `consent attachment ${index} body`)
  }
  return placeOf(attachment, base, `consent attachment ${index}`)
}

/** The consent-00 module: recognised and validated on read, never written. */
export const consentExtension: VconExtension = {
  name: CONSENT,
  readOnly: true,
  // No token exists for consent-00, so nothing can legitimately require it in critical.
  mayBeCritical: false,
  detect(vcon) {
    return listOf(vcon, 'attachments').some((a) => isAttachmentOf(a, CONSENT))
  },
  validate(ctx) {
    const report = ctx.report.bind(ctx)
    listOf(ctx.vcon, 'attachments').forEach((attachment, i) => {
      if (!isAttachmentOf(attachment, CONSENT) || !isObject(attachment)) return
      report(
        'should',
        pointerJoin('', 'attachments', i),
        'superseded-extension',
        `Consent attachment ${i} follows draft-howe-vcon-consent-00, replaced by lawful_basis; it is read as lawful basis "consent", and new vCons should carry a lawful_basis attachment instead.`,
      )
      validateConsent(
        report,
        attachment,
        i,
        countOf(ctx.vcon, 'parties'),
        countOf(ctx.vcon, 'dialog'),
      )
    })
  },
}

function validateConsent(
  report: Report,
  attachment: Readonly<Record<string, unknown>>,
  index: number,
  parties: number,
  dialogs: number,
): void {
  const at = consentPlace(attachment, index)
  const level = 'strict'
  checkDate(report, at, 'expiration', { required: true, allowNull: true, level })
  // party and dialog are core attachment fields, checked (presence and range) by the core validator; only
  // copies inside the body are checked here.
  if (at.obj !== attachment) {
    checkIndex(report, at, 'party', 'parties', parties, { level })
    checkIndex(report, at, 'dialog', 'dialog', dialogs, { level })
  }

  const consents = checkArray(report, at, 'consents', { required: true, level })
  consents?.forEach((consent, k) => {
    const pointer = pointerJoin(at.base, 'consents', k)
    const label = `${at.label}: consents[${k}]`
    if (!isObject(consent)) {
      report(level, pointer, 'wrong-type', `${label} must be an object; got ${show(consent)}.`)
      return
    }
    const c = placeOf(consent, pointer, label)
    if (consent.purpose !== undefined) {
      checkString(report, c, 'purpose', { level })
      checkEnum(report, c, 'status', CONSENT_STATUSES, { required: true, level })
      checkDate(report, c, 'timestamp', { level })
      checkString(report, c, 'vocabulary', { level })
    } else if (consent.consent !== undefined) {
      checkString(report, c, 'consent', { level })
      checkBoolean(report, c, 'value', { required: true, level })
    } else {
      report(
        level,
        pointer,
        'extension-invalid',
        `${label} names no purpose: write {"purpose", "status"} or {"consent", "value"} (consent-00 §11, §18).`,
      )
    }
  })

  const interval = at.obj.status_interval
  if (interval !== undefined && typeof interval !== 'string' && !isUnsignedInt(interval)) {
    report(
      level,
      pointerJoin(at.base, 'status_interval'),
      'wrong-type',
      `${at.label}: "status_interval" must be a number of seconds or a duration such as "30d".`,
    )
  }
  const tos = at.obj.terms_of_service
  if (tos !== undefined && typeof tos !== 'string' && !isObject(tos)) {
    report(
      level,
      pointerJoin(at.base, 'terms_of_service'),
      'wrong-type',
      `${at.label}: "terms_of_service" must be a URL or an embedded terms object (consent-00 §6).`,
    )
  }
  checkString(report, at, 'consent_ledger', { level })
  const proofs = checkArray(report, at, 'proof', { level })
  proofs?.forEach((proof, k) => {
    if (!isObject(proof)) {
      report(
        level,
        pointerJoin(at.base, 'proof', k),
        'wrong-type',
        `${at.label}: proof[${k}] must be an object.`,
      )
    }
  })
}

/** Maps one consent object of either shape onto a purpose grant; undefined when it is malformed. */
function grantOf(consent: unknown): PurposeGrant | undefined {
  if (!isObject(consent)) return undefined
  const conditions = Array.isArray(consent.conditions)
    ? consent.conditions.filter((c): c is string => typeof c === 'string')
    : []
  if (typeof consent.purpose === 'string' && typeof consent.status === 'string') {
    const at = typeof consent.timestamp === 'string' ? consent.timestamp : undefined
    // Only an explicit "granted" permits: denied, revoked, expired and unknown statuses all refuse.
    return {
      purpose: consent.purpose,
      granted: consent.status === 'granted',
      granted_at: at,
      conditions,
    }
  }
  if (typeof consent.consent === 'string' && typeof consent.value === 'boolean') {
    return { purpose: consent.consent, granted: consent.value, granted_at: undefined, conditions }
  }
  return undefined
}

/** Reads a consent-00 attachment as a lawful basis of type `consent` (notes §e.2 recommendation). */
export function readConsentRecord(
  attachment: unknown,
  index: number,
): LawfulBasisRecord | undefined {
  if (!isObject(attachment) || !isAttachmentOf(attachment, CONSENT)) return undefined
  const fields = consentPlace(attachment, index).obj
  const expiration = fields.expiration
  const consents = Array.isArray(fields.consents) ? fields.consents : []
  const pick = (key: 'party' | 'dialog'): number | undefined => {
    const value = fields[key] !== undefined ? fields[key] : attachment[key]
    return isUnsignedInt(value) ? value : undefined
  }
  return {
    attachment: index,
    source: 'consent',
    basis: 'consent',
    expiration:
      expiration === null
        ? null
        : typeof expiration === 'string' && (isDate(expiration) || isZonelessDate(expiration))
          ? expiration
          : undefined,
    grants: consents.map(grantOf).filter((g): g is PurposeGrant => g !== undefined),
    party: pick('party'),
    dialog: pick('dialog'),
  }
}
