/**
 * @module The `lawful_basis` extension (draft-howe-vcon-lawful-basis-00; notes §e.1): attachments recognised by
 * `type` or `purpose` "lawful_basis" (notes §g.2), whose JSON body records the basis, its expiry and the
 * purpose grants, optionally sealed by a JCS content_hash that is verified here.
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { isAttachmentOf, listOf, show } from './entry-access.js'
import type { VconExtension } from './extension.js'
import {
  checkArray,
  checkBoolean,
  checkDate,
  checkEnum,
  checkObject,
  checkString,
  checkStringArray,
  placeOf,
  type Report,
} from './field-checks.js'
import { requireJsonObjectBody } from './json-object-body.js'
import { checkLawfulBasisHash } from './lawful-basis-hash.js'
import {
  LAWFUL_BASES,
  LAWFUL_BASIS,
  LAWFUL_BASIS_HASH_ALGORITHMS,
  PROOF_TYPES,
} from './lawful-basis-model.js'

export { readLawfulBasis } from './read-lawful-basis.js'

/** `status_interval`: a duration such as "30d" (lawful-basis-00 §5.2.2) or an ISO 8601 duration. */
const DURATION =
  /^(?:\d+(?:\.\d+)?[smhdwy]|P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$/

const HEX = /^[0-9a-fA-F]+$/

/** The lawful_basis extension module. */
export const lawfulBasisExtension: VconExtension = {
  name: LAWFUL_BASIS,
  // Compatible (lawful-basis-00 §4.1): nothing forbids listing it in critical, and a reader of this library
  // honours it, so it may be critical.
  mayBeCritical: true,
  detect(vcon) {
    return listOf(vcon, 'attachments').some((a) => isAttachmentOf(a, LAWFUL_BASIS))
  },
  validate(ctx) {
    // extension-undeclared is reported by the validator for every module (check-extensions.ts); attachment
    // party/dialog ranges (lawful-basis-00 §6.3) by the core reference checks (check-references.ts).
    listOf(ctx.vcon, 'attachments').forEach((attachment, i) => {
      if (isAttachmentOf(attachment, LAWFUL_BASIS) && isObject(attachment)) {
        validateAttachment(ctx.report.bind(ctx), attachment, i)
      }
    })
  },
}

function validateAttachment(
  report: Report,
  attachment: Readonly<Record<string, unknown>>,
  index: number,
): void {
  const base = pointerJoin('', 'attachments', index)
  const label = `lawful_basis attachment ${index}`
  const what = 'lawful basis record'
  const body = requireJsonObjectBody(report, attachment, base, label, what, 'lawful-basis-00 §5.1')
  if (body !== undefined) validateBody(report, body, pointerJoin(base, 'body'), label)
}

function validateBody(
  report: Report,
  body: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
): void {
  const at = placeOf(body, base, `${label} body`)
  checkEnum(report, at, 'lawful_basis', LAWFUL_BASES, { required: true })
  checkDate(report, at, 'expiration', { required: true, allowNull: true })

  const grants = checkArray(report, at, 'purpose_grants', { required: true })
  grants?.forEach((grant, k) => {
    const pointer = pointerJoin(base, 'purpose_grants', k)
    if (!isObject(grant)) {
      report(
        'must',
        pointer,
        'wrong-type',
        `${at.label}: purpose_grants[${k}] must be an object; got ${show(grant)}.`,
      )
      return
    }
    const g = placeOf(grant, pointer, `${at.label}: purpose_grants[${k}]`)
    checkString(report, g, 'purpose', { required: true })
    checkBoolean(report, g, 'granted', { required: true })
    checkDate(report, g, 'granted_at', { required: true })
    checkStringArray(report, g, 'conditions')
  })

  const tos = checkString(report, at, 'terms_of_service')
  if (tos !== undefined && !URL.canParse(tos)) {
    report(
      'should',
      pointerJoin(base, 'terms_of_service'),
      'bad-url',
      `${at.label}: "terms_of_service" (${show(tos)}) is not an absolute URL.`,
    )
  }
  const interval = checkString(report, at, 'status_interval')
  if (interval !== undefined && !DURATION.test(interval)) {
    report(
      'should',
      pointerJoin(base, 'status_interval'),
      'extension-invalid',
      `${at.label}: "status_interval" (${show(interval)}) is not a duration such as "30d" or "P30D".`,
    )
  }

  const registry = checkObject(report, at, 'registry')
  if (registry !== undefined) {
    const r = placeOf(registry, pointerJoin(base, 'registry'), `${at.label}: registry`)
    checkString(report, r, 'type', { required: true })
    const url = checkString(report, r, 'url', { required: true })
    if (url !== undefined && !URL.canParse(url)) {
      report(
        'must',
        pointerJoin(r.base, 'url'),
        'bad-url',
        `${r.label}: "url" is not an absolute URL.`,
      )
    }
  }

  const proofs = checkArray(report, at, 'proof_mechanisms')
  proofs?.forEach((proof, k) => {
    const pointer = pointerJoin(base, 'proof_mechanisms', k)
    if (!isObject(proof)) {
      report(
        'must',
        pointer,
        'wrong-type',
        `${at.label}: proof_mechanisms[${k}] must be an object.`,
      )
      return
    }
    const p = placeOf(proof, pointer, `${at.label}: proof_mechanisms[${k}]`)
    // The draft's list "includes" four types: others are allowed but cannot be interpreted here.
    const type = checkString(report, p, 'proof_type', { required: true })
    if (type !== undefined && !(PROOF_TYPES as readonly string[]).includes(type)) {
      report(
        'should',
        pointerJoin(pointer, 'proof_type'),
        'extension-invalid',
        `${p.label}: "proof_type" ${show(type)} is not one of ${PROOF_TYPES.join(', ')}.`,
      )
    }
    checkDate(report, p, 'timestamp', { required: true })
    checkObject(report, p, 'proof_data', { required: true })
  })

  checkObject(report, at, 'metadata')
  validateContentHash(report, body, at.base, at.label)
}

function validateContentHash(
  report: Report,
  body: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
): void {
  const at = placeOf(body, base, label)
  const hash = checkObject(report, at, 'content_hash')
  if (hash === undefined) return
  const pointer = pointerJoin(base, 'content_hash')
  const h = placeOf(hash, pointer, `${label}: content_hash`)
  const algorithm = checkString(report, h, 'algorithm', { required: true })
  const canonicalization = checkString(report, h, 'canonicalization', { required: true })
  const value = checkString(report, h, 'value', { required: true })
  if (algorithm === undefined || canonicalization === undefined || value === undefined) return
  if (!HEX.test(value)) {
    report(
      'must',
      pointerJoin(pointer, 'value'),
      'extension-invalid',
      `${h.label}: "value" must be a hexadecimal digest; got ${show(value)}.`,
    )
    return
  }
  const check = checkLawfulBasisHash(body, { algorithm, canonicalization, value })
  switch (check.kind) {
    case 'match':
      return
    case 'mismatch':
      report(
        'must',
        pointerJoin(pointer, 'value'),
        'lawful-basis-hash-mismatch',
        `${h.label}: the ${algorithm} of the JCS-canonical body is ${check.actual}, not ${check.expected}; the record was altered or hashed differently (lawful-basis-00 §6.1).`,
      )
      return
    case 'unchecked': {
      const known = (LAWFUL_BASIS_HASH_ALGORITHMS as readonly string[]).includes(algorithm)
      report(
        'should',
        pointer,
        'lawful-basis-hash-unchecked',
        `${h.label} was not verified: ${check.reason}.${known ? '' : ' Registered algorithms are sha-256, sha-3-256, blake2b-256.'}`,
      )
      return
    }
    case 'failed':
      report(
        'must',
        pointer,
        'extension-invalid',
        `${h.label} could not be verified: ${check.reason}`,
      )
      return
  }
}
