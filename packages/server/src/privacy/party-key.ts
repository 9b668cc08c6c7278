/**
 * @module Party keys: the identifiers by which privacy rules name a person (tel, mailto, sip, did, name),
 * normalised as the store's index normalises them (derive-index.ts), so that "+1 555 0100" in a request and
 * "tel:+15550100" in a vCon are the same person.
 */
import type { PartyKey } from '../ports/privacy-state.js'
import {
  normaliseDid,
  normaliseMailto,
  normaliseName,
  normaliseSip,
  normaliseTel,
} from '../store/derive-index.js'

/** `kind:value`, the form rules are stored and compared in. */
export function partyKeyText(key: PartyKey): string {
  return `${key.kind}:${key.value}`
}

export function parsePartyKeyText(text: string): PartyKey | undefined {
  const at = text.indexOf(':')
  const kind = text.slice(0, at)
  if (kind !== 'tel' && kind !== 'mailto' && kind !== 'sip' && kind !== 'did' && kind !== 'name')
    return undefined
  return { kind, value: text.slice(at + 1) }
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined

/** The keys one party object carries (core §4.2: tel, mailto, sip, did, name). */
export function partyKeysOf(party: unknown): PartyKey[] {
  if (typeof party !== 'object' || party === null) return []
  const p = party as Record<string, unknown>
  const keys: PartyKey[] = []
  const tel = str(p.tel)
  if (tel !== undefined) keys.push({ kind: 'tel', value: normaliseTel(tel) })
  const mailto = str(p.mailto)
  if (mailto !== undefined) keys.push({ kind: 'mailto', value: normaliseMailto(mailto) })
  const sip = str(p.sip)
  if (sip !== undefined) keys.push({ kind: 'sip', value: normaliseSip(sip) })
  const did = str(p.did)
  if (did !== undefined) keys.push({ kind: 'did', value: normaliseDid(did) })
  const name = str(p.name)
  if (name !== undefined) keys.push({ kind: 'name', value: normaliseName(name) })
  return keys
}

/** The keys of every party of a vCon, by party index. */
export function partyKeysByIndex(vcon: { readonly parties?: readonly unknown[] }): PartyKey[][] {
  return (vcon.parties ?? []).map(partyKeysOf)
}
