/**
 * @module Checks of one Party object (core draft §4.2). Every field is optional and `{}` is a legal party.
 */
import { CIVIC_ADDRESS_KEYS, PARTY_TYPES } from '../model/vocabulary.js'
import { truncate } from './check-content.js'
import type { IssueCollector } from './issue.js'
import { isObject, isUuidSyntax } from './primitives.js'

const STRING_FIELDS = [
  'tel',
  'sip',
  'stir',
  'mailto',
  'name',
  'did',
  'validation',
  'gmlpos',
  'uuid',
  'type',
  'org',
  'dept',
] as const

const STRING_FIELD_SET: ReadonlySet<string> = new Set(STRING_FIELDS)

/** A tel URL or a number with visual separators (RFC 3966; the `tel:` prefix is optional). */
const TEL = /^(?:tel:)?\+?[0-9A-Fa-f*#().\- ]*[0-9][0-9A-Fa-f*#().\- ]*(?:;.*)?$/

const GMLPOS = /^-?\d+(?:\.\d+)?\s+-?\d+(?:\.\d+)?$/

export function checkParty(party: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(party)) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'A party must be an object ({} for an unknown participant).',
    )
    return
  }
  const { tel, mailto, did, type, uuid, gmlpos, civicaddress, name, validation } = party
  // One pass over the party's own keys (usually two or three) instead of a keyed read per known field.
  for (const key in party) {
    if (STRING_FIELD_SET.has(key) && typeof party[key] !== 'string') {
      c.report('must', `${pointer}/${key}`, 'wrong-type', `party ${key} must be a string.`)
    }
  }
  if (typeof tel === 'string' && tel !== '' && !TEL.test(tel)) {
    c.report(
      'should',
      `${pointer}/tel`,
      'wrong-type',
      `tel "${truncate(tel)}" does not look like a telephone number (RFC 3966), e.g. "+12025550123".`,
    )
  }
  if (typeof mailto === 'string' && mailto !== '' && !mailto.includes('@')) {
    c.report(
      'should',
      `${pointer}/mailto`,
      'wrong-type',
      `mailto "${truncate(mailto)}" has no "@".`,
    )
  }
  if (typeof did === 'string' && !/^did:[a-z0-9]+:\S+$/.test(did)) {
    c.report(
      'strict',
      `${pointer}/did`,
      'wrong-type',
      `did "${truncate(did)}" must be a DID URI ("did:<method>:<id>").`,
    )
  }
  if (typeof type === 'string' && !PARTY_TYPES.includes(type)) {
    c.report(
      'should',
      `${pointer}/type`,
      'unknown-party-type',
      `party type "${truncate(type)}" should be person, bot or organization.`,
    )
  }
  if (typeof uuid === 'string' && !isUuidSyntax(uuid)) {
    c.report(
      'should',
      `${pointer}/uuid`,
      'bad-uuid',
      'party uuid should be 8-4-4-4-12 hexadecimal.',
    )
  }
  if (typeof gmlpos === 'string' && !GMLPOS.test(gmlpos.trim())) {
    c.report(
      'should',
      `${pointer}/gmlpos`,
      'wrong-type',
      'gmlpos should be "<latitude> <longitude>".',
    )
  }
  if (typeof name === 'string' && validation === undefined && name !== '' && c.mode === 'strict') {
    // core draft §4.2.7: validation SHOULD be present when name is; reported in strict mode only, because
    // nearly every real file omits it and the warning would drown the useful ones.
    c.report(
      'should',
      `${pointer}/validation`,
      'missing-field',
      'A party with a name should say how the identity was checked in validation (e.g. "none").',
    )
  }
  if (civicaddress !== undefined) checkCivicAddress(civicaddress, `${pointer}/civicaddress`, c)
}

function checkCivicAddress(value: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(value)) {
    c.report('must', pointer, 'wrong-type', 'civicaddress must be an object of RFC 5139 elements.')
    return
  }
  for (const key of CIVIC_ADDRESS_KEYS) {
    const v = value[key]
    if (v !== undefined && typeof v !== 'string') {
      c.report('must', `${pointer}/${key}`, 'wrong-type', `civicaddress ${key} must be a string.`)
    }
  }
}
