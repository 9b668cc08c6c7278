/**
 * @module The `wtf_transcription` extension (draft-howe-vcon-wtf-extension-02; notes §e.4, §g.13): speech-to-text
 * output in the World Transcription Format, stored as an analysis of type "wtf_transcription". Also read: the
 * token "wtf" (extensions page), an analysis of type "transcript" whose `schema` names WTF (extensions page), and
 * the attachment form of drafts -00/-01.
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { isAttachmentOf, listOf } from './entry-access.js'
import type { VconExtension } from './extension.js'
import type { Report } from './field-checks.js'
import { requireJsonObjectBody } from './json-object-body.js'
import { validateWtfBody, type WtfTiming } from './wtf-body.js'

/** The extension token and analysis type. */
export const WTF_TRANSCRIPTION = 'wtf_transcription'

/** True for an analysis in WTF form: type "wtf_transcription", or "transcript" with a WTF schema label. */
export function isWtfAnalysis(analysis: unknown): boolean {
  if (!isObject(analysis)) return false
  if (analysis.type === WTF_TRANSCRIPTION) return true
  return (
    analysis.type === 'transcript' &&
    typeof analysis.schema === 'string' &&
    /wtf|world[-_ ]transcription/i.test(analysis.schema)
  )
}

/** The WTF module. */
export const wtfTranscriptionExtension: VconExtension = {
  name: WTF_TRANSCRIPTION,
  aliases: ['wtf'],
  // Compatible (WTF-02 §5.1): it need not be critical, but a reader of this library can honour it if it is.
  mayBeCritical: true,
  detect(vcon) {
    return (
      listOf(vcon, 'analysis').some(isWtfAnalysis) ||
      listOf(vcon, 'attachments').some((a) => isAttachmentOf(a, WTF_TRANSCRIPTION))
    )
  },
  validate(ctx) {
    const report: Report = (level, pointer, code, message) =>
      ctx.report(level, pointer, code, message)
    const dialogs = listOf(ctx.vcon, 'dialog')
    listOf(ctx.vcon, 'analysis').forEach((analysis, i) => {
      if (!isWtfAnalysis(analysis) || !isObject(analysis)) return
      const label = `${WTF_TRANSCRIPTION} analysis ${i}`
      validateEntry(
        report,
        analysis,
        pointerJoin('', 'analysis', i),
        label,
        timingOf(analysis, dialogs),
      )
    })
    listOf(ctx.vcon, 'attachments').forEach((attachment, i) => {
      if (!isAttachmentOf(attachment, WTF_TRANSCRIPTION) || !isObject(attachment)) return
      const base = pointerJoin('', 'attachments', i)
      report(
        'should',
        base,
        'extension-invalid',
        `Attachment ${i} holds a WTF transcription, which draft -02 stores as an analysis of type "${WTF_TRANSCRIPTION}" (WTF-02 §6.1); move it to analysis.`,
      )
      validateEntry(report, attachment, base, `${WTF_TRANSCRIPTION} attachment ${i}`, {})
    })
  },
}

/** The duration of the one dialog the analysis is derived from, for the timing SHOULD (WTF-02 §9.4). */
function timingOf(
  analysis: Readonly<Record<string, unknown>>,
  dialogs: readonly unknown[],
): WtfTiming {
  const ref = analysis.dialog
  const index = Array.isArray(ref) && ref.length === 1 ? ref[0] : ref
  if (typeof index !== 'number' || !Number.isInteger(index)) return {}
  const dialog = dialogs[index]
  if (
    !isObject(dialog) ||
    typeof dialog.duration !== 'number' ||
    !Number.isFinite(dialog.duration)
  ) {
    return {}
  }
  return { dialogDuration: dialog.duration }
}

function validateEntry(
  report: Report,
  entry: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
  timing: WtfTiming,
): void {
  const body = requireJsonObjectBody(report, entry, base, label, 'WTF document', 'WTF-02 §6.1')
  if (body !== undefined) validateWtfBody(report, body, pointerJoin(base, 'body'), label, timing)
}
