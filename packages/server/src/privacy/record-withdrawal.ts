/**
 * @module Withdrawal of consent (GDPR Art. 7(3); lawful-basis-00 §5.2.3 purpose grants): a party withdraws
 * consent for some purposes. Three things happen, in this order, so that a crash half way never leaves
 * processing allowed:
 * 1. a standing rule is stored (PrivacyState): from now on the runner skips every step serving those purposes
 *    (or narrower ones) for every vCon naming the party, older versions and later ingests included, so queued
 *    work for them never reaches a vendor;
 * 2. each stored vCon in which the identifier is a party gets an amended version with a lawful_basis attachment
 *    recording the withdrawal (the prior stays stored, in the lineage): the consent travels with the vCon;
 * 3. a vcon_consent_revoked event per affected vCon goes to the ledger, naming the purposes.
 * Signed and encrypted vCons cannot be amended here (the signature, the key); the rule alone covers them and the
 * answer says so.
 */
import { randomUUID } from 'node:crypto'
import {
  DEFAULT_UUID_DOMAIN,
  detectForm,
  parseVcon,
  serializeVcon,
  uuid8,
  withdrawConsent,
} from '@vconkit/vcon'
import type { LifecycleInput } from '../ledger/lifecycle-recorder.js'
import type { PartyKey, PrivacyState, Withdrawal } from '../ports/privacy-state.js'
import type { Store } from '../ports/store.js'
import { deriveIndex } from '../store/derive-index.js'
import type { SubjectVcon } from './find-subject.js'

export interface WithdrawalDeps {
  readonly store: Store
  readonly state: PrivacyState
  /** Every stored vCon naming the subject (find-subject.ts). */
  readonly find: (subject: PartyKey) => Promise<readonly SubjectVcon[]>
  /** Serialises changes to one vCon with other writers (the HTTP server's per-uuid lock). */
  readonly lock: <T>(uuid: string, work: () => Promise<T>) => Promise<T>
  readonly lifecycle?: { record(input: LifecycleInput): void }
  readonly now: () => number
}

export interface WithdrawalResult {
  readonly withdrawal: Withdrawal
  /** vCons that got an amended version recording the withdrawal. */
  readonly amended: readonly { readonly uuid: string; readonly amendedBy: string }[]
  /** vCons naming the party that could not be amended (signed, encrypted); the rule covers them. */
  readonly ruleOnly: readonly { readonly uuid: string; readonly why: string }[]
}

/** `/parties/3/tel` → 3. */
function partyIndexOf(pointer: string): number | undefined {
  const match = /^\/parties\/(\d+)(?:\/|$)/.exec(pointer)
  return match === null ? undefined : Number(match[1])
}

export async function recordWithdrawal(
  deps: WithdrawalDeps,
  input: {
    readonly party: PartyKey
    readonly purposes: readonly string[]
    readonly reason?: string
  },
): Promise<WithdrawalResult> {
  const at = new Date(deps.now())
  const withdrawal: Withdrawal = {
    id: randomUUID(),
    party: input.party,
    purposes: [...new Set(input.purposes)],
    reason: input.reason,
    createdAt: at.toISOString(),
  }
  await deps.state.addWithdrawal(withdrawal)
  const amended: { uuid: string; amendedBy: string }[] = []
  const ruleOnly: { uuid: string; why: string }[] = []
  for (const found of await deps.find(input.party)) {
    const parties = [
      ...new Set(
        found.matches.filter((m) => m.kind === 'party').map((m) => partyIndexOf(m.pointer)),
      ),
    ].filter((i): i is number => i !== undefined)
    if (parties.length === 0) continue
    const outcome = await deps.lock(found.uuid, () =>
      amendOne(deps, found.uuid, parties, withdrawal, at),
    )
    if (outcome === undefined) continue
    if ('why' in outcome) ruleOnly.push({ uuid: found.uuid, why: outcome.why })
    else amended.push({ uuid: found.uuid, amendedBy: outcome.amendedBy })
    deps.lifecycle?.record({
      event: 'vcon_consent_revoked',
      vconUuid: found.uuid,
      ...('json' in outcome ? { vcon: outcome.json } : {}),
      reason: 'consent_revoked',
      purposes: withdrawal.purposes,
    })
  }
  return { withdrawal, amended, ruleOnly }
}

async function amendOne(
  deps: WithdrawalDeps,
  uuid: string,
  parties: readonly number[],
  withdrawal: Withdrawal,
  at: Date,
): Promise<{ amendedBy: string; json: string } | { why: string } | undefined> {
  const stored = await deps.store.get(uuid)
  if (stored === undefined) return undefined // erased meanwhile
  const form = detectForm(JSON.parse(stored.json) as unknown)
  if (form !== 'unsigned') {
    return {
      why: `stored ${form === 'signed' ? 'signed (JWS)' : 'encrypted (JWE)'}: cannot be amended here`,
    }
  }
  const parsed = parseVcon(stored.json, { mode: 'lenient' })
  if (parsed.form !== 'unsigned') return { why: 'not readable as an unsigned vCon' }
  const newUuid = uuid8({ domain: DEFAULT_UUID_DOMAIN, now: deps.now })
  // One amended version carries the withdrawal of every party the identifier appears as.
  const next = withdrawConsent(parsed.vcon, {
    party: parties,
    purposes: withdrawal.purposes,
    at,
    ...(withdrawal.reason === undefined ? {} : { reason: withdrawal.reason }),
    newUuid,
    now: () => at,
  })
  const json = serializeVcon(next)
  await deps.store.put({ uuid: newUuid, json, vcon: next, index: deriveIndex(next, deps.now) })
  deps.lifecycle?.record({
    event: 'vcon_created',
    vconUuid: newUuid,
    vcon: json,
    reason: 'consent_revoked',
  })
  return { amendedBy: newUuid, json }
}
