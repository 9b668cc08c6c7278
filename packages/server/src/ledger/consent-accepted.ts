/**
 * @module vcon_consent_accepted (draft-howe-vcon-lifecycle): when a stored vCon comes to carry a consent that
 * permits a purpose it did not permit before, the conserver records the acceptance in the ledger, naming the
 * purposes and nothing about the person. "Permits" is the enforcement's own answer (`isPermitted`, most
 * restrictive wins), asked only for the purposes a record with the `consent` basis grants: a grant under another
 * basis (contract, legitimate interests) is no consent, and a consent that is expired, sealed with a mismatching
 * hash or overruled by a denial was never accepted in a sense an auditor could rely on.
 */
import { isPermitted, type PurposeVocabulary, readLawfulBasis } from '@vconkit/vcon'
import type { LifecycleRecorder } from './lifecycle-recorder.js'

/** The purposes `vcon` permits through a consent record at `at`, sorted. */
export function consentedPurposes(
  vcon: unknown,
  at: number,
  vocabulary: PurposeVocabulary | undefined,
): string[] {
  const candidates = new Set<string>()
  for (const record of readLawfulBasis(vcon)) {
    if (record.basis !== 'consent') continue
    for (const grant of record.grants) if (grant.granted) candidates.add(grant.purpose)
  }
  const options = vocabulary === undefined ? {} : { vocabulary }
  return [...candidates]
    .filter((purpose) => {
      try {
        return isPermitted(vcon, { purpose, at }, options).permitted
      } catch {
        // A purpose the vocabulary refuses cannot have been consented to in an enforceable way.
        return false
      }
    })
    .sort()
}

/** What recording needs of the application: its recorder, its purpose vocabulary and its clock. */
export interface ConsentEventContext {
  readonly ledger?: { readonly recorder: LifecycleRecorder } | undefined
  readonly privacy?: { readonly policy: { readonly vocabulary: PurposeVocabulary } } | undefined
  readonly now: () => number
}

/** What changed: the vCon before (absent when it was just created) and after, as objects. */
export interface ConsentChange {
  readonly vconUuid: string
  /** The stored JSON after the change (hashed into the event). */
  readonly json: string
  readonly after: unknown
  readonly before?: unknown
}

/**
 * Records vcon_consent_accepted for the purposes `after` permits by consent and `before` did not, after the
 * event of the change itself (record that first: the acceptance follows it in the vCon's chain). Nothing when
 * the ledger is off or no purpose is new.
 */
export function recordConsentAccepted(app: ConsentEventContext, change: ConsentChange): void {
  const recorder = app.ledger?.recorder
  if (recorder === undefined) return
  const at = app.now()
  const vocabulary = app.privacy?.policy.vocabulary
  const now = consentedPurposes(change.after, at, vocabulary)
  if (now.length === 0) return
  const earlier =
    change.before === undefined
      ? new Set<string>()
      : new Set(consentedPurposes(change.before, at, vocabulary))
  const purposes = now.filter((p) => !earlier.has(p))
  if (purposes.length === 0) return
  recorder.record({
    event: 'vcon_consent_accepted',
    vconUuid: change.vconUuid,
    vcon: change.json,
    purposes,
  })
}
