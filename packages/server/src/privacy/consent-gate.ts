/**
 * @module The decision the runner takes before each step: may this step process this vCon? Most restrictive
 * wins, and every "no" has a reason that is recorded (never a silent skip):
 * 1. a restriction of processing (GDPR Art. 18) of the vCon or of any of its parties stops every step;
 * 2. a withdrawal of consent (Art. 7(3)) by one of its parties, for the purpose or a broader one, denies it;
 * 3. the lawful basis recorded in the vCon (lawful-basis-00 §5, isPermitted in @vconkit/vcon) is checked for
 *    every party, since a step processes the whole vCon and so every party's data in it;
 * 4. a party for whom the vCon records no lawful basis falls under the configured default.
 * Reasons name purposes, party indices and attachment indices, never a party's identifiers.
 */
import { isPermitted, type Vcon } from '@vconkit/vcon'
import type { PartyKey, Restriction, Withdrawal } from '../ports/privacy-state.js'
import type { ConsentPolicy } from './consent-policy.js'
import { partyKeyText } from './party-key.js'

/** What the gate knows about one vCon, looked up once per job. */
export interface GateFacts {
  readonly vcon: Vcon
  /** Party keys by party index (party-key.ts). */
  readonly partyKeys: readonly (readonly PartyKey[])[]
  readonly restrictions: readonly Restriction[]
  readonly withdrawals: readonly Withdrawal[]
}

export type GateDecision =
  | { readonly run: true }
  | {
      readonly run: false
      readonly code: string
      readonly purpose: string | undefined
      readonly party: number | undefined
      readonly reason: string
    }

const RUN: GateDecision = { run: true }

/** Decides whether a step serving `purposes` may run at time `at` (ms since the epoch). */
export function decideStep(
  facts: GateFacts,
  purposes: readonly string[],
  policy: ConsentPolicy,
  at: number,
): GateDecision {
  const restriction = facts.restrictions[0]
  if (restriction !== undefined) {
    const what = 'uuid' in restriction.target ? 'this vCon' : 'a party of this vCon'
    return {
      run: false,
      code: 'restricted',
      purpose: undefined,
      party: undefined,
      reason: `processing of ${what} is restricted (restriction ${restriction.id})`,
    }
  }
  for (const purpose of purposes) {
    const decision = decidePurpose(facts, purpose, policy, at)
    if (!decision.run) return decision
  }
  return RUN
}

function decidePurpose(
  facts: GateFacts,
  purpose: string,
  policy: ConsentPolicy,
  at: number,
): GateDecision {
  const lineage = policy.vocabulary.lineage(purpose)
  for (const withdrawal of facts.withdrawals) {
    const hit = withdrawal.purposes.find((p) => lineage.includes(p))
    if (hit === undefined) continue
    const key = partyKeyText(withdrawal.party)
    const party = facts.partyKeys.findIndex((keys) => keys.some((k) => partyKeyText(k) === key))
    return {
      run: false,
      code: 'withdrawn',
      purpose,
      party: party < 0 ? undefined : party,
      reason: `consent for "${hit}" was withdrawn${party < 0 ? '' : ` by party ${party}`} (withdrawal ${withdrawal.id})${hit === purpose ? '' : `, which covers "${purpose}"`}`,
    }
  }
  const parties = facts.partyKeys.length === 0 ? [undefined] : facts.partyKeys.map((_, i) => i)
  for (const party of parties) {
    const answer = isPermitted(
      facts.vcon,
      { purpose, ...(party === undefined ? {} : { party }), at },
      { vocabulary: policy.vocabulary },
    )
    if (answer.permitted) continue
    if (answer.code === 'no-lawful-basis' && allowedWithoutBasis(policy, lineage)) continue
    return { run: false, code: answer.code, purpose, party, reason: answer.reason }
  }
  return RUN
}

function allowedWithoutBasis(policy: ConsentPolicy, lineage: readonly string[]): boolean {
  return (
    policy.noLawfulBasis === 'allow' || policy.allowedWithoutBasis.some((p) => lineage.includes(p))
  )
}
