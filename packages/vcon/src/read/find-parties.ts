/**
 * @module Party lookup by address or name (core draft §4.2), comparing the forms people actually write:
 * tel with or without `tel:` and punctuation, mailto with or without `mailto:` and in any case.
 */
import { VconError } from '../errors/vcon-error.js'
import type { Party } from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'

/** What to look for; every field given must match (AND). */
export interface PartyQuery {
  /** Compared after removing `tel:`, URI parameters, spaces, dashes, dots and parentheses. */
  readonly tel?: string
  /** Compared case-insensitively after removing `mailto:` and any "Name <…>" wrapper. */
  readonly mailto?: string
  /** Compared case-insensitively after trimming. */
  readonly name?: string
  /** Compared case-insensitively after removing `sip:` / `sips:` and URI parameters. */
  readonly sip?: string
  /** Compared exactly (DID method-specific ids are case sensitive). */
  readonly did?: string
}

/** A party with its index in `parties`. */
export interface PartyMatch {
  readonly index: number
  readonly party: Party
}

/** The digits (and a leading +) of a telephone number (RFC 3966 visual separators removed). */
export function normaliseTel(value: string): string {
  let tel = value.trim()
  if (/^tel:/i.test(tel)) tel = tel.slice(4)
  const params = tel.indexOf(';')
  if (params !== -1) tel = tel.slice(0, params)
  return tel.replace(/[\s\-.()]/g, '')
}

/** A bare, lowercase email address. */
export function normaliseMailto(value: string): string {
  let mail = value.trim()
  const angle = /<([^>]*)>/.exec(mail)
  if (angle !== null) mail = (angle[1] as string).trim()
  if (/^mailto:/i.test(mail)) mail = mail.slice(7)
  const query = mail.indexOf('?')
  if (query !== -1) mail = mail.slice(0, query)
  return mail.toLowerCase()
}

function normaliseSip(value: string): string {
  let sip = value.trim()
  const angle = /<([^>]*)>/.exec(sip)
  if (angle !== null) sip = (angle[1] as string).trim()
  sip = sip.replace(/^sips?:/i, '')
  const params = sip.search(/[;?]/)
  if (params !== -1) sip = sip.slice(0, params)
  return sip.toLowerCase()
}

function normaliseName(value: string): string {
  return value.trim().toLowerCase()
}

type Matcher = (party: Record<string, unknown>) => boolean

function field(
  key: string,
  wanted: string | undefined,
  normalise: (v: string) => string,
): Matcher | undefined {
  if (wanted === undefined) return undefined
  if (typeof wanted !== 'string') {
    throw new VconError('VCON_BAD_ARGUMENT', `findParties: \`${key}\` must be a string.`)
  }
  const target = normalise(wanted)
  if (target === '') return () => false
  return (party) => {
    const value = party[key]
    return typeof value === 'string' && normalise(value) === target
  }
}

/**
 * Every party matching the query, with its index, in array order. Tolerates legacy files (non-object
 * entries are skipped). Throws VCON_BAD_ARGUMENT for an empty query.
 */
export function findParties(
  vcon: Readonly<Record<string, unknown>>,
  query: PartyQuery,
): PartyMatch[] {
  const matchers = [
    field('tel', query.tel, normaliseTel),
    field('mailto', query.mailto, normaliseMailto),
    field('name', query.name, normaliseName),
    field('sip', query.sip, normaliseSip),
    field('did', query.did, (v) => v.trim()),
  ].filter((m): m is Matcher => m !== undefined)
  if (matchers.length === 0) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'findParties: give at least one of tel, mailto, name, sip or did to look for.',
    )
  }
  const parties = vcon.parties
  if (!Array.isArray(parties)) return []
  const out: PartyMatch[] = []
  parties.forEach((party: unknown, index: number) => {
    if (isObject(party) && matchers.every((m) => m(party)))
      out.push({ index, party: party as Party })
  })
  return out
}
