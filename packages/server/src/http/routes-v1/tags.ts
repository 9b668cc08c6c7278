/**
 * @module Tags of a stored vCon, kept the way the Conserver keeps them: an attachment with purpose "tags",
 * encoding "json" and a body of "key:value" strings. `POST /v1/vcons/{uuid}/tags` merges the given tags into the
 * existing ones, `PUT` replaces them all. Readers merge tags attachments in order (later wins), so the complete
 * set is written into the LAST tags attachment; on replace, earlier ones are emptied rather than removed, so no
 * attachment index that something else points at moves.
 */
import { getTags } from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import { readJsonBody } from '../json-body.js'
import { pathUuid } from '../path-uuid.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { editStored } from './edit-stored.js'

function isTags(a: unknown): boolean {
  if (typeof a !== 'object' || a === null) return false
  const r = a as Record<string, unknown>
  return r.purpose === 'tags' || r.type === 'tags'
}

/** Reads `{ "name": "value" }` or `["name:value", "flag"]` into a plain map (400 on anything else). */
export function readTagsInput(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {}
  const bad = (what: string) =>
    new ServerError(
      'BAD_REQUEST',
      `Tags are an object of names to string values, or a list of "name:value" strings; ${what}.`,
    )
  const set = (name: string, tagValue: string) => {
    if (name === '' || name.includes(':') || name.length > 200) {
      throw bad(`the name ${JSON.stringify(name.slice(0, 50))} is empty, too long or has ":"`)
    }
    if (tagValue.length > 2000) throw bad(`the value of ${name} is over 2000 characters`)
    Object.defineProperty(tags, name, { value: tagValue, enumerable: true, writable: true })
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') throw bad('the list holds a value that is not a string')
      const colon = item.indexOf(':')
      set(colon === -1 ? item : item.slice(0, colon), colon === -1 ? '' : item.slice(colon + 1))
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, tagValue] of Object.entries(value)) {
      if (typeof tagValue !== 'string') throw bad(`the value of ${name} is not a string`)
      set(name, tagValue)
    }
  } else throw bad('the body is neither')
  if (Object.keys(tags).length > 1000) throw bad('more than 1000 tags were given')
  return tags
}

/** The vCon with its tags set to `tags` (replace) or merged with them. Does not mutate `vcon`. */
export function withTags(
  vcon: Readonly<Record<string, unknown>>,
  tags: Readonly<Record<string, string>>,
  replace: boolean,
  now: string,
): { vcon: Record<string, unknown>; tags: Record<string, string> } {
  const final: Record<string, string> = replace ? { ...tags } : { ...getTags(vcon), ...tags }
  const body = Object.entries(final).map(([k, v]) => `${k}:${v}`)
  const attachments = Array.isArray(vcon.attachments) ? [...(vcon.attachments as unknown[])] : []
  let last = -1
  attachments.forEach((a, i) => {
    if (isTags(a)) last = i
  })
  if (last === -1) {
    const parties = Array.isArray(vcon.parties) ? vcon.parties.length : 0
    const dialogs = Array.isArray(vcon.dialog) ? vcon.dialog.length : 0
    attachments.push({
      purpose: 'tags',
      // start, party and dialog are required by core draft §4.4; the vCon's own time and its first party and
      // dialog are the best available.
      start: typeof vcon.created_at === 'string' ? vcon.created_at : now,
      ...(parties > 0 ? { party: 0 } : {}),
      ...(dialogs > 0 ? { dialog: 0 } : {}),
      mediatype: 'application/json',
      encoding: 'json',
      body,
    })
  } else {
    attachments.forEach((a, i) => {
      if (!isTags(a)) return
      const att = a as Record<string, unknown>
      if (i === last) attachments[i] = { ...att, encoding: 'json', body }
      else if (replace) attachments[i] = { ...att, encoding: 'json', body: [] }
    })
  }
  return { vcon: { ...vcon, attachments, updated_at: now }, tags: final }
}

function editTags(replace: boolean) {
  return async (rc: RequestContext): Promise<void> => {
    const uuid = pathUuid(rc)
    const input = readTagsInput(await readJsonBody(rc.req, rc.app.config.limits.maxBodyBytes))
    const { result, version } = await editStored(rc, uuid, (vcon, now) => {
      const next = withTags(vcon, input, replace, now)
      return { vcon: next.vcon, result: next.tags }
    })
    sendJson(rc.res, 200, { uuid, tags: result, version }, { etag: `"${version}"` })
  }
}

async function readTags(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const stored = await rc.services.store.get(uuid)
  if (stored === undefined)
    throw new ServerError('NOT_FOUND', `No vCon with uuid ${uuid} is stored.`)
  const vcon: unknown = JSON.parse(stored.json)
  const tags =
    typeof vcon === 'object' && vcon !== null ? getTags(vcon as Record<string, unknown>) : {}
  sendJson(rc.res, 200, { uuid, tags, version: stored.version }, { etag: `"${stored.version}"` })
}

export const tagRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/vcons/{uuid}/tags', access: 'read', handle: readTags },
  { method: 'POST', path: '/v1/vcons/{uuid}/tags', access: 'admin', handle: editTags(false) },
  { method: 'PUT', path: '/v1/vcons/{uuid}/tags', access: 'admin', handle: editTags(true) },
]
