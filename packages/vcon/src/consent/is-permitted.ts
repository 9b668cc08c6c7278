/**
 * @module The permission check of lawful-basis-00 §6.4 ("Granular Permission Evaluation"): may the vCon, or
 * one party's part of it, be processed for a purpose at a given time? Most restrictive wins and it fails
 * closed: anything that cannot be read or verified can refuse but never permit.
 *
 * Rules, in the order they decide:
 * 1. The purpose must be in the vocabulary, else `unknown-purpose` (the caller configured something wrong).
 * 2. A record applies when it has no `party` (it covers the whole vCon) or names the queried party; with no
 *    party in the query every record applies. A record whose `party` is unreadable applies to every party
 *    (it may refuse for anyone) but cannot grant. No applicable record: `no-lawful-basis`; the caller then
 *    applies its own default.
 * 3. An applicable lawful_basis record whose content_hash does not match its body: `hash-mismatch`
 *    (lawful-basis-00 §6.1 "reject processing if hashes do not match").
 * 4. A grant with `granted: false` for the purpose or any broader purpose (vocabulary lineage), in any
 *    applicable record, expired, unusable or dated later than `at`: `denied`. So a withdrawal also refuses
 *    questions about times before it; what was permitted then is answered from the version before it (the
 *    `amended` chain). Denials always win, including over a more specific grant: where aipref-vocab §3 lets
 *    the specific category override, consent records follow lawful-basis-00 §6.4 and consent-00 §13 (the
 *    most restrictive applies).
 * 5. A grant with `granted: true` for the purpose or a broader one, in an applicable usable record that has not
 *    expired at `at` (expiration + skew >= at; null = indefinite) and whose granted_at, if given, is no later
 *    than at + skew: `granted`, with the conditions of every such grant. The skew (5 minutes by default) is
 *    the clock tolerance of lawful-basis-00 §6.2, given on both sides.
 * 6. Otherwise, from the grants that would have permitted: `expired` if one exists but is expired,
 *    `not-yet-granted` if one only takes effect later, `unusable-record` if one sits in a record that cannot
 *    grant (missing or malformed expiration or granted_at, unverifiable content_hash, unreadable party or
 *    body) or an unreadable record applies; else `no-grant`.
 * The lawful basis type (consent, contract, ...) permits nothing by itself: lawful-basis-00 §6.4 says to find
 * the grants for the purpose and deny when there are none. The record's `dialog` does not narrow it.
 */
import { VconError } from '../errors/vcon-error.js'
import { isDate } from '../validate/primitives.js'
import { appliesTo, type ConsentRecord, consentRecords } from './consent-records.js'
import { instantOf } from './instant.js'
import { type Finding, reasonFor } from './permission-reason.js'
import { type PurposeVocabulary, STANDARD_VOCABULARY } from './purposes.js'

/** What is asked. */
export interface PermissionQuery {
  readonly purpose: string
  /** party index; omitted = the vCon as a whole (every record counts) */
  readonly party?: number
  /** default: now */
  readonly at?: Date | string | number
}

/** How to decide. */
export interface PermissionOptions {
  /** default: the standard purposes */
  readonly vocabulary?: PurposeVocabulary
  /** Clock tolerance in ms on expiry and granted_at; default 300_000 (lawful-basis-00 §6.2). */
  readonly skewMs?: number
}

/** Why the decision came out as it did. */
export type PermissionCode =
  | 'granted'
  | 'no-lawful-basis'
  | 'no-grant'
  | 'denied'
  | 'expired'
  | 'not-yet-granted'
  | 'hash-mismatch'
  | 'unusable-record'
  | 'unknown-purpose'

/** The answer, with what decided it. */
export interface PermissionDecision {
  readonly permitted: boolean
  readonly code: PermissionCode
  /**
   * One sentence naming the purpose, the party and the attachment index(es) that decided, e.g.
   * 'purpose "genai" is denied for party 1 by attachment 3 (denial of "ai")'. No personal data.
   */
  readonly reason: string
  /** attachment indices that decided */
  readonly attachments: readonly number[]
  /** conditions attached to the grants that permitted (the caller must honour them) */
  readonly conditions: readonly string[]
}

const DEFAULT_SKEW_MS = 300_000

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

function timeOf(at: PermissionQuery['at']): number {
  if (at === undefined) return Date.now()
  let ms = Number.NaN
  if (at instanceof Date) ms = at.getTime()
  else if (typeof at === 'number') ms = at
  else if (typeof at === 'string' && isDate(at)) ms = Date.parse(at)
  if (!Number.isFinite(ms)) {
    bad(
      '`at` must be a valid Date, milliseconds since the epoch, or an RFC 3339 date-time with a zone.',
    )
  }
  return ms
}

function checkQuery(query: PermissionQuery, options: PermissionOptions): void {
  if (typeof query !== 'object' || query === null)
    bad('isPermitted needs a query {purpose, party?, at?}.')
  if (typeof query.purpose !== 'string') bad('`purpose` must be a string such as "recording".')
  const { party } = query
  if (
    party !== undefined &&
    !(typeof party === 'number' && Number.isInteger(party) && party >= 0)
  ) {
    bad('`party` must be a party index (a non-negative integer), or omitted for the whole vCon.')
  }
  const skew = options.skewMs
  if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0)) {
    bad('`skewMs` must be a non-negative number of milliseconds.')
  }
}

type GrantState = 'ok' | 'expired' | 'not-yet' | 'unusable'

/** Whether one `granted: true` grant of a record permits at `at`. */
function grantState(
  record: ConsentRecord,
  grantedAt: string | undefined,
  at: number,
  skew: number,
): GrantState {
  if (record.unusable !== undefined || record.expiresAt === undefined) return 'unusable'
  if (record.expiresAt !== null && record.expiresAt + skew < at) return 'expired'
  if (grantedAt === undefined) return 'ok'
  const since = instantOf(grantedAt)
  if (since === undefined) return 'unusable'
  return since > at + skew ? 'not-yet' : 'ok'
}

/**
 * Decides whether the vCon may be processed for `query.purpose` (see the module comment for the rules). Never
 * throws on a malformed vCon; throws VconError (VCON_BAD_ARGUMENT) for a bad query or options.
 *
 * @example
 * const d = isPermitted(vcon, { purpose: 'transcription', party: 0 })
 * if (!d.permitted) skip(d.code, d.reason)
 */
export function isPermitted(
  vcon: unknown,
  query: PermissionQuery,
  options: PermissionOptions = {},
): PermissionDecision {
  checkQuery(query, options)
  const at = timeOf(query.at)
  const skew = options.skewMs ?? DEFAULT_SKEW_MS
  const vocabulary = options.vocabulary ?? STANDARD_VOCABULARY
  const { purpose, party } = query
  const decide = (finding: Finding): PermissionDecision => ({
    permitted: finding.code === 'granted',
    code: finding.code,
    reason: reasonFor(finding, purpose, party),
    attachments: Object.freeze([...new Set(finding.attachments)].sort((a, b) => a - b)),
    conditions: Object.freeze([...new Set(finding.conditions ?? [])]),
  })

  if (!vocabulary.has(purpose)) return decide({ code: 'unknown-purpose', attachments: [] })
  const lineage = vocabulary.lineage(purpose)
  const records = consentRecords(vcon).filter((r) => appliesTo(r, party))
  if (records.length === 0) return decide({ code: 'no-lawful-basis', attachments: [] })

  const mismatched = records.filter((r) => r.integrity === 'mismatch')
  if (mismatched.length > 0) {
    return decide({ code: 'hash-mismatch', attachments: mismatched.map((r) => r.attachment) })
  }

  const denials = records.flatMap((r) =>
    r.grants.filter((g) => !g.granted && lineage.includes(g.purpose)).map((g) => ({ r, g })),
  )
  if (denials.length > 0) {
    return decide({
      code: 'denied',
      attachments: denials.map((d) => d.r.attachment),
      purposes: denials.map((d) => d.g.purpose),
    })
  }

  const byState: Record<
    GrantState,
    { attachment: number; purpose: string; conditions: readonly string[] }[]
  > = { ok: [], expired: [], 'not-yet': [], unusable: [] }
  for (const r of records) {
    for (const g of r.grants) {
      if (!g.granted || !lineage.includes(g.purpose)) continue
      byState[grantState(r, g.granted_at, at, skew)].push({
        attachment: r.attachment,
        purpose: g.purpose,
        conditions: g.conditions,
      })
    }
  }
  const found = (code: Finding['code'], list: (typeof byState)['ok']): PermissionDecision =>
    decide({
      code,
      attachments: list.map((x) => x.attachment),
      purposes: list.map((x) => x.purpose),
      conditions: code === 'granted' ? list.flatMap((x) => x.conditions) : [],
    })
  if (byState.ok.length > 0) return found('granted', byState.ok)
  if (byState.expired.length > 0) return found('expired', byState.expired)
  if (byState['not-yet'].length > 0) return found('not-yet-granted', byState['not-yet'])
  // An unreadable record may have held a grant for the purpose: say so rather than "no grant".
  const blocked = new Set([
    ...byState.unusable.map((u) => u.attachment),
    ...records.filter((r) => !r.readable).map((r) => r.attachment),
  ])
  if (blocked.size > 0) {
    const why = records
      .filter((r) => blocked.has(r.attachment))
      .map((r) => r.unusable ?? 'a granted_at of its grants is malformed')
    return decide({ code: 'unusable-record', attachments: [...blocked], problems: why })
  }
  return decide({ code: 'no-grant', attachments: records.map((r) => r.attachment) })
}
