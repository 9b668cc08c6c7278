/**
 * @module The `tag` step: sets tags in the vCon's tags attachment, the way the Conserver keeps them (purpose
 * "tags", encoding "json", a body of "key:value" strings). Idempotent: a tag already set to the same value is
 * not added again, and when every tag is already there the vCon is returned unchanged.
 */
import { type Attachment, getTags, type Vcon } from '@vconkit/vcon'
import { checkKeys, optionError } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

/** Options of the tag step. */
export interface TagStepOptions {
  /**
   * The tags to set: an object of names to values (`{ category: 'sales' }`) or a list of "name:value" strings
   * (`['category:sales', 'reviewed']`; a string without ":" is a tag with an empty value).
   */
  readonly tags: Readonly<Record<string, string>>
}

const KEYS = ['tags'] as const

function checkName(name: string, key: string): void {
  if (name === '' || name.includes(':')) {
    throw optionError(
      key,
      `holds the tag name ${JSON.stringify(name)}; a tag name is non-empty and has no ":"`,
    )
  }
}

/** Reads and checks the options. */
export function readTagOptions(options: Readonly<Record<string, unknown>>): TagStepOptions {
  checkKeys('tag', options, KEYS)
  const raw = options.tags
  const tags: Record<string, string> = Object.create(null) as Record<string, string>
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, i) => {
      if (typeof item !== 'string') throw optionError(`tags[${i}]`, 'must be a "name:value" string')
      const colon = item.indexOf(':')
      const name = colon === -1 ? item : item.slice(0, colon)
      checkName(name, `tags[${i}]`)
      tags[name] = colon === -1 ? '' : item.slice(colon + 1)
    })
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [name, value] of Object.entries(raw)) {
      checkName(name, `tags.${name}`)
      if (typeof value !== 'string') throw optionError(`tags.${name}`, 'must be a string value')
      tags[name] = value
    }
  } else {
    throw optionError(
      'tags',
      'is required: an object of tag names to values, or a list of "name:value" strings',
    )
  }
  if (Object.keys(tags).length === 0) throw optionError('tags', 'must name at least one tag')
  return { tags: { ...tags } }
}

function isTags(a: unknown): boolean {
  if (typeof a !== 'object' || a === null) return false
  const r = a as Record<string, unknown>
  return r.purpose === 'tags' || r.type === 'tags'
}

/**
 * The vCon with `tags` set, or undefined when every tag already has that value. The last tags attachment
 * is the one written, because readers merge tags attachments in order and the last one wins.
 */
export function withTags(
  vcon: Vcon,
  tags: Readonly<Record<string, string>>,
  now: number,
): Vcon | undefined {
  const current = getTags(vcon)
  const missing = Object.entries(tags).filter(
    ([k, v]) => !Object.hasOwn(current, k) || current[k] !== v,
  )
  if (missing.length === 0) return undefined
  const attachments = vcon.attachments ?? []
  let index = -1
  attachments.forEach((a, i) => {
    if (isTags(a)) index = i
  })
  const base: Attachment =
    index === -1
      ? {
          purpose: 'tags',
          // start, party and dialog are required by core-03 (§4.4); the vCon's own time and first
          // party and dialog are the best this step knows.
          start: vcon.created_at ?? new Date(now).toISOString(),
          ...((vcon.parties?.length ?? 0) > 0 ? { party: 0 } : {}),
          ...((vcon.dialog?.length ?? 0) > 0 ? { dialog: 0 } : {}),
        }
      : (attachments[index] as Attachment)
  // The attachment's own tags (legacy bodies are read: object, stringified JSON), then the new ones.
  const own = new Map(Object.entries(getTags({ attachments: [base] })))
  for (const [k, v] of missing) own.set(k, v)
  const updated: Attachment = {
    ...base,
    ...(base.purpose === undefined ? { purpose: 'tags' } : {}),
    encoding: 'json',
    body: Array.from(own, ([k, v]) => `${k}:${v}`),
  }
  const next =
    index === -1
      ? [...attachments, updated]
      : attachments.map((a, i) => (i === index ? updated : a))
  return { ...vcon, attachments: next }
}

export const tagStepFactory: StepFactory = {
  type: 'tag',
  create(name, raw) {
    const options = readTagOptions(raw)
    return {
      name,
      type: 'tag',
      async run(vcon, ctx) {
        const next = withTags(vcon, options.tags, ctx.now())
        return next === undefined
          ? { kind: 'continue', vcon, changed: false }
          : { kind: 'continue', vcon: next, changed: true }
      },
    }
  },
}
