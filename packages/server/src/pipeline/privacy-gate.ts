/**
 * @module The runner's side of consent enforcement: loads what the gate needs for one job (the vCon's party
 * keys, the restrictions and withdrawals that name them) and records every step the gate skips, in the
 * PrivacyState (GET /v1/vcons/{uuid}/skips), in the metrics and in the log.
 */
import { readLawfulBasis, type Vcon } from '@vconkit/vcon'
import type { Logger } from '../observability/logger.js'
import { PIPELINE_STEPS_SKIPPED } from '../observability/metric-names.js'
import type { Metrics } from '../observability/metrics.js'
import type { ConsentExpiry, PrivacyState } from '../ports/privacy-state.js'
import type { GateDecision, GateFacts } from '../privacy/consent-gate.js'
import type { ConsentPolicy } from '../privacy/consent-policy.js'
import { partyKeysByIndex } from '../privacy/party-key.js'

/** What the runner needs to enforce consent. */
export interface PipelinePrivacy {
  readonly state: Pick<
    PrivacyState,
    'restrictionsFor' | 'withdrawalsFor' | 'recordSkip' | 'noteExpiries'
  >
  readonly policy: ConsentPolicy
}

/**
 * Loads the gate's facts for a vCon and notes when the consent it records lapses (for the expiry sweeper,
 * privacy/consent-expiry-sweeper.ts): every vCon passes through the runner, so this is where it is learnt.
 */
export async function loadGateFacts(
  state: PipelinePrivacy['state'],
  uuid: string,
  vcon: Vcon,
  now: number,
): Promise<GateFacts> {
  const partyKeys = partyKeysByIndex(vcon)
  const all = partyKeys.flat()
  const expiries = consentExpiries(uuid, vcon, now)
  const [restrictions, withdrawals] = await Promise.all([
    state.restrictionsFor(uuid, all),
    state.withdrawalsFor(all),
    expiries.length === 0 ? undefined : state.noteExpiries(expiries),
  ])
  return { vcon, partyKeys, restrictions, withdrawals }
}

/** The lawful bases of a vCon that grant something and lapse after `now`. */
export function consentExpiries(uuid: string, vcon: Vcon, now: number): ConsentExpiry[] {
  return readLawfulBasis(vcon).flatMap((record) => {
    const time = typeof record.expiration === 'string' ? Date.parse(record.expiration) : Number.NaN
    const purposes = record.grants.filter((g) => g.granted).map((g) => g.purpose)
    if (Number.isNaN(time) || time <= now || purposes.length === 0) return []
    return [
      {
        vconUuid: uuid,
        attachment: record.attachment,
        expiresAt: new Date(time).toISOString(),
        purposes: [...new Set(purposes)].sort(),
      },
    ]
  })
}

/**
 * The gate's decision for a signed or encrypted vCon, whose parties cannot be read here: only a restriction of
 * the vCon itself applies.
 */
export async function opaqueRestriction(
  privacy: PipelinePrivacy,
  uuid: string,
): Promise<GateDecision> {
  const [restriction] = await privacy.state.restrictionsFor(uuid, [])
  if (restriction === undefined) return { run: true }
  return {
    run: false,
    code: 'restricted',
    purpose: undefined,
    party: undefined,
    reason: `processing of this vCon is restricted (restriction ${restriction.id})`,
  }
}

/** Records one skip everywhere it must be visible. */
export async function recordSkip(
  privacy: PipelinePrivacy,
  decision: Extract<GateDecision, { run: false }>,
  where: {
    readonly vconUuid: string
    readonly chain: string
    readonly step: string
    readonly metrics: Metrics
    readonly log: Logger
    readonly now: () => number
  },
): Promise<void> {
  where.metrics.inc(PIPELINE_STEPS_SKIPPED, {
    chain: where.chain,
    step: where.step,
    code: decision.code,
  })
  where.log.info('step skipped', {
    step: where.step,
    code: decision.code,
    reason: decision.reason,
  })
  await privacy.state.recordSkip({
    vconUuid: where.vconUuid,
    chain: where.chain,
    step: where.step,
    purpose: decision.purpose,
    party: decision.party,
    code: decision.code,
    reason: decision.reason,
    at: new Date(where.now()).toISOString(),
  })
}
