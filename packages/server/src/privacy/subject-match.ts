/**
 * @module Where exactly a vCon names a data subject: the party fields that carry the identifier (core draft §4.2)
 * and the texts that mention it (subject, dialog bodies, analyses such as transcripts, attachments). The index
 * only proposes candidates; this reads the vCon itself, so an answer to an access request (GDPR Art. 15) lists
 * real occurrences, each by JSON pointer (RFC 6901), never a search engine's guess.
 */
import {
  normaliseDid,
  normaliseMailto,
  normaliseName,
  normaliseSip,
  normaliseTel,
} from '../store/derive-index.js'
import { textFields } from '../store/text-fields.js'
import { mentionsIn, telMentionMatches } from '../store/text-mentions.js'
import type { SubjectIdentifier, SubjectKind } from './subject-identifier.js'

/** Where a vCon names the subject. */
export interface SubjectMatch {
  /**
   * JSON pointer of the match: a party field (`/parties/1/tel`), a text (`/dialog/0/body`,
   * `/analysis/2/body/transcript/text`), or for `lineage` the `/amended` or `/redacted` field that links the two
   * versions (in this vCon for `amends`/`redacts`, in `linkedTo` for `amended-by`/`redacted-by`). In a signed
   * vCon, pointers are into its payload.
   */
  readonly pointer: string
  readonly kind: 'party' | 'text' | 'lineage'
  /** For `lineage`: the vCon on the other side of the link, itself a vCon of the subject. */
  readonly linkedTo?: string
  /** For `lineage`: how this vCon relates to `linkedTo`. */
  readonly relation?: 'amends' | 'redacts' | 'amended-by' | 'redacted-by'
}

const PARTY_FIELDS: Readonly<Record<SubjectKind, (value: string) => string>> = {
  tel: normaliseTel,
  mailto: normaliseMailto,
  sip: normaliseSip,
  did: normaliseDid,
  name: normaliseName,
}

/** A name as a whole phrase of words: not inside a longer word ("Ann" is not found in "Annual"). */
function namePattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escaped}(?![\\p{L}\\p{M}\\p{N}])`, 'iu')
}

/** Whether one text mentions the subject. */
function textNames(text: string, subject: SubjectIdentifier, name: RegExp | undefined): boolean {
  if (name !== undefined) return name.test(text)
  for (const mention of mentionsIn(text)) {
    if (mention.kind !== subject.kind) continue
    if (
      subject.kind === 'tel'
        ? telMentionMatches(subject.value, mention.value)
        : mention.value === subject.value
    ) {
      return true
    }
  }
  return false
}

/** The party and text matches of `subject` in a readable vCon (unsigned, or a JWS payload), in document order. */
export function subjectMatches(
  vcon: Readonly<Record<string, unknown>>,
  subject: SubjectIdentifier,
): SubjectMatch[] {
  const out: SubjectMatch[] = []
  const normalise = PARTY_FIELDS[subject.kind]
  const parties: readonly unknown[] = Array.isArray(vcon.parties) ? vcon.parties : []
  parties.forEach((party, index) => {
    if (typeof party !== 'object' || party === null) return
    const value = (party as Record<string, unknown>)[subject.kind]
    if (typeof value === 'string' && value.trim() !== '' && normalise(value) === subject.value) {
      out.push({ pointer: `/parties/${index}/${subject.kind}`, kind: 'party' })
    }
  })
  const name = subject.kind === 'name' ? namePattern(subject.value) : undefined
  const seen = new Set<string>()
  for (const field of textFields(vcon)) {
    if (seen.has(field.pointer) || !textNames(field.text, subject, name)) continue
    seen.add(field.pointer)
    out.push({ pointer: field.pointer, kind: 'text' })
  }
  return out
}
