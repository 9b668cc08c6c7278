/**
 * @module Test support for the upgrader: finds legacy names left at their structural places and bodies that
 * disagree with their encoding (the two corpus promises of the upgrade issue), and resolves JSON pointers.
 */
import { isBase64url, isObject } from '../../src/validate/primitives.js'

type Obj = Record<string, unknown>

const own = (obj: Obj, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined)

function objectsIn(vcon: Obj, key: string): [Obj, string][] {
  const arr = own(vcon, key)
  if (!Array.isArray(arr)) return []
  return arr.flatMap((item, i): [Obj, string][] => (isObject(item) ? [[item, `/${key}/${i}`]] : []))
}

function hasHashPair(obj: Obj): boolean {
  return Object.hasOwn(obj, 'alg') && Object.hasOwn(obj, 'signature')
}

function containsString(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.some(containsString))
}

/** Pointers of every legacy name (or legacy shape) still present where the 0.4.0 model has a field. */
export function legacyNamesLeft(vcon: Obj): string[] {
  const found: string[] = []
  for (const key of ['appended', 'must_support', 'must_understand']) {
    if (Object.hasOwn(vcon, key)) found.push(`/${key}`)
  }
  for (const key of ['redacted', 'amended']) {
    const obj = own(vcon, key)
    if (isObject(obj) && hasHashPair(obj)) found.push(`/${key}/alg`)
  }
  for (const [entry, at] of objectsIn(vcon, 'group'))
    if (hasHashPair(entry)) found.push(`${at}/alg`)
  for (const key of ['dialog', 'attachments', 'analysis']) {
    for (const [entry, at] of objectsIn(vcon, key)) {
      if (Object.hasOwn(entry, 'mimetype')) found.push(`${at}/mimetype`)
      if (hasHashPair(entry)) found.push(`${at}/alg`)
      if (key !== 'dialog' && Object.hasOwn(entry, 'schema_version'))
        found.push(`${at}/schema_version`)
    }
  }
  for (const [dialog, at] of objectsIn(vcon, 'dialog')) {
    for (const key of ['transfer-target', 'target-dialog']) {
      if (Object.hasOwn(dialog, key)) found.push(`${at}/${key}`)
    }
    if (containsString(own(dialog, 'session_id'))) found.push(`${at}/session_id`)
    for (const [entry, hat] of objectsIn(dialog, 'party_history').map(([e, p]): [Obj, string] => [
      e,
      at + p,
    ])) {
      const event = own(entry, 'event')
      if (event === 'dtmfdown' || event === 'dtmfup') found.push(`${hat}/event`)
      if (Object.hasOwn(entry, 'dtmf')) found.push(`${hat}/dtmf`)
    }
  }
  for (const [attachment, at] of objectsIn(vcon, 'attachments')) {
    if (Object.hasOwn(attachment, 'type') && !Object.hasOwn(attachment, 'purpose')) {
      found.push(`${at}/type`)
    }
  }
  return found
}

/** Pointers of bodies whose type or spelling disagrees with their encoding (core draft §2.4.1). */
export function inconsistentBodies(vcon: Obj): string[] {
  const found: string[] = []
  for (const key of ['dialog', 'attachments', 'analysis']) {
    for (const [entry, at] of objectsIn(vcon, key)) {
      if (!Object.hasOwn(entry, 'body')) continue
      const body = own(entry, 'body')
      const encoding = own(entry, 'encoding')
      const ok =
        encoding === 'jwe' ||
        encoding === 'json' ||
        (encoding === 'none' && typeof body === 'string') ||
        (encoding === 'base64url' && typeof body === 'string' && isBase64url(body)) ||
        (encoding === undefined && body === '')
      if (!ok) found.push(`${at}/body`)
    }
  }
  return found
}

/** Resolves an RFC 6901 pointer in `root`, or returns undefined when a segment is missing. */
export function resolvePointer(root: unknown, pointer: string): { value: unknown } | undefined {
  if (pointer === '') return { value: root }
  let current: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current)) {
      const index = Number(key)
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return undefined
      current = current[index]
    } else if (isObject(current) && Object.hasOwn(current, key)) {
      current = current[key]
    } else {
      return undefined
    }
  }
  return { value: current }
}

/** The pointer of the parent of `pointer` ('' for a top-level field). */
export function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'))
}
