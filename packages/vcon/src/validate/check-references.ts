/**
 * @module Cross-field checks (notes §a.12): every party, dialog and attachment index points at an existing entry,
 * recording sets and their members agree, transfer legs point at dialogs of allowed types, and multi-channel
 * session_id arrays mirror parties.
 */
import type { IssueCollector } from './issue.js'
import { isObject, isUnsignedInt } from './primitives.js'

interface Arrays {
  readonly parties: readonly unknown[]
  readonly dialogs: readonly unknown[]
  readonly attachments: readonly unknown[]
}

/** Dialog types a transfer leg may point at (core draft §4.3.14); `{}` placeholders are always allowed. */
const LEG_TYPES = ['recording', 'text', 'incomplete']

export function checkReferences(
  arrays: Arrays,
  analyses: readonly unknown[],
  c: IssueCollector,
): void {
  const { parties, dialogs, attachments } = arrays
  const np = parties.length
  for (let d = 0; d < dialogs.length; d++) {
    const dialog = dialogs[d]
    if (!isObject(dialog)) continue
    const at = `/dialog/${d}`
    checkRefs(dialog.parties, at, 'parties', np, c, PARTY)
    checkRefs(dialog.originator, at, 'originator', np, c, PARTY)
    if (dialog.type === 'transfer') {
      checkRefs(dialog.transferee, at, 'transferee', np, c, PARTY)
      checkRefs(dialog.transferor, at, 'transferor', np, c, PARTY)
      checkRefs(dialog.transfer_target, at, 'transfer_target', np, c, PARTY)
      for (const key of LEG_FIELDS) checkLegRefs(dialog[key], at, key, dialogs, c)
    }
    const history = dialog.party_history
    if (Array.isArray(history)) {
      for (let h = 0; h < history.length; h++) {
        const entry: unknown = history[h]
        if (isObject(entry))
          checkRefs(entry.party, `${at}/party_history/${h}`, 'party', np, c, PARTY)
      }
    }
    if (dialog.recordings !== undefined || dialog.recording_set !== undefined) {
      checkRecordingSet(dialog, d, dialogs, c)
    }
    if (Array.isArray(dialog.session_id)) checkSessionShape(dialog, at, c)
  }
  for (let a = 0; a < analyses.length; a++) {
    const analysis = analyses[a]
    if (!isObject(analysis)) continue
    checkRefs(analysis.dialog, `/analysis/${a}`, 'dialog', dialogs.length, c, DIALOG)
    checkRefs(
      analysis.attachment,
      `/analysis/${a}`,
      'attachment',
      attachments.length,
      c,
      ATTACHMENT,
    )
  }
  for (let t = 0; t < attachments.length; t++) {
    const attachment = attachments[t]
    if (!isObject(attachment)) continue
    checkRefs(attachment.party, `/attachments/${t}`, 'party', np, c, PARTY)
    checkRefs(attachment.dialog, `/attachments/${t}`, 'dialog', dialogs.length, c, DIALOG)
  }
}

const LEG_FIELDS = ['original', 'consultation', 'target_dialog'] as const

/** What an index points into: the issue code and the noun for messages. */
interface Target {
  readonly code:
    | 'party-index-out-of-range'
    | 'dialog-index-out-of-range'
    | 'attachment-index-out-of-range'
  readonly noun: string
}

const PARTY: Target = { code: 'party-index-out-of-range', noun: 'party' }
const DIALOG: Target = { code: 'dialog-index-out-of-range', noun: 'dialog' }
const ATTACHMENT: Target = { code: 'attachment-index-out-of-range', noun: 'attachment' }

/**
 * Reports every index in an index, an index array or a channel array (nulls skipped) that is not below `limit`.
 * Pointers are built only for the indices that fail, because this runs for every field of every dialog.
 */
function checkRefs(
  value: unknown,
  base: string,
  key: string,
  limit: number,
  c: IssueCollector,
  target: Target,
): void {
  if (value === undefined) return
  if (isUnsignedInt(value)) {
    if (value >= limit) outOfRange(value, `${base}/${key}`, limit, c, target)
    return
  }
  if (!Array.isArray(value)) return
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i]
    if (isUnsignedInt(item)) {
      if (item >= limit) outOfRange(item, `${base}/${key}/${i}`, limit, c, target)
    } else if (Array.isArray(item)) {
      for (let j = 0; j < item.length; j++) {
        const inner: unknown = item[j]
        if (isUnsignedInt(inner) && inner >= limit) {
          outOfRange(inner, `${base}/${key}/${i}/${j}`, limit, c, target)
        }
      }
    }
  }
}

function outOfRange(
  index: number,
  pointer: string,
  limit: number,
  c: IssueCollector,
  target: Target,
): void {
  const noun = target.noun
  c.report(
    'must',
    pointer,
    target.code,
    `${noun[0]?.toUpperCase()}${noun.slice(1)} index ${index} does not exist: the vCon has ${limit} ${noun === 'party' ? (limit === 1 ? 'party' : 'parties') : `${noun}${limit === 1 ? '' : 's'}`}.`,
  )
}

/** A transfer leg must exist, and should be a recording, text, incomplete or placeholder dialog. */
function checkLegRefs(
  value: unknown,
  base: string,
  key: string,
  dialogs: readonly unknown[],
  c: IssueCollector,
): void {
  checkRefs(value, base, key, dialogs.length, c, DIALOG)
  const list: readonly unknown[] = isUnsignedInt(value)
    ? [value]
    : Array.isArray(value)
      ? value
      : []
  for (let i = 0; i < list.length; i++) {
    const index = list[i]
    if (!isUnsignedInt(index)) continue
    const target = dialogs[index]
    if (!isObject(target) || typeof target.type !== 'string' || LEG_TYPES.includes(target.type))
      continue
    c.report(
      'should',
      Array.isArray(value) ? `${base}/${key}/${i}` : `${base}/${key}`,
      'wrong-target-type',
      `${key} should point at a recording, text or incomplete dialog (or an empty {} for an unknown leg), not a ${target.type}.`,
    )
  }
}

function checkDialog(
  index: number,
  pointer: string,
  dialogs: readonly unknown[],
  c: IssueCollector,
): unknown {
  if (index < dialogs.length) return dialogs[index]
  c.report(
    'must',
    pointer,
    'dialog-index-out-of-range',
    `Dialog index ${index} does not exist: the vCon has ${dialogs.length} dialog(s).`,
  )
  return undefined
}

/** recordings point at recording dialogs, recording_set at a recording-set, and both sides agree (core-03). */
function checkRecordingSet(
  dialog: Record<string, unknown>,
  d: number,
  dialogs: readonly unknown[],
  c: IssueCollector,
): void {
  const at = `/dialog/${d}`
  if (Array.isArray(dialog.recordings)) {
    for (let k = 0; k < dialog.recordings.length; k++) {
      const i: unknown = dialog.recordings[k]
      if (!isUnsignedInt(i)) continue
      const p = `${at}/recordings/${k}`
      const member = checkDialog(i, p, dialogs, c)
      if (!isObject(member)) continue
      if (member.type !== 'recording') {
        c.report(
          'must',
          p,
          'wrong-target-type',
          `recordings must list recording dialogs; dialog ${i} is not one.`,
        )
      } else if (member.recording_set !== d) {
        c.report(
          'should',
          p,
          'recording-set-mismatch',
          `Recording dialog ${i} is listed here but its recording_set is not ${d}; set it to ${d}.`,
        )
      }
    }
  }
  if (isUnsignedInt(dialog.recording_set)) {
    const set = checkDialog(dialog.recording_set, `${at}/recording_set`, dialogs, c)
    if (!isObject(set)) return
    if (set.type !== 'recording-set') {
      c.report(
        'must',
        `${at}/recording_set`,
        'wrong-target-type',
        `recording_set must point at a recording-set dialog; dialog ${dialog.recording_set} is not one.`,
      )
    } else if (!Array.isArray(set.recordings) || !set.recordings.includes(d)) {
      c.report(
        'should',
        `${at}/recording_set`,
        'recording-set-mismatch',
        `The recording-set dialog ${dialog.recording_set} does not list this dialog (${d}) in its recordings.`,
      )
    }
  }
}

/** A session_id array must mirror the channel layout of parties (core draft §4.3.12). */
function checkSessionShape(dialog: Record<string, unknown>, at: string, c: IssueCollector): void {
  const { session_id: sessionId, parties } = dialog
  if (!Array.isArray(sessionId)) return
  if (!Array.isArray(parties)) {
    c.report(
      'should',
      `${at}/session_id`,
      'session-id-shape',
      'A session_id array mirrors a parties array; with a single party give one object instead.',
    )
    return
  }
  if (sessionId.length !== parties.length) {
    c.report(
      'should',
      `${at}/session_id`,
      'session-id-shape',
      `session_id has ${sessionId.length} entries but parties has ${parties.length}; give {} for a party without one.`,
    )
    return
  }
  for (let i = 0; i < parties.length; i++) {
    const channel: unknown = parties[i]
    const ids: unknown = sessionId[i]
    if (Array.isArray(channel) !== Array.isArray(ids)) {
      c.report(
        'should',
        `${at}/session_id/${i}`,
        'session-id-shape',
        'Each session_id entry has the shape of the parties entry at the same position (an array for an array).',
      )
    }
  }
}
