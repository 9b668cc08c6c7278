/**
 * @module Redacts one data subject out of a vCon, for an erasure that must keep the other parties' data (GDPR
 * Art. 17 with Art. 17(3) / Art. 6(1)(f) interests of the others). The result is a new vCon made with the
 * library's redactVcon, so it has redactVcon's semantics: a new uuid, `redacted` pointing at the original (core
 * draft §4.1.8), removed elements left as placeholders so every index stays valid, and a redaction_report
 * analysis with counts only.
 *
 * What is removed: every identifying field of the parties that are the subject (core draft §4.2: tel, mailto,
 * name, sip, did, uuid, stir, jCard, civic address, ...; only `role` stays, and the party stays in place so
 * dialog and analysis indices keep their meaning); the subject's identifiers wherever they occur in text (the
 * asked identifier and every identifier of the matched parties: their number also in national or punctuated
 * form, their e-mail, their name and its tokens); the media (body, url) of recordings the subject takes part in,
 * since a voice identifies. What the subject said stays, de-identified: the brief is erasure of the person's
 * identity, not of the other parties' conversation. Content the redactor cannot read (external urls, binary
 * bodies) is reported in `uninspected`; `subjectResidue` (erase-identifiers.ts) finds any identifier left.
 */
import { type RedactionReport, redactVcon, type Vcon } from '@vconkit/vcon'
import { detectorOf, needlesOf, subjectParties } from './erase-identifiers.js'
import type { SubjectIdentifier } from './find-subject.js'

export { subjectParties, subjectResidue } from './erase-identifiers.js'

export interface SubjectRedactionOptions {
  /** The uuid of the redacted vCon. */
  readonly newUuid: string
  readonly now?: () => Date
}

export interface SubjectRedaction {
  readonly vcon: Vcon
  readonly report: RedactionReport
  /** Indices of the parties that were the subject. */
  readonly parties: readonly number[]
  /** Pointers of content nobody could read (external urls, binary bodies): it may still concern the subject. */
  readonly uninspected: readonly string[]
}

/** `redacted.type` of the versions erasure makes. */
export const SUBJECT_REDACTION_TYPE = 'Party Erasure'

/** Party fields kept on a redacted subject's party: its role in the conversation identifies nobody. */
const KEPT_PARTY_FIELDS: ReadonlySet<string> = new Set(['role'])

type Obj = Record<string, unknown>

/** The 0-based party indices a dialog names (`parties` may nest arrays, core draft §4.3.6). */
function dialogParties(dialog: Obj): number[] {
  const flat = [dialog.parties, dialog.originator].flat(2)
  return flat.filter((v): v is number => typeof v === 'number')
}

function isMedia(dialog: Obj): boolean {
  return (
    dialog.type === 'recording' ||
    (typeof dialog.mediatype === 'string' && /^\s*(?:audio|video)\//i.test(dialog.mediatype))
  )
}

/**
 * Removes the subject's party fields and the media of recordings they take part in, in place on a copy.
 * Returns how many parties lost each field and which dialogs lost their media.
 */
function stripSubject(copy: Obj, parties: readonly number[]) {
  const removed: Record<string, number> = {}
  const list = Array.isArray(copy.parties) ? (copy.parties as unknown[]) : []
  for (const index of parties) {
    const party = list[index]
    if (typeof party !== 'object' || party === null) continue
    const kept: Obj = {}
    for (const [field, value] of Object.entries(party)) {
      if (KEPT_PARTY_FIELDS.has(field)) kept[field] = value
      else removed[field] = (removed[field] ?? 0) + 1
    }
    list[index] = kept
  }
  const mediaDropped: number[] = []
  const dialogs = Array.isArray(copy.dialog) ? (copy.dialog as unknown[]) : []
  dialogs.forEach((d, i) => {
    if (typeof d !== 'object' || d === null) return
    const dialog = d as Obj
    if (!isMedia(dialog) || !dialogParties(dialog).some((p) => parties.includes(p))) return
    if (dialog.body === undefined && dialog.url === undefined) return
    // content_hash stays, as redactVcon's dropMedia keeps it: it names the media without holding it.
    delete dialog.body
    delete dialog.encoding
    delete dialog.url
    mediaDropped.push(i)
  })
  return { removed, mediaDropped }
}

/**
 * Redacts `subject` out of an unsigned vCon. Throws VconError from redactVcon (an extension the library does not
 * understand, an unsupported critical one): the caller should then delete the vCon instead.
 */
export function redactSubject(
  vcon: Vcon,
  subject: SubjectIdentifier,
  options: SubjectRedactionOptions,
): SubjectRedaction {
  const parties = subjectParties(vcon, subject)
  const { needles, names } = needlesOf(vcon, subject, parties)
  const copy = structuredClone(vcon) as unknown as Obj
  const { removed, mediaDropped } = stripSubject(copy, parties)
  const result = redactVcon(
    copy as unknown as Vcon,
    {
      type: SUBJECT_REDACTION_TYPE,
      // Other parties' names are theirs to keep: only the subject's are searched (partyNames: false).
      text: { detector: detectorOf(needles, names), partyNames: false },
    },
    { newUuid: options.newUuid, ...(options.now === undefined ? {} : { now: options.now }) },
  )
  const report: RedactionReport = {
    ...result.report,
    partyFieldsRemoved: removed,
    mediaDropped: [...new Set([...result.report.mediaDropped, ...mediaDropped])].sort(
      (a, b) => a - b,
    ),
  }
  patchReportAnalysis(result.vcon as unknown as Obj, report, parties)
  const uninspected = report.uninspected.filter(
    (p) => !mediaDropped.some((i) => p === `/dialog/${i}`),
  )
  return { vcon: result.vcon, report, parties, uninspected }
}

/** The redaction_report analysis redactVcon appended counts no party fields: it did not remove them itself. */
function patchReportAnalysis(vcon: Obj, report: RedactionReport, parties: readonly number[]): void {
  const analyses = Array.isArray(vcon.analysis) ? (vcon.analysis as Obj[]) : []
  const last = analyses[analyses.length - 1]
  if (last?.type !== 'redaction_report' || typeof last.body !== 'object' || last.body === null)
    return
  const body = last.body as Obj
  body.party_fields_removed = { ...report.partyFieldsRemoved }
  body.media_dropped = [...report.mediaDropped]
  body.uninspected = [...report.uninspected]
  body.parties_redacted = [...parties]
}
