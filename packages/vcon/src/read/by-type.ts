/**
 * @module Selecting dialogs, analyses and attachments by kind, keeping each item's index (indices are how
 * vCon objects refer to each other, core draft §2.3).
 */
import type { Analysis, Attachment, Dialog } from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'

/** A dialog with its index in `dialog`. */
export interface DialogMatch {
  readonly index: number
  readonly dialog: Dialog
}

/** An analysis with its index in `analysis`. */
export interface AnalysisMatch {
  readonly index: number
  readonly analysis: Analysis
}

/** An attachment with its index in `attachments`. */
export interface AttachmentMatch {
  readonly index: number
  readonly attachment: Attachment
}

function select<T>(
  list: unknown,
  keep: (item: Record<string, unknown>) => boolean,
  wrap: (index: number, item: Record<string, unknown>) => T,
): T[] {
  if (!Array.isArray(list)) return []
  const out: T[] = []
  list.forEach((item: unknown, index: number) => {
    if (isObject(item) && keep(item)) out.push(wrap(index, item))
  })
  return out
}

/** Dialogs of one type (e.g. "recording", "text"), in array order. */
export function dialogsByType(
  vcon: Readonly<Record<string, unknown>>,
  type: string,
): DialogMatch[] {
  return select(
    vcon.dialog,
    (d) => d.type === type,
    (index, d) => ({ index, dialog: d as Dialog }),
  )
}

/** Analyses of one type (e.g. "transcript", "summary"), in array order. */
export function analysesByType(
  vcon: Readonly<Record<string, unknown>>,
  type: string,
): AnalysisMatch[] {
  return select(
    vcon.analysis,
    (a) => a.type === type,
    (index, a) => ({ index, analysis: a as unknown as Analysis }),
  )
}

/**
 * Attachments with this `purpose`, or with the legacy `type` of that name when they have no purpose or a
 * different one (notes §g.2: lawful_basis and tags are often found by `type`).
 */
export function attachmentsByPurpose(
  vcon: Readonly<Record<string, unknown>>,
  purpose: string,
): AttachmentMatch[] {
  return select(
    vcon.attachments,
    (a) => a.purpose === purpose || a.type === purpose,
    (index, a) => ({ index, attachment: a as Attachment }),
  )
}
