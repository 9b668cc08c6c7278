/**
 * @module Removes whole array elements for a redaction. A removed dialog, analysis or attachment becomes an
 * empty `{}` placeholder, so that every index into the array stays valid (core draft §4.1.8).
 */
import { VconError } from '../errors/vcon-error.js'
import type { AnalysisSelector, AttachmentSelector } from './redaction-policy.js'

type Obj = Record<string, unknown>

function indices(value: unknown): number[] {
  if (typeof value === 'number') return [value]
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number')
  return []
}

function checkRange(list: readonly number[], length: number, field: string): void {
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= length) {
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `Redaction policy: \`${field}\` names index ${i}, but the vCon has ${length} ${field === 'dialogs' ? 'dialogs' : 'entries'} there; fix the index.`,
      )
    }
  }
}

/** Replaces the listed elements by `{}` in place; returns the indices actually emptied (placeholders skipped). */
function empty(items: Obj[], which: ReadonlySet<number>): number[] {
  const done: number[] = []
  items.forEach((item, i) => {
    if (which.has(i) && Object.keys(item).length > 0) {
      items[i] = {}
      done.push(i)
    }
  })
  return done
}

/** Empties the listed dialogs. */
export function dropDialogs(dialogs: Obj[], list: readonly number[]): number[] {
  checkRange(list, dialogs.length, 'dialogs')
  return empty(dialogs, new Set(list))
}

/** Empties the attachments chosen by index or by purpose (the legacy `type` also counts as purpose). */
export function dropAttachments(attachments: Obj[], selector: AttachmentSelector): number[] {
  if (Array.isArray(selector)) {
    const list = selector as readonly number[]
    checkRange(list, attachments.length, 'dropAttachments')
    return empty(attachments, new Set(list))
  }
  const purposes = new Set((selector as { purposes: readonly string[] }).purposes)
  const which = new Set<number>()
  attachments.forEach((a, i) => {
    const purpose = typeof a.purpose === 'string' ? a.purpose : a.type
    if (typeof purpose === 'string' && purposes.has(purpose)) which.add(i)
  })
  return empty(attachments, which)
}

/** Empties the analyses chosen by index or by type. */
export function dropAnalyses(analyses: Obj[], selector: AnalysisSelector): number[] {
  if (Array.isArray(selector)) {
    const list = selector as readonly number[]
    checkRange(list, analyses.length, 'dropAnalyses')
    return empty(analyses, new Set(list))
  }
  const types = new Set((selector as { types: readonly string[] }).types)
  const which = new Set<number>()
  analyses.forEach((a, i) => {
    if (typeof a.type === 'string' && types.has(a.type)) which.add(i)
  })
  return empty(analyses, which)
}

/**
 * Empties the analyses derived only from removed content: every dialog and attachment they cite is removed. A
 * transcript of a removed dialog would otherwise repeat the dialog word for word.
 */
export function dropDerivedAnalyses(
  analyses: Obj[],
  droppedDialogs: ReadonlySet<number>,
  droppedAttachments: ReadonlySet<number>,
): number[] {
  const which = new Set<number>()
  analyses.forEach((a, i) => {
    const dialogs = indices(a.dialog)
    const attachments = indices(a.attachment)
    if (dialogs.length + attachments.length === 0) return
    const allGone =
      dialogs.every((d) => droppedDialogs.has(d)) &&
      attachments.every((x) => droppedAttachments.has(x))
    if (allGone) which.add(i)
  })
  return empty(analyses, which)
}

/** Removes the listed fields from every party; returns how many of each were removed. */
export function dropPartyFields(parties: Obj[], fields: readonly string[]): Record<string, number> {
  const removed: Record<string, number> = {}
  for (const party of parties) {
    for (const field of fields) {
      if (Object.hasOwn(party, field)) {
        delete party[field]
        removed[field] = (removed[field] ?? 0) + 1
      }
    }
  }
  return removed
}

/** True for content that is audio or video (what `dropMedia` removes). */
function isMedia(dialog: Obj): boolean {
  if (dialog.type === 'recording') return true
  return typeof dialog.mediatype === 'string' && /^\s*(?:audio|video)\//i.test(dialog.mediatype)
}

/**
 * Removes `body`, `encoding` and `url` of recordings, keeping `content_hash`, `mediatype` and `filename` as the
 * draft's redacted example does: the hash still identifies the media for readers allowed to fetch it.
 */
export function dropMedia(dialogs: Obj[]): number[] {
  const done: number[] = []
  dialogs.forEach((d, i) => {
    if (!isMedia(d) || (d.body === undefined && d.url === undefined)) return
    delete d.body
    delete d.encoding
    delete d.url
    done.push(i)
  })
  return done
}
