/**
 * @module Checks of one Attachment object (core draft §4.4).
 */
import { checkContent } from './check-content.js'
import { checkDate, checkIndex } from './check-fields.js'
import type { IssueCollector } from './issue.js'
import { isObject } from './primitives.js'

export function checkAttachment(attachment: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(attachment)) {
    c.report('must', pointer, 'wrong-type', 'An attachment must be an object.')
    return
  }
  // An empty placeholder keeps later indices stable after a redaction removed the entry (core draft §4.1.8).
  if (Object.keys(attachment).length === 0) return
  if (attachment.purpose !== undefined && typeof attachment.purpose !== 'string') {
    c.report('must', `${pointer}/purpose`, 'wrong-type', 'attachment purpose must be a string.')
  }
  // start, party and dialog are required by the draft but missing from most real attachments (tags,
  // lawful_basis, metadata), hence errors in strict mode only (notes §a.6).
  checkDate(attachment.start, pointer, 'start', c, 'strict')
  if (attachment.party === undefined) {
    c.report(
      'strict',
      `${pointer}/party`,
      'missing-field',
      'An attachment must give the index of the party that distributed it in party (core draft §4.4.3).',
    )
  } else checkIndex(attachment.party, pointer, 'party', c)
  if (attachment.dialog === undefined) {
    c.report(
      'strict',
      `${pointer}/dialog`,
      'missing-field',
      'An attachment must give the index of the dialog it belongs to in dialog (core draft §4.4.4).',
    )
  } else checkIndex(attachment.dialog, pointer, 'dialog', c)
  checkContent(attachment, pointer, c, false)
}
