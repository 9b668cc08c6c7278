/**
 * @module The three places a vCon carries content, inline or by reference (core draft §2.4.1 and §2.4.2):
 * dialog, attachments and analysis, and how pack and unpack choose among them.
 */
import { VconError } from '../errors/vcon-error.js'
import type { Vcon } from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'

/** A top-level array whose objects carry content fields. */
export type ContentSection = 'dialog' | 'attachments' | 'analysis'

/** Which sections pack or unpack touches. */
export type ContentSectionFilter = ContentSection | 'all'

const ALL: readonly ContentSection[] = ['dialog', 'attachments', 'analysis']

/** The sections `only` selects (all three when absent). */
export function selectedSections(
  only: ContentSectionFilter | undefined,
): readonly ContentSection[] {
  if (only === undefined || only === 'all') return ALL
  if (!ALL.includes(only)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `only must be one of dialog, attachments, analysis, all; got ${String(only)}`,
    )
  }
  return [only]
}

/** One object of a content section, with where it sits. */
export interface ContentItem {
  readonly section: ContentSection
  readonly index: number
  readonly pointer: string
  readonly item: Readonly<Record<string, unknown>>
}

/** Every object in the selected sections, in document order. Non-objects (malformed entries) are skipped. */
export function contentItems(vcon: Vcon, sections: readonly ContentSection[]): ContentItem[] {
  const out: ContentItem[] = []
  for (const section of sections) {
    const list: unknown = vcon[section]
    if (!Array.isArray(list)) continue
    list.forEach((item: unknown, index) => {
      if (isObject(item)) out.push({ section, index, pointer: `/${section}/${index}`, item })
    })
  }
  return out
}

/**
 * A new vCon with some items replaced, sharing everything else with the input (which stays untouched): new
 * top-level object, new arrays for the sections that changed, the replacement objects.
 */
export function replaceItems(
  vcon: Vcon,
  replacements: readonly {
    readonly section: ContentSection
    readonly index: number
    readonly item: object
  }[],
): Vcon {
  if (replacements.length === 0) return { ...vcon }
  const out: Record<string, unknown> = { ...vcon }
  for (const r of replacements) {
    const current = out[r.section]
    // Copy each section array once, the first time one of its items is replaced.
    const copied = current === vcon[r.section] ? [...(current as readonly unknown[])] : current
    ;(copied as unknown[])[r.index] = r.item
    out[r.section] = copied
  }
  return out as Vcon
}
