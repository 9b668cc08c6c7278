/**
 * @module Checks of one Dialog object (core draft §4.3), including the per-type rules (notes §a.4 matrix).
 * Index ranges are checked afterwards, in check-references.ts, once every array is known.
 */
import { DIALOG_TYPES, DISPOSITIONS, PARTY_EVENTS } from '../model/vocabulary.js'
import { checkContent, isEmptyObject, truncate } from './check-content.js'
import { checkDate, checkIndex, checkIndexOrIndices } from './check-fields.js'
import type { IssueCollector } from './issue.js'
import { isObject, isUnsignedInt } from './primitives.js'

const TRANSFER_FIELDS = [
  'transferee',
  'transferor',
  'transfer_target',
  'original',
  'consultation',
  'target_dialog',
] as const

/** Transfer roles that SHOULD be present on a transfer dialog (`consultation` is optional). */
const TRANSFER_EXPECTED = [
  'transferee',
  'transferor',
  'transfer_target',
  'original',
  'target_dialog',
] as const

/** Fields a transfer dialog MUST NOT carry (core draft §4.3.14). */
const NOT_ON_TRANSFER = ['parties', 'originator', 'mediatype', 'filename'] as const

const CONTENT_FIELDS = ['body', 'url'] as const

const STRING_FIELDS = ['application', 'message_id'] as const

const DIALOG_TYPE_SET: ReadonlySet<string> = new Set(DIALOG_TYPES)
const DISPOSITION_SET: ReadonlySet<unknown> = new Set(DISPOSITIONS)
const PARTY_EVENT_SET: ReadonlySet<unknown> = new Set(PARTY_EVENTS)

export function checkDialog(dialog: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(dialog)) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'A dialog must be an object ({} for an unknown or removed dialog).',
    )
    return
  }
  const type = dialog.type
  // An empty placeholder stands for a dialog that happened with nothing captured (core draft §4.3).
  if (type === undefined && isEmptyObject(dialog)) return
  if (type === undefined) {
    c.report(
      'strict',
      `${pointer}/type`,
      'missing-field',
      'A dialog needs a type (recording, recording-set, text, transfer or incomplete), or must be {} as a placeholder.',
    )
  } else if (typeof type !== 'string') {
    c.report('must', `${pointer}/type`, 'wrong-type', 'dialog type must be a string.')
  } else if (!DIALOG_TYPE_SET.has(type)) {
    c.report(
      'strict',
      `${pointer}/type`,
      'unknown-dialog-type',
      `dialog type "${truncate(type)}" is not registered; use recording, recording-set, text, transfer or incomplete.`,
    )
  }
  checkDate(dialog.start, pointer, 'start', c, 'strict')
  const { duration } = dialog
  if (duration !== undefined && (typeof duration !== 'number' || !(duration >= 0))) {
    c.report(
      'must',
      `${pointer}/duration`,
      'negative-number',
      'duration must be a number of seconds, 0 or more.',
    )
  }
  if (dialog.parties !== undefined) checkDialogParties(dialog.parties, pointer, c)
  checkIndex(dialog.originator, pointer, 'originator', c)
  if (dialog.application !== undefined || dialog.message_id !== undefined) {
    for (const key of STRING_FIELDS) {
      if (dialog[key] !== undefined && typeof dialog[key] !== 'string') {
        c.report('must', `${pointer}/${key}`, 'wrong-type', `${key} must be a string.`)
      }
    }
  }
  // Named reads first: keyed reads in a loop are slow, and most dialogs carry none of these fields.
  if (
    dialog.transferee !== undefined ||
    dialog.transferor !== undefined ||
    dialog.transfer_target !== undefined ||
    dialog.original !== undefined ||
    dialog.consultation !== undefined ||
    dialog.target_dialog !== undefined
  ) {
    for (const key of TRANSFER_FIELDS) {
      if (dialog[key] === undefined) continue
      checkIndexOrIndices(dialog[key], pointer, key, c)
      if (type !== 'transfer') {
        c.report(
          'must',
          `${pointer}/${key}`,
          'field-not-allowed',
          `${key} is only allowed on transfer dialogs.`,
        )
      }
    }
  }
  if (dialog.recordings !== undefined) {
    if (!Array.isArray(dialog.recordings)) {
      c.report(
        'must',
        `${pointer}/recordings`,
        'wrong-type',
        'recordings must be an array of dialog indices.',
      )
    } else {
      for (let i = 0; i < dialog.recordings.length; i++) {
        checkIndex(dialog.recordings[i], `${pointer}/recordings`, i, c)
      }
    }
  }
  checkIndex(dialog.recording_set, pointer, 'recording_set', c)
  if (dialog.session_id !== undefined) checkSessionId(dialog.session_id, `${pointer}/session_id`, c)
  if (dialog.party_history !== undefined) {
    checkPartyHistory(dialog.party_history, `${pointer}/party_history`, c)
  }
  const { disposition } = dialog
  if (disposition !== undefined && !DISPOSITION_SET.has(disposition)) {
    // On incomplete dialogs the enum is a MUST; elsewhere disposition should not appear at all, and real
    // recordings carry telephony values such as "ANSWERED", so it is only a warning there.
    c.report(
      type === 'incomplete' ? 'must' : 'should',
      `${pointer}/disposition`,
      'unknown-disposition',
      `disposition must be one of ${DISPOSITIONS.join(', ')}.`,
    )
  }
  // Inline content MUST carry a mediatype (core draft §4.3.5) where content is allowed at all.
  checkContent(dialog, pointer, c, type === 'recording' || type === 'text' || type === undefined)
  if (typeof type === 'string') checkTypeRules(dialog, type, pointer, c)
}

/** The per-dialog-type matrix (notes §a.4). */
function checkTypeRules(
  dialog: Record<string, unknown>,
  type: string,
  pointer: string,
  c: IssueCollector,
): void {
  const hasContent = dialog.body !== undefined || dialog.url !== undefined
  if (type !== 'incomplete' && dialog.disposition !== undefined) {
    c.report(
      'should',
      `${pointer}/disposition`,
      'disposition-unexpected',
      'Only incomplete dialogs carry a disposition; a voicemail with a message is a recording.',
    )
  }
  if (type !== 'recording-set' && dialog.recordings !== undefined) {
    c.report(
      'must',
      `${pointer}/recordings`,
      'field-not-allowed',
      'recordings is only allowed on recording-set dialogs.',
    )
  }
  if (type !== 'recording' && dialog.recording_set !== undefined) {
    c.report(
      'must',
      `${pointer}/recording_set`,
      'field-not-allowed',
      'recording_set is only allowed on recording dialogs.',
    )
  }
  switch (type) {
    case 'recording':
    case 'text':
      if (!hasContent && dialog.content_hash === undefined) {
        // Redacted dialogs may lose body and url but keep content_hash (core draft §4.1.8).
        c.report(
          'should',
          pointer,
          'missing-content',
          `A ${type} dialog should carry its content inline (body) or by reference (url + content_hash).`,
        )
      }
      return
    case 'incomplete':
      forbidContent(dialog, pointer, c, type)
      if (dialog.disposition === undefined) {
        c.report(
          'must',
          `${pointer}/disposition`,
          'disposition-required',
          `An incomplete dialog must say why in disposition: one of ${DISPOSITIONS.join(', ')}.`,
        )
      }
      return
    case 'transfer':
      forbidContent(dialog, pointer, c, type)
      for (const key of NOT_ON_TRANSFER) {
        if (dialog[key] !== undefined) {
          c.report(
            'must',
            `${pointer}/${key}`,
            'field-not-allowed',
            `A transfer dialog must not carry ${key}; the roles are given by transferee, transferor and transfer_target.`,
          )
        }
      }
      for (const key of TRANSFER_EXPECTED) {
        if (dialog[key] === undefined) {
          c.report(
            'should',
            `${pointer}/${key}`,
            'transfer-field-missing',
            `A transfer dialog should give ${key}; use the index of an empty {} dialog for an unknown leg.`,
          )
        }
      }
      return
    case 'recording-set':
      forbidContent(dialog, pointer, c, type)
      if (dialog.recordings === undefined) {
        c.report(
          'must',
          `${pointer}/recordings`,
          'recordings-required',
          'A recording-set dialog must list the indices of its recording dialogs in recordings.',
        )
      }
      return
  }
}

function forbidContent(
  dialog: Record<string, unknown>,
  pointer: string,
  c: IssueCollector,
  type: string,
): void {
  for (const key of CONTENT_FIELDS) {
    if (dialog[key] !== undefined) {
      c.report(
        'must',
        `${pointer}/${key}`,
        'content-not-allowed',
        `A ${type} dialog must not carry content (${key}); put media in recording or text dialogs.`,
      )
    }
  }
}

/** `parties`: an index, or an array of channels, each an index, an index array or null (core-03). */
function checkDialogParties(value: unknown, base: string, c: IssueCollector): void {
  if (isUnsignedInt(value)) return
  const pointer = `${base}/parties`
  if (!Array.isArray(value)) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'dialog parties must be a party index or an array of indices (one per channel).',
    )
    return
  }
  for (let i = 0; i < value.length; i++) {
    const channel: unknown = value[i]
    if (channel === null || isUnsignedInt(channel)) continue
    if (Array.isArray(channel)) {
      for (let j = 0; j < channel.length; j++) {
        if (!isUnsignedInt(channel[j])) {
          c.report(
            'must',
            `${pointer}/${i}/${j}`,
            'negative-number',
            'A party index must be an integer ≥ 0.',
          )
        }
      }
      continue
    }
    c.report(
      'must',
      `${pointer}/${i}`,
      'wrong-type',
      'Each channel of dialog parties must be a party index, an array of indices, or null for an unused channel.',
    )
  }
}

function checkSessionId(value: unknown, pointer: string, c: IssueCollector): void {
  if (isObject(value)) {
    checkSessionIdObject(value, pointer, c)
    return
  }
  if (!Array.isArray(value)) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'session_id must be an object {local, remote} or an array mirroring parties.',
    )
    return
  }
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i]
    if (Array.isArray(entry)) {
      for (let j = 0; j < entry.length; j++)
        checkSessionIdObject(entry[j], `${pointer}/${i}/${j}`, c)
    } else checkSessionIdObject(entry, `${pointer}/${i}`, c)
  }
}

function checkSessionIdObject(value: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(value)) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'A session_id entry must be an object {local, remote} ({} when the party has none).',
    )
    return
  }
  for (const key of ['local', 'remote'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      c.report(
        'must',
        `${pointer}/${key}`,
        'wrong-type',
        `session_id ${key} must be a string (RFC 7989).`,
      )
    }
  }
}

function checkPartyHistory(value: unknown, pointer: string, c: IssueCollector): void {
  if (!Array.isArray(value)) {
    c.report('must', pointer, 'wrong-type', 'party_history must be an array of events.')
    return
  }
  for (let i = 0; i < value.length; i++) {
    const at = `${pointer}/${i}`
    const entry: unknown = value[i]
    if (!isObject(entry)) {
      c.report(
        'must',
        at,
        'wrong-type',
        'A party_history entry must be an object {party, time, event}.',
      )
      continue
    }
    if (entry.party === undefined) {
      c.report(
        'must',
        `${at}/party`,
        'missing-field',
        'A party_history entry needs the party index.',
      )
    } else checkIndex(entry.party, at, 'party', c)
    checkDate(entry.time, at, 'time', c, 'must')
    const { event } = entry
    if (event === undefined) {
      c.report('must', `${at}/event`, 'missing-field', 'A party_history entry needs an event.')
    } else if (!PARTY_EVENT_SET.has(event)) {
      c.report(
        'must',
        `${at}/event`,
        'unknown-party-event',
        `party_history event must be one of ${PARTY_EVENTS.join(', ')}.`,
      )
    } else if ((event === 'keydown' || event === 'keyup') && typeof entry.button !== 'string') {
      c.report(
        'must',
        `${at}/button`,
        'button-required',
        `A ${event} event must name the key pressed in button (a DTMF digit or label).`,
      )
    }
  }
}
