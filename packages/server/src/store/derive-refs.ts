/**
 * @module The index refs of a vCon (IndexRef in ports/store.ts): sip and did party identifiers (core draft §4.2),
 * identifiers written in its texts, and the earlier versions it amends or redacts (§4.1.8, §4.1.9). They let
 * a subject access request (GDPR Art. 15) find a person wherever the vCon names them, and the later versions of
 * a vCon from the earlier one, with an index lookup instead of reading every stored vCon.
 */
import type { IndexRef } from '../ports/store.js'
import { normaliseDid, normaliseSip } from './derive-index.js'
import { textFields } from './text-fields.js'
import { mentionsIn } from './text-mentions.js'

/**
 * Text read for mentions per vCon, in UTF-16 code units: bounds the work of indexing one vCon. Mentions past it
 * are not indexed (the subject finder still confirms them in a vCon found another way).
 */
export const MAX_MENTION_TEXT = 4 * 1024 * 1024
/** Refs kept per vCon: bounds the index rows one vCon can make. */
export const MAX_REFS = 2000

/** Longer values are not indexed: a B-tree entry must stay well under PostgreSQL's ~2.7 kB limit. */
const MAX_REF_LENGTH = 512

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The refs of one vCon (unsigned form, or the readable payload of a signed one), each once. */
export function deriveRefs(vcon: object): IndexRef[] {
  const out: IndexRef[] = []
  const seen = new Set<string>()
  const add = (kind: IndexRef['kind'], value: string) => {
    const key = `${kind}\u0000${value}`
    if (value === '' || value.length > MAX_REF_LENGTH || out.length >= MAX_REFS || seen.has(key))
      return
    seen.add(key)
    out.push({ kind, value })
  }
  const record = vcon as Readonly<Record<string, unknown>>
  for (const relation of ['amended', 'redacted'] as const) {
    const ref = record[relation]
    const uuid =
      typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>).uuid : undefined
    if (typeof uuid === 'string' && UUID.test(uuid)) add(relation, uuid.toLowerCase())
  }
  const parties: readonly unknown[] = Array.isArray(record.parties) ? record.parties : []
  for (const party of parties) {
    if (typeof party !== 'object' || party === null) continue
    const { sip, did } = party as Record<string, unknown>
    if (typeof sip === 'string') add('sip', normaliseSip(sip))
    if (typeof did === 'string') add('did', normaliseDid(did))
  }
  let budget = MAX_MENTION_TEXT
  for (const field of textFields(record)) {
    if (budget <= 0) break
    const text = field.text.length > budget ? field.text.slice(0, budget) : field.text
    budget -= text.length
    for (const mention of mentionsIn(text)) add(`text_${mention.kind}`, mention.value)
  }
  return out
}
