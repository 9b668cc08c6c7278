/**
 * @module One erasure request from start to proof (GDPR Art. 17, answered "without undue delay", Art. 12(3)):
 * erase one vCon or every vCon of an identifier, compact the database so the erased bytes leave its files
 * (erase-compaction.ts), then wait for the lifecycle events to be registered and answer with their ledger entry
 * ids, so the caller holds proof of what was done (draft-howe-vcon-lifecycle vcon_deleted,
 * vcon_party_redacted). The HTTP route and any other caller (CLI, tests) share this.
 */
import { ServerError } from '../errors/server-error.js'
import type { ErasureCompactor } from './erase-compaction.js'
import {
  type ErasureOutcome,
  eraseSubject,
  type RedactedVcon,
  type SubjectErasureDeps,
  type SubjectErasureOptions,
} from './erase-subject.js'
import { eraseVcon, type ProvenEvent, proveEvents } from './erase-vcon.js'
import type { SubjectIdentifier } from './find-subject.js'

/** What to erase. */
export type ErasureRequest =
  | { readonly uuid: string }
  | {
      readonly subject: SubjectIdentifier
      readonly mode: 'delete' | 'redact'
      /**
       * Also forget the privacy rules naming the subject (restrictions, withdrawals of consent). Default false:
       * those rules are what keeps later vCons of the person from being processed, a record kept to comply
       * with their own request (GDPR Art. 17(3)(b), Art. 21(3)); an erasure may drop them when asked to.
       */
      readonly forgetRules?: boolean
    }

export interface ErasureResponse {
  /** vCons deleted whole. */
  readonly erased: readonly string[]
  /** vCons replaced by a version with the subject redacted out (the original deleted everywhere). */
  readonly redacted: readonly RedactedVcon[]
  /** The lifecycle events recorded, with their ledger entry ids once registered. */
  readonly events: readonly ProvenEvent[]
}

export interface PerformErasureDeps extends SubjectErasureDeps {
  readonly compactor?: ErasureCompactor | undefined
  /** The privacy rules naming a party are forgotten through this (PrivacyState.forgetParty). */
  readonly forgetParty?: ((subject: SubjectIdentifier) => Promise<void>) | undefined
}

export type PerformErasureOptions = Omit<SubjectErasureOptions, 'mode'>

/**
 * Performs one erasure request. Throws ServerError NOT_FOUND for a uuid that is not stored (its queue entries
 * are dropped all the same), CONFLICT when a redaction cannot be done (nothing was erased then).
 */
export async function performErasure(
  deps: PerformErasureDeps,
  request: ErasureRequest,
  options: PerformErasureOptions,
): Promise<ErasureResponse> {
  const reason = options.reason ?? 'erasure_request'
  let outcome: ErasureOutcome
  let forgot = false
  if ('uuid' in request) {
    const removed = await eraseVcon(deps, request.uuid, { event: 'vcon_deleted', reason })
    if (!removed) {
      throw new ServerError(
        'NOT_FOUND',
        `No vCon with uuid ${request.uuid} is stored (its queue entries, if any, were removed); to erase a person's vCons, send {"identifier": …} instead.`,
      )
    }
    outcome = {
      erased: [request.uuid],
      redacted: [],
      events: [{ uuid: request.uuid, event: 'vcon_deleted' }],
    }
  } else {
    outcome = await eraseSubject(deps, request.subject, { ...options, mode: request.mode })
    if (request.forgetRules === true && deps.forgetParty !== undefined) {
      await deps.forgetParty(request.subject)
      forgot = true
    }
  }
  if (outcome.events.length > 0 || forgot) await deps.compactor?.compact()
  const events = await proveEvents(deps.recorder, outcome.events)
  return { erased: outcome.erased, redacted: outcome.redacted, events }
}
