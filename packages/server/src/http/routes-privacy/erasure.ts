/**
 * @module Privacy routes: erasure (one vCon or every vCon of an identifier) and redaction of a party.
 * - `POST /v1/privacy/erasures` {uuid} | {identifier, mode?: "delete" | "redact", forgetRules?}: erases
 *   everywhere the conserver keeps data (privacy/erase-request.ts), compacts the database, and answers once the
 *   lifecycle events are registered, with their ledger entry ids (GDPR Art. 17; proof for Art. 5(2)
 *   accountability).
 */
import type { AppContext } from '../../app/context.js'
import { ServerError } from '../../errors/server-error.js'
import type { Store } from '../../ports/store.js'
import { createErasureCompactor, type ErasureCompactor } from '../../privacy/erase-compaction.js'
import {
  type ErasureRequest,
  type PerformErasureDeps,
  performErasure,
} from '../../privacy/erase-request.js'
import { parseSubjectIdentifier } from '../../privacy/find-subject.js'
import { chainMembershipsOf } from '../../privacy/retention-memberships.js'
import { isUuid } from '../ingest/prepare-vcon.js'
import { readJsonObject } from '../json-body.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'

const BODY_LIMIT = 16 * 1024
const KEYS: ReadonlySet<string> = new Set(['uuid', 'identifier', 'mode', 'forgetRules'])
const SHAPE = '{"uuid": "…"} or {"identifier": "tel:+15550100", "mode": "delete" | "redact"}'

/** One compactor per store, so concurrent erasures share their VACUUM runs. */
const compactors = new WeakMap<Store, ErasureCompactor>()

function compactorOf(app: AppContext): ErasureCompactor {
  let compactor = compactors.get(app.store)
  if (compactor === undefined) {
    compactor = createErasureCompactor(app.store, { log: app.log, now: app.now })
    compactors.set(app.store, compactor)
  }
  return compactor
}

/** The request body, checked: exactly one of uuid and identifier; mode only with an identifier. */
export function erasureRequestOf(body: Readonly<Record<string, unknown>>): ErasureRequest {
  const unknown = Object.keys(body).filter((k) => !KEYS.has(k))
  if (unknown.length > 0) {
    throw new ServerError(
      'BAD_REQUEST',
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in the erasure request; send ${SHAPE}.`,
    )
  }
  const { uuid, identifier, mode, forgetRules } = body
  if ((uuid === undefined) === (identifier === undefined)) {
    throw new ServerError('BAD_REQUEST', `Give exactly one of uuid and identifier: ${SHAPE}.`)
  }
  if (mode !== undefined && mode !== 'delete' && mode !== 'redact') {
    throw new ServerError('BAD_REQUEST', 'mode must be "delete" (the default) or "redact".')
  }
  if (forgetRules !== undefined && typeof forgetRules !== 'boolean') {
    throw new ServerError('BAD_REQUEST', 'forgetRules must be true or false.')
  }
  if (uuid !== undefined) {
    if (typeof uuid !== 'string' || !isUuid(uuid)) {
      throw new ServerError(
        'BAD_REQUEST',
        'uuid must be a vCon uuid (8-4-4-4-12 hexadecimal digits).',
      )
    }
    if (mode === 'redact' || forgetRules !== undefined) {
      throw new ServerError(
        'BAD_REQUEST',
        'An erasure by uuid deletes that vCon; mode "redact" and forgetRules need an identifier (who to redact out).',
      )
    }
    return { uuid: uuid.toLowerCase() }
  }
  if (typeof identifier !== 'string') {
    throw new ServerError(
      'BAD_REQUEST',
      'identifier must be a string such as "tel:+15550100", "mailto:a@example.com", "sip:…", "did:…" or "name:…".',
    )
  }
  return {
    subject: parseSubjectIdentifier(identifier, 'identifier'),
    mode: mode ?? 'delete',
    ...(forgetRules === undefined ? {} : { forgetRules }),
  }
}

/** What an erasure needs from a request's context: the store, queue, ledger, locks and everything that forgets. */
export function erasureDepsOf(rc: RequestContext): PerformErasureDeps {
  const { app, services } = rc
  const state = app.privacy?.state
  const memberships = chainMembershipsOf(app.store)
  const forget: ((uuid: string) => Promise<void>)[] = []
  if (state !== undefined) forget.push((uuid) => state.forgetVcon(uuid))
  if (memberships !== undefined) forget.push((uuid) => memberships.forget(uuid))
  return {
    store: services.store,
    queue: services.queue,
    recorder: app.ledger?.recorder,
    locks: services.locks,
    forget,
    carry: memberships === undefined ? undefined : (from, to) => memberships.copy(from, to),
    compactor: compactorOf(app),
    forgetParty: state === undefined ? undefined : (subject) => state.forgetParty(subject),
  }
}

/**
 * Erases one vCon everywhere, as `DELETE /v1/vcons/{uuid}` and the Conserver's `DELETE /vcon/{uuid}` do; false
 * when no such vCon was stored (its queue entries are dropped all the same).
 */
export async function eraseOne(rc: RequestContext, uuid: string, reason: string): Promise<boolean> {
  try {
    await performErasure(
      erasureDepsOf(rc),
      { uuid },
      {
        validation: rc.app.config.validation.mode,
        now: rc.app.now,
        reason,
      },
    )
    return true
  } catch (error) {
    if (error instanceof ServerError && error.code === 'NOT_FOUND') return false
    throw error
  }
}

async function erase(rc: RequestContext): Promise<void> {
  const request = erasureRequestOf(await readJsonObject(rc.req, BODY_LIMIT, SHAPE))
  const { app } = rc
  const deps = erasureDepsOf(rc)
  const result = await performErasure(deps, request, {
    validation: app.config.validation.mode,
    now: app.now,
  })
  // Counts only: the identifier is personal data and stays out of the log.
  app.log.info('erasure', {
    by: 'uuid' in request ? 'uuid' : request.subject.kind,
    mode: 'uuid' in request ? 'delete' : request.mode,
    erased: result.erased.length,
    redacted: result.redacted.length,
  })
  sendJson(rc.res, 200, result)
}

export const privacyErasureRoutes: readonly Route[] = [
  { method: 'POST', path: '/v1/privacy/erasures', access: 'admin', handle: erase },
]
