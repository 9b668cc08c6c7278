/**
 * @module The subject finder: every stored vCon that names a person (GDPR Art. 15 access, Art. 20 portability,
 * Art. 17 erasure and Art. 7(3) withdrawal all start here). The store's indexes propose candidates (party
 * identifiers, identifiers written in text, full-text words for names); each candidate's stored JSON is then
 * read and the exact pointers that name the person listed (subject-match.ts). The versions linked to a match by
 * `amended` / `redacted` (core draft §4.1.8, §4.1.9) are the same conversation and are added too, in both
 * directions, even when the subject was redacted out of them.
 *
 * What cannot be searched: an encrypted vCon (JWE, §5.3) can only be read with its recipient's key; it is
 * listed only when a readable version names it as its prior. A signed vCon (JWS, §5.2) is read through its
 * payload, without verifying the signature.
 */
import type { ListQuery, Store, StoredVcon } from '../ports/store.js'
import { readStoredVcon, type StoredForm } from '../store/stored-form.js'
import { telMentionKeys } from '../store/text-mentions.js'
import type { SubjectIdentifier } from './subject-identifier.js'
import { type SubjectMatch, subjectMatches } from './subject-match.js'

export {
  parseSubjectIdentifier,
  type SubjectIdentifier,
  type SubjectKind,
} from './subject-identifier.js'
export type { SubjectMatch } from './subject-match.js'

/** One vCon of the subject. */
export interface SubjectVcon {
  readonly uuid: string
  readonly createdAt: string
  readonly matches: readonly SubjectMatch[]
  /** How it is stored: an `encrypted` one could not be searched (its matches are only `lineage`). */
  readonly form?: StoredForm
}

export interface SubjectFindOptions {
  /**
   * At most this many vCons naming the subject (default 1000). The versions linked to each are never cut off
   * (an erasure must not lose the redacted copy of a vCon it deletes), so the answer may exceed the limit by
   * the linked versions of its last vCon (at most MAX_LINEAGE).
   */
  readonly limit?: number
}

export interface SubjectFindResult {
  /** Newest first (created_at, then uuid, descending). */
  readonly vcons: readonly SubjectVcon[]
  /** True when more vCons may name the subject than were examined (the limit was reached). */
  readonly truncated: boolean
}

export const DEFAULT_SUBJECT_LIMIT = 1000
/** Linked versions followed from one matching vCon (walkLineage's default depth). */
export const MAX_LINEAGE = 64
const PAGE = 200

type Source = Omit<ListQuery, 'limit' | 'after'>

/** The index lookups that can find the subject: as a party, and written in text. */
function sourcesOf(subject: SubjectIdentifier): Source[] {
  switch (subject.kind) {
    case 'tel':
      return [
        { tel: subject.value },
        { refs: { kind: 'text_tel', values: telMentionKeys(subject.value) } },
      ]
    case 'mailto':
      return [{ mailto: subject.value }, { refs: { kind: 'text_mailto', values: [subject.value] } }]
    case 'sip':
      return [{ sip: subject.value }, { refs: { kind: 'text_sip', values: [subject.value] } }]
    case 'did':
      return [{ did: subject.value }, { refs: { kind: 'text_did', values: [subject.value] } }]
    case 'name':
      return [{ name: subject.value }, { text: subject.value }]
  }
}

interface Found {
  readonly stored: StoredVcon
  readonly form: StoredForm
  readonly vcon: Readonly<Record<string, unknown>> | undefined
  readonly matches: SubjectMatch[]
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The uuid an `amended` or `redacted` reference names, when it names one. */
function priorOf(
  vcon: Readonly<Record<string, unknown>> | undefined,
  relation: 'amended' | 'redacted',
) {
  const ref = vcon?.[relation]
  const uuid =
    typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>).uuid : undefined
  return typeof uuid === 'string' && UUID.test(uuid) ? uuid : undefined
}

/** Finds every stored vCon naming `subject`, with whether the limit cut the answer short. */
export async function findSubject(
  store: Store,
  subject: SubjectIdentifier,
  options: SubjectFindOptions = {},
): Promise<SubjectFindResult> {
  const limit = Math.max(1, Math.trunc(options.limit ?? DEFAULT_SUBJECT_LIMIT))
  const found = new Map<string, SubjectVcon>()
  const seen = new Set<string>()
  let direct = 0
  let truncated = false

  const read = (stored: StoredVcon): Found => {
    const readable = readStoredVcon(stored.json)
    const matches = readable.vcon === undefined ? [] : subjectMatches(readable.vcon, subject)
    return { stored, form: readable.form, vcon: readable.vcon, matches }
  }
  const keep = (item: Found, lineage?: SubjectMatch) => {
    const matches = item.matches.length > 0 || lineage === undefined ? item.matches : [lineage]
    found.set(item.stored.uuid, {
      uuid: item.stored.uuid,
      createdAt: item.stored.createdAt,
      matches,
      form: item.form,
    })
  }

  /** Adds the versions linked to `anchor`, breadth first, both directions. */
  const expand = async (anchor: Found) => {
    const queue: Found[] = [anchor]
    let added = 0
    const link = (item: Found, lineage: SubjectMatch): boolean => {
      if (added >= MAX_LINEAGE) {
        truncated = true
        return false
      }
      added++
      keep(item, lineage)
      queue.push(item)
      return true
    }
    while (queue.length > 0) {
      const current = queue.shift() as Found
      const uuid = current.stored.uuid
      for (const relation of ['amended', 'redacted'] as const) {
        const prior = priorOf(current.vcon, relation)
        if (prior === undefined || seen.has(prior.toLowerCase())) continue
        const stored = await store.get(prior)
        if (stored === undefined) continue
        seen.add(prior.toLowerCase())
        const relationName = relation === 'amended' ? 'amended-by' : 'redacted-by'
        link(read(stored), {
          pointer: `/${relation}`,
          kind: 'lineage',
          linkedTo: uuid,
          relation: relationName,
        })
      }
      let after: string | undefined
      do {
        const page = await store.list({
          derivedFrom: uuid,
          limit: PAGE,
          ...(after === undefined ? {} : { after }),
        })
        const fresh = page.items.filter((i) => !seen.has(i.uuid.toLowerCase()))
        for (const stored of await store.getMany(fresh.map((i) => i.uuid))) {
          if (stored === undefined) continue
          seen.add(stored.uuid.toLowerCase())
          const item = read(stored)
          const relation =
            priorOf(item.vcon, 'amended')?.toLowerCase() === uuid.toLowerCase()
              ? 'amended'
              : 'redacted'
          const lineage: SubjectMatch = {
            pointer: `/${relation}`,
            kind: 'lineage',
            linkedTo: uuid,
            relation: relation === 'amended' ? 'amends' : 'redacts',
          }
          if (!link(item, lineage)) return
        }
        after = page.next
      } while (after !== undefined)
    }
  }

  // Candidates that the indexes propose but the vCon does not confirm (a name's words apart) are bounded too.
  let examined = 0
  const rejected = new Set<string>()
  const maxExamined = limit * 10 + 1000
  sources: for (const source of sourcesOf(subject)) {
    let after: string | undefined
    do {
      const page = await store.list({
        ...source,
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      })
      const fresh = page.items.filter(
        (i) => !seen.has(i.uuid.toLowerCase()) && !rejected.has(i.uuid),
      )
      for (const stored of await store.getMany(fresh.map((i) => i.uuid))) {
        if (stored === undefined || seen.has(stored.uuid.toLowerCase())) continue
        if (direct >= limit || examined >= maxExamined) {
          truncated = true
          break sources
        }
        examined++
        const item = read(stored)
        if (item.matches.length === 0) {
          rejected.add(stored.uuid)
          continue
        }
        seen.add(stored.uuid.toLowerCase())
        direct++
        keep(item)
        await expand(item)
      }
      after = page.next
    } while (after !== undefined)
  }
  const vcons = [...found.values()].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.uuid < b.uuid ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  )
  return { vcons, truncated }
}

/**
 * Every stored vCon naming the subject (party fields, and text: dialog bodies, transcripts in analysis,
 * subject), plus stored vCons linked by amended/redacted lineage to one that does (kind 'lineage', pointer
 * '/amended' or '/redacted'). See SubjectFindOptions.limit for the cap; use findSubject to know whether it cut.
 */
export async function findSubjectVcons(
  store: Store,
  subject: SubjectIdentifier,
  options: { limit?: number } = {},
): Promise<SubjectVcon[]> {
  return [...(await findSubject(store, subject, options)).vcons]
}
