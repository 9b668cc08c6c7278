/**
 * @module The `sip-signaling` extension (draft-howe-vcon-sip-signaling; notes §e.6, §g.15): SIP identifiers on
 * parties and dialogs, and SIP messages, traces, SDP, header summaries and STIR/SHAKEN data as attachments with
 * `sip-*` and `stir-*` purposes. The token MUST NOT be listed in critical: `mayBeCritical` is false, and the
 * validator's critical check (check-extensions.ts) reports it there.
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { listOf, readJsonBody, show } from './entry-access.js'
import type { VconExtension } from './extension.js'
import { checkNumber, checkString, placeOf, type Report } from './field-checks.js'
import { checkSipJsonBody, credentialHeader } from './sip-json-bodies.js'

/** The extension token (hyphenated, unlike its parameters). */
export const SIP_SIGNALING = 'sip-signaling'

/** Purposes of single SIP messages, with the request method each holds (`null`: a response). */
const MESSAGE_PURPOSES: Readonly<Record<string, string | null>> = {
  'sip-invite': 'INVITE',
  'sip-response': null,
  'sip-ack': 'ACK',
  'sip-bye': 'BYE',
  'sip-cancel': 'CANCEL',
  'sip-update': 'UPDATE',
  'sip-refer': 'REFER',
}

/** The media types each purpose allows, and whether the draft says MUST (true) or only names it (false). */
const MEDIATYPES: Readonly<Record<string, readonly [readonly string[], boolean]>> = {
  ...Object.fromEntries(Object.keys(MESSAGE_PURPOSES).map((p) => [p, [['message/sip'], true]])),
  'sip-message-trace': [['application/json'], false],
  'sip-sdp': [['application/sdp'], true],
  'sip-headers': [['application/json'], true],
  'stir-certificate': [['application/pkix-cert', 'application/pem-certificate-chain'], true],
  'stir-verification-report': [['application/json'], true],
  'stir-passport-extended': [['application/passport'], true],
}

/** Every attachment purpose the draft defines. */
export const SIP_PURPOSES: readonly string[] = Object.keys(MEDIATYPES)

/** True when a party carries sip-signaling fields (named reads: detect runs on every validation). */
function isSipParty(p: unknown): boolean {
  return (
    isObject(p) &&
    (p.sip_contact !== undefined ||
      p.sip_user_agent !== undefined ||
      p.sip_display_name !== undefined)
  )
}

/** True when a dialog carries sip-signaling fields. */
function isSipDialog(d: unknown): boolean {
  return (
    isObject(d) &&
    (d.sip_call_id !== undefined ||
      d.sip_from_tag !== undefined ||
      d.sip_to_tag !== undefined ||
      d.sip_cseq !== undefined)
  )
}

function purposeOf(attachment: unknown): string | undefined {
  return isObject(attachment) &&
    typeof attachment.purpose === 'string' &&
    SIP_PURPOSES.includes(attachment.purpose)
    ? attachment.purpose
    : undefined
}

/** The sip-signaling module. */
export const sipSignalingExtension: VconExtension = {
  name: SIP_SIGNALING,
  mayBeCritical: false,
  detect(vcon) {
    return (
      listOf(vcon, 'parties').some(isSipParty) ||
      listOf(vcon, 'dialog').some(isSipDialog) ||
      listOf(vcon, 'attachments').some((a) => purposeOf(a) !== undefined)
    )
  },
  validate(ctx) {
    const report: Report = (level, pointer, code, message) =>
      ctx.report(level, pointer, code, message)
    listOf(ctx.vcon, 'parties').forEach((party, i) => {
      if (!isObject(party)) return
      const at = placeOf(party, pointerJoin('', 'parties', i), `party ${i}`)
      const contact = checkString(report, at, 'sip_contact')
      if (contact !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(contact)) {
        report(
          'should',
          pointerJoin(at.base, 'sip_contact'),
          'extension-invalid',
          `${at.label}: "sip_contact" ${show(contact)} should include its URI scheme, e.g. "sip:" (sip-signaling §4.1).`,
        )
      }
      checkString(report, at, 'sip_user_agent')
      checkString(report, at, 'sip_display_name', { allowEmpty: true })
    })
    const dialogs = listOf(ctx.vcon, 'dialog')
    dialogs.forEach((dialog, i) => {
      if (!isObject(dialog)) return
      const at = placeOf(dialog, pointerJoin('', 'dialog', i), `dialog ${i}`)
      checkString(report, at, 'sip_call_id')
      checkString(report, at, 'sip_from_tag')
      checkString(report, at, 'sip_to_tag')
      checkNumber(report, at, 'sip_cseq', { min: 0, integer: true })
    })
    const partyCount = listOf(ctx.vcon, 'parties').length
    listOf(ctx.vcon, 'attachments').forEach((attachment, i) => {
      const purpose = purposeOf(attachment)
      if (purpose === undefined || !isObject(attachment)) return
      checkAttachment(report, attachment, i, purpose, dialogs, partyCount)
    })
  },
}

function checkAttachment(
  report: Report,
  attachment: Readonly<Record<string, unknown>>,
  index: number,
  purpose: string,
  dialogs: readonly unknown[],
  partyCount: number,
): void {
  const base = pointerJoin('', 'attachments', index)
  const label = `${purpose} attachment ${index}`
  const allowed = MEDIATYPES[purpose]
  const mediatype = attachment.mediatype
  if (allowed !== undefined && typeof mediatype === 'string') {
    const essence = (mediatype.split(';')[0] ?? '').trim().toLowerCase()
    const [types, must] = allowed
    if (!types.includes(essence)) {
      report(
        must ? 'must' : 'should',
        pointerJoin(base, 'mediatype'),
        'extension-invalid',
        `${label}: "mediatype" is ${show(mediatype)}; use ${types.map((t) => `"${t}"`).join(' or ')} (sip-signaling §6).`,
      )
    }
  }
  if (purpose in MESSAGE_PURPOSES) {
    checkSipMessage(report, attachment, base, label, MESSAGE_PURPOSES[purpose] ?? null)
    return
  }
  if (
    purpose === 'sip-sdp' ||
    purpose === 'stir-certificate' ||
    purpose === 'stir-passport-extended'
  ) {
    return // text or binary payloads with no structure the draft constrains
  }
  const read = readJsonBody(attachment)
  if (read.kind === 'absent') return // external content (url + content_hash)
  if (read.kind === 'unparseable' || !isObject(read.value)) {
    report(
      'must',
      pointerJoin(base, 'body'),
      'extension-invalid',
      `${label}: the body must be a JSON object; got ${read.kind === 'unparseable' ? 'a string that is not JSON' : show(read.value)}.`,
    )
    return
  }
  const dialog = attachment.dialog
  const dialogEntry = typeof dialog === 'number' ? dialogs[dialog] : undefined
  const callId =
    isObject(dialogEntry) && typeof dialogEntry.sip_call_id === 'string'
      ? dialogEntry.sip_call_id
      : undefined
  checkSipJsonBody(
    report,
    purpose,
    placeOf(read.value, pointerJoin(base, 'body'), `${label} body`),
    {
      callId,
      partyCount,
    },
  )
}

/** The text of a SIP message body: `none` is the text, `base64url` is decoded. */
function messageText(attachment: Readonly<Record<string, unknown>>): string | undefined {
  const body = attachment.body
  if (typeof body !== 'string') return undefined
  if (attachment.encoding === 'base64url') return Buffer.from(body, 'base64url').toString('utf8')
  return body
}

function checkSipMessage(
  report: Report,
  attachment: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
  method: string | null,
): void {
  const encoding = attachment.encoding
  if (attachment.body !== undefined && encoding !== 'none' && encoding !== 'base64url') {
    report(
      'must',
      pointerJoin(base, 'encoding'),
      'extension-invalid',
      `${label}: "encoding" is ${show(encoding)}; a SIP message is stored as "none" (UTF-8 text) or "base64url" (sip-signaling §6.1.2).`,
    )
    return
  }
  const text = messageText(attachment)
  if (text === undefined) return
  const startLine = text.split(/\r?\n/, 1)[0] ?? ''
  const expected = method === null ? /^SIP\/2\.0 \d{3}\b/ : new RegExp(`^${method} \\S+ SIP/2\\.0$`)
  if (!expected.test(startLine)) {
    report(
      'should',
      pointerJoin(base, 'body'),
      'extension-invalid',
      `${label}: the message should start with ${method === null ? '"SIP/2.0 <status>"' : `"${method} <uri> SIP/2.0"`}; it starts with ${show(startLine)}.`,
    )
  }
  const headers = text.split(/\r?\n\r?\n/, 1)[0] ?? ''
  for (const line of headers.split(/\r?\n/).slice(1)) {
    const name = line.split(':', 1)[0]?.trim() ?? ''
    if (line.includes(':') && credentialHeader(name)) {
      report(
        'should',
        pointerJoin(base, 'body'),
        'sip-credentials-present',
        `${label}: the message carries a ${name} header; producers MUST strip credentials before storing SIP messages (sip-signaling §10). Redact it.`,
      )
    }
  }
}
