/**
 * @module Tags as the Conserver keeps them: an attachment with purpose (or legacy type) "tags", encoding
 * "json", and a body that is an array of "key:value" strings. Readers also accept an object body and a body
 * that is a JSON string of either (legacy files store it stringified, often with no encoding).
 */
import { isObject } from '../validate/primitives.js'

/** The purpose (and legacy attachment type) of the tags attachment. */
export const TAGS_PURPOSE = 'tags'

/** True for an attachment that holds tags, by `purpose` or the legacy `type` (notes §g.2). */
export function isTagsAttachment(attachment: unknown): attachment is Record<string, unknown> {
  return (
    isObject(attachment) &&
    (attachment.purpose === TAGS_PURPOSE || attachment.type === TAGS_PURPOSE)
  )
}

function tagValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * Reads the tags of one body into `into` (later keys win). A "key:value" string splits at its first colon; a
 * string without a colon is a key with the empty value. Returns false when the body has no tags shape.
 */
export function readTagsBody(body: unknown, into: Map<string, string>): boolean {
  let value = body
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return false
    try {
      value = JSON.parse(trimmed)
    } catch {
      return false
    }
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') continue
      const colon = item.indexOf(':')
      if (colon === -1) into.set(item, '')
      else into.set(item.slice(0, colon), item.slice(colon + 1))
    }
    return true
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) into.set(key, tagValue(value[key]))
    return true
  }
  return false
}

/** Writes tags the way the Conserver does: an array of "key:value" strings, in map order. */
export function tagsToBody(tags: ReadonlyMap<string, string>): string[] {
  return Array.from(tags, ([key, value]) => `${key}:${value}`)
}

/**
 * Every tag of a vCon as a plain object, merged over all tags attachments in array order (later wins).
 * Tolerates legacy shapes: `type` instead of `purpose`, stringified bodies, missing encoding.
 */
export function getTags(vcon: Readonly<Record<string, unknown>>): Record<string, string> {
  const tags = new Map<string, string>()
  const attachments = vcon.attachments
  if (Array.isArray(attachments)) {
    for (const attachment of attachments) {
      if (isTagsAttachment(attachment)) readTagsBody(attachment.body, tags)
    }
  }
  // fromEntries defines own properties, so a tag named "__proto__" stays an ordinary key.
  return Object.fromEntries(tags)
}
