/**
 * @module The JSON bodies of sip-signaling attachments (draft-howe-vcon-sip-signaling §6.2, §6.4, §7.3):
 * `sip-message-trace`, `sip-headers` and `stir-verification-report`.
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { show } from './entry-access.js'
import {
  checkArray,
  checkDate,
  checkEnum,
  checkIndex,
  checkNumber,
  checkObject,
  checkString,
  checkStringArray,
  type Place,
  placeOf,
  type Report,
} from './field-checks.js'

/** What the body checks need from the rest of the vCon. */
export interface SipBodyContext {
  /** `sip_call_id` of the dialog the attachment points at, if any. */
  readonly callId: string | undefined
  readonly partyCount: number
}

/** True for a header that carries credentials, which producers MUST strip (sip-signaling §10). */
export function credentialHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return lower === 'authorization' || lower === 'proxy-authorization'
}

/** Checks the JSON body of a sip-signaling attachment whose purpose defines one. */
export function checkSipJsonBody(
  report: Report,
  purpose: string,
  at: Place,
  context: SipBodyContext,
): void {
  switch (purpose) {
    case 'sip-message-trace':
      checkTrace(report, at, context)
      return
    case 'sip-headers':
      checkHeaders(report, at, true)
      return
    case 'stir-verification-report':
      checkVerificationReport(report, at)
      return
  }
}

/** Header maps: values are strings, or arrays of strings for multi-valued headers; no credentials. */
function checkHeaders(report: Report, at: Place, strictValues: boolean): void {
  for (const name of Object.keys(at.obj)) {
    const value = at.obj[name]
    const pointer = pointerJoin(at.base, name)
    if (credentialHeader(name)) {
      report(
        'should',
        pointer,
        'sip-credentials-present',
        `${at.label}: "${name}" carries credentials, which producers MUST strip (sip-signaling §10). Remove it.`,
      )
    }
    const ok =
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    if (strictValues && !ok) {
      report(
        'must',
        pointer,
        'wrong-type',
        `${at.label}: header "${name}" must be a string, or an array of strings when multi-valued.`,
      )
    }
  }
}

function checkTrace(report: Report, at: Place, context: SipBodyContext): void {
  const version = checkString(report, at, 'version', { required: true })
  if (version !== undefined && version !== '1.0') {
    report(
      'should',
      pointerJoin(at.base, 'version'),
      'extension-invalid',
      `${at.label}: trace format version ${show(version)} is unknown; this reader knows "1.0".`,
    )
  }
  const callId = checkString(report, at, 'call_id', { required: true })
  if (callId !== undefined && context.callId !== undefined && callId !== context.callId) {
    report(
      'must',
      pointerJoin(at.base, 'call_id'),
      'extension-invalid',
      `${at.label}: "call_id" ${show(callId)} differs from the dialog's sip_call_id ${show(context.callId)}; they MUST match (sip-signaling §6.2.1).`,
    )
  }
  const messages = checkArray(report, at, 'messages', { required: true })
  messages?.forEach((message, k) => {
    const pointer = pointerJoin(at.base, 'messages', k)
    if (!isObject(message)) {
      report('must', pointer, 'wrong-type', `${at.label}: messages[${k}] must be an object.`)
      return
    }
    const m = placeOf(message, pointer, `${at.label}: messages[${k}]`)
    checkDate(report, m, 'timestamp', { required: true })
    checkEnum(report, m, 'direction', ['sent', 'received'], { required: true })
    checkIndex(report, m, 'party', 'parties', context.partyCount)
    checkRequestOrResponse(report, m)
    const headers = checkObject(report, m, 'headers')
    if (headers !== undefined) {
      checkHeaders(
        report,
        placeOf(headers, pointerJoin(pointer, 'headers'), `${m.label}: headers`),
        false,
      )
    }
    checkString(report, m, 'body', { allowEmpty: true })
    checkEnum(report, m, 'body_encoding', ['base64url'], { level: 'should' })
  })
}

/** A request has `method`; a response has `status_code` and `status_text`; never both (§6.2.1). */
function checkRequestOrResponse(report: Report, m: Place): void {
  const isRequest = m.obj.method !== undefined
  const isResponse = m.obj.status_code !== undefined
  if (isRequest === isResponse) {
    report(
      'must',
      m.base,
      'extension-invalid',
      isRequest
        ? `${m.label} has both "method" and "status_code"; a request carries only method, a response only status_code.`
        : `${m.label} has neither "method" (request) nor "status_code" (response); add the one that applies.`,
    )
  }
  checkString(report, m, 'method')
  checkNumber(report, m, 'status_code', { min: 100, max: 699, integer: true })
  checkString(report, m, 'status_text', { allowEmpty: true })
  if (isRequest && !isResponse && m.obj.status_text !== undefined) {
    report(
      'must',
      pointerJoin(m.base, 'status_text'),
      'extension-invalid',
      `${m.label}: "status_text" belongs to responses only; a request MUST NOT carry it.`,
    )
  }
}

function checkVerificationReport(report: Report, at: Place): void {
  // The draft lists these fields without marking them optional (except reason), yet a "no-signature" report
  // has no attestation to give: absence is a warning, a wrong value an error.
  for (const key of ['verifier', 'timestamp', 'attestation', 'orig_tn', 'dest_tn']) {
    if (at.obj[key] === undefined) {
      report(
        'should',
        pointerJoin(at.base, key),
        'missing-field',
        `${at.label} should give "${key}".`,
      )
    }
  }
  checkString(report, at, 'verifier')
  checkDate(report, at, 'timestamp')
  checkEnum(
    report,
    at,
    'result',
    ['verified', 'failed', 'no-signature', 'stale', 'certificate-error'],
    {
      required: true,
    },
  )
  checkEnum(report, at, 'attestation', ['A', 'B', 'C'])
  checkString(report, at, 'reason', { allowEmpty: true })
  checkString(report, at, 'orig_tn')
  checkStringArray(report, at, 'dest_tn')
}
