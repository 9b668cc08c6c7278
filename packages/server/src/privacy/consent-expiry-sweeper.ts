/**
 * @module The consent-expiry sweeper. A lawful basis with an `expiration` stops permitting processing by itself:
 * the runner asks isPermitted at the time each step runs, so queued work for a lapsed purpose is skipped with
 * the code "expired" and never reaches a vendor. What the sweeper adds is the record: once a noted expiry has
 * passed (with the 5-minute skew of lawful-basis-00 §6.2), it writes a vcon_consent_revoked event with the reason
 * consent_expired and the purposes that lapsed, so the ledger shows when consent ended as it shows a withdrawal.
 */
import type { LifecycleInput } from '../ledger/lifecycle-recorder.js'
import type { PrivacyState } from '../ports/privacy-state.js'
import type { Store } from '../ports/store.js'

/** The clock skew lawful-basis-00 allows when checking an expiry. */
const SKEW_MS = 5 * 60_000

export interface ConsentExpirySweepDeps {
  readonly state: Pick<PrivacyState, 'dueExpiries' | 'clearExpiry'>
  readonly store: Pick<Store, 'get'>
  readonly lifecycle?: { record(input: LifecycleInput): void }
  readonly now: () => number
  /** Expiries handled per call (default 500). */
  readonly batch?: number
}

/** Handles the expiries that have passed; resolves with how many were recorded. */
export async function sweepConsentExpiries(deps: ConsentExpirySweepDeps): Promise<number> {
  const due = await deps.state.dueExpiries(
    new Date(deps.now() - SKEW_MS).toISOString(),
    deps.batch ?? 500,
  )
  let recorded = 0
  for (const expiry of due) {
    // A vCon erased meanwhile has nothing left to record (its erasure is in the ledger already).
    if ((await deps.store.get(expiry.vconUuid)) !== undefined) {
      deps.lifecycle?.record({
        event: 'vcon_consent_revoked',
        vconUuid: expiry.vconUuid,
        reason: 'consent_expired',
        purposes: expiry.purposes,
      })
      recorded += 1
    }
    await deps.state.clearExpiry(expiry.vconUuid, expiry.attachment)
  }
  return recorded
}
