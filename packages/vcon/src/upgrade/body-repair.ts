/**
 * @module Makes inline content consistent with its encoding (core draft §2.4.1; notes §d.2 "non-spec legacy
 * shapes", §g.4, §g.5): infers a missing encoding, turns `none` on a native JSON body into `json`, and re-spells
 * padded or standard base64 as unpadded base64url. Bodies are never decoded or re-serialised.
 */
import { pointerJoin } from '../validate/issue.js'
import { toBase64url } from './base64-repair.js'
import { getOwn, hasOwn, type JsonObject, withKey } from './object-edit.js'
import type { RepairLog } from './upgrade-step.js'

/** Spellings of the three encodings seen in legacy files, mapped to the draft's names. */
const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  base64url: 'base64url',
  base64: 'base64url',
  json: 'json',
  none: 'none',
}

/** File extensions of media that is never text, for content with no mediatype (notes §a.8 tolerance). */
const BINARY_EXTENSIONS = new Set([
  'wav',
  'mp3',
  'mp4',
  'm4a',
  'aac',
  'ogg',
  'oga',
  'opus',
  'flac',
  'amr',
  'webm',
  'mkv',
  'mov',
  'avi',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'tif',
  'tiff',
  'bmp',
  'heic',
  'pdf',
  'zip',
  'gz',
  'cbor',
])

/** Application subtypes that are text (so a string body is taken as is). */
function isTextApplication(subtype: string): boolean {
  return (
    subtype === 'json' ||
    subtype === 'xml' ||
    subtype.endsWith('+json') ||
    subtype.endsWith('+xml') ||
    subtype === 'javascript' ||
    subtype === 'sdp' ||
    subtype === 'x-www-form-urlencoded'
  )
}

/** True when the content's mediatype (or, lacking one, its filename) names binary media. */
export function isBinaryContent(entry: Readonly<JsonObject>): boolean {
  const mediatype = getOwn(entry, 'mediatype')
  if (typeof mediatype === 'string') {
    const essence = (mediatype.split(';')[0] ?? '').trim().toLowerCase()
    const [type = '', subtype = ''] = essence.split('/')
    if (['audio', 'video', 'image', 'font', 'model'].includes(type)) return true
    return type === 'application' && !isTextApplication(subtype)
  }
  const filename = getOwn(entry, 'filename')
  if (typeof filename !== 'string' || !filename.includes('.')) return false
  return BINARY_EXTENSIONS.has(filename.slice(filename.lastIndexOf('.') + 1).toLowerCase())
}

/** Describes a body's type for messages. */
function describe(body: unknown): string {
  if (body === null) return 'null'
  return Array.isArray(body)
    ? 'an array'
    : typeof body === 'object'
      ? 'an object'
      : `a ${typeof body}`
}

/** Adds the encoding a body without one must have (core draft §2.4.1: required for a non-empty body). */
function inferEncoding(
  entry: Readonly<JsonObject>,
  pointer: string,
  body: unknown,
  log: RepairLog,
): Readonly<JsonObject> {
  const at = pointerJoin(pointer, 'encoding')
  if (typeof body !== 'string') {
    log.warn(
      'inferred-encoding',
      at,
      `set encoding to json: the body is ${describe(body)}, not a string`,
    )
    return withKey(entry, 'encoding', 'json')
  }
  if (body === '') return entry
  if (isBinaryContent(entry)) {
    const respelled = toBase64url(body)
    if (respelled !== undefined) {
      log.warn(
        'inferred-encoding',
        at,
        'set encoding to base64url: binary media with a base64 body',
      )
      const out = withKey(entry, 'encoding', 'base64url')
      return respelled === body ? out : respell(out, pointer, respelled, log)
    }
    log.warn(
      'inferred-encoding',
      at,
      'set encoding to none: binary media, but the body is not base64',
    )
    return withKey(entry, 'encoding', 'none')
  }
  log.warn('inferred-encoding', at, 'set encoding to none: the body is text')
  return withKey(entry, 'encoding', 'none')
}

/** Replaces a base64 body with its unpadded base64url spelling. */
function respell(
  entry: Readonly<JsonObject>,
  pointer: string,
  respelled: string,
  log: RepairLog,
): Readonly<JsonObject> {
  log.warn(
    'repaired-body',
    pointerJoin(pointer, 'body'),
    're-spelled the body as unpadded base64url (it had padding, line breaks or standard base64 characters)',
  )
  return withKey(entry, 'body', respelled)
}

/**
 * Repairs the inline content of one dialog, attachment or analysis entry at `pointer`. Returns `entry` itself
 * when it is already consistent. `encoding: "jwe"` (agent_session extension, notes §e.5) is left alone, and so
 * is any other unknown encoding (the validator reports it).
 */
export function repairContent(
  entry: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  if (!hasOwn(entry, 'body')) return entry
  const body = getOwn(entry, 'body')
  const given = getOwn(entry, 'encoding')
  if (given === undefined || given === null) return inferEncoding(entry, pointer, body, log)
  if (typeof given !== 'string') return entry
  const canonical = ENCODING_ALIASES[given.trim().toLowerCase()]
  if (canonical === undefined) return entry
  // Old vcon-lib wrote native objects with "none" (notes §d.2); only "json" may carry a non-string body.
  const nonString = canonical !== 'json' && typeof body !== 'string'
  const target = nonString ? 'json' : canonical
  let out = entry
  if (target !== given) {
    const why = nonString ? `: the body is ${describe(body)}, not a string` : ''
    log.warn(
      'inferred-encoding',
      pointerJoin(pointer, 'encoding'),
      `set encoding "${given}" to ${target}${why}`,
    )
    out = withKey(out, 'encoding', target)
  }
  // With "json", a string body is kept as given (read as JSON text or as a string, notes §g.5) and never
  // re-serialised, so that hashes and signatures over it stay valid.
  if (target === 'base64url' && typeof body === 'string') {
    const respelled = toBase64url(body)
    if (respelled !== undefined && respelled !== body) return respell(out, pointer, respelled, log)
  }
  return out
}
