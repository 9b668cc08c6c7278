/**
 * @module Privacy routes: consent withdrawal, restriction of processing and the record of skipped steps.
 * - `POST /v1/privacy/withdrawals` {identifier, purposes, reason?}: the party withdraws consent (GDPR Art. 7(3));
 *   see privacy/record-withdrawal.ts for what follows.
 * - `POST /v1/privacy/restrictions` {uuid} or {identifier}, `GET` and `DELETE …/{id}`: restriction of processing
 *   (Art. 18): the pipeline stops for the vCon, or for every vCon naming the party, until the restriction is lifted.
 * - `GET /v1/vcons/{uuid}/skips`: the steps the pipeline did not run on a vCon, and why.
 */
import { randomUUID } from 'node:crypto'
import type { AppContext } from '../../app/context.js'
import { ServerError } from '../../errors/server-error.js'
import type { Restriction, SkipRecord } from '../../ports/privacy-state.js'
import { findSubjectVcons, parseSubjectIdentifier } from '../../privacy/find-subject.js'
import { recordWithdrawal } from '../../privacy/record-withdrawal.js'
import { isUuid } from '../ingest/prepare-vcon.js'
import { readJsonObject } from '../json-body.js'
import { pathUuid } from '../path-uuid.js'
import { sendEmpty, sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'

const BODY_LIMIT = 64 * 1024
const MAX_REASON = 500

function privacyOf(app: AppContext): NonNullable<AppContext['privacy']> {
  if (app.privacy === undefined) {
    throw new ServerError(
      'NOT_FOUND',
      'This server keeps no privacy rules (no privacy state configured).',
    )
  }
  return app.privacy
}

function reasonOf(body: Record<string, unknown>): string | undefined {
  const { reason } = body
  if (reason === undefined) return undefined
  if (typeof reason !== 'string' || reason.length > MAX_REASON) {
    throw new ServerError(
      'BAD_REQUEST',
      `reason must be a string of at most ${MAX_REASON} characters.`,
    )
  }
  return reason
}

function identifierOf(body: Record<string, unknown>) {
  if (typeof body.identifier !== 'string') {
    throw new ServerError(
      'BAD_REQUEST',
      'identifier must be a string such as "tel:+15550100", "mailto:a@example.com", "sip:…", "did:…" or "name:…".',
    )
  }
  return parseSubjectIdentifier(body.identifier, 'identifier')
}

function restrictionJson(r: Restriction): Record<string, unknown> {
  return {
    id: r.id,
    ...('uuid' in r.target
      ? { uuid: r.target.uuid }
      : { identifier: `${r.target.party.kind}:${r.target.party.value}` }),
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    createdAt: r.createdAt,
  }
}

function skipJson(s: SkipRecord): Record<string, unknown> {
  return {
    chain: s.chain,
    step: s.step,
    code: s.code,
    reason: s.reason,
    ...(s.purpose === undefined ? {} : { purpose: s.purpose }),
    ...(s.party === undefined ? {} : { party: s.party }),
    at: s.at,
  }
}

async function withdraw(rc: RequestContext): Promise<void> {
  const { state, policy } = privacyOf(rc.app)
  const body = await readJsonObject(
    rc.req,
    BODY_LIMIT,
    '{ "identifier": "tel:…", "purposes": ["…"] }',
  )
  const party = identifierOf(body)
  const { purposes } = body
  if (!Array.isArray(purposes) || purposes.length === 0 || purposes.length > 64) {
    throw new ServerError(
      'BAD_REQUEST',
      'purposes must be a non-empty list (at most 64) of purpose names.',
    )
  }
  purposes.forEach((purpose, i) => {
    if (typeof purpose !== 'string' || !policy.vocabulary.has(purpose)) {
      throw new ServerError(
        'BAD_REQUEST',
        `purposes[${i}]: ${JSON.stringify(purpose)} is not a known purpose; use one of ${policy.vocabulary
          .list()
          .map((p) => p.name)
          .join(', ')}.`,
      )
    }
  })
  const reason = reasonOf(body)
  const { store, locks } = rc.services
  const result = await recordWithdrawal(
    {
      store,
      state,
      find: (subject) => findSubjectVcons(store, subject),
      lock: (uuid, work) => locks.run(uuid, work),
      ...(rc.app.ledger === undefined ? {} : { lifecycle: rc.app.ledger.recorder }),
      now: rc.app.now,
    },
    { party, purposes: purposes as string[], ...(reason === undefined ? {} : { reason }) },
  )
  sendJson(rc.res, 201, {
    id: result.withdrawal.id,
    identifier: `${party.kind}:${party.value}`,
    purposes: result.withdrawal.purposes,
    createdAt: result.withdrawal.createdAt,
    amended: result.amended,
    ruleOnly: result.ruleOnly,
  })
}

async function restrict(rc: RequestContext): Promise<void> {
  const { state } = privacyOf(rc.app)
  const body = await readJsonObject(
    rc.req,
    BODY_LIMIT,
    '{ "uuid": "…" } or { "identifier": "tel:…" }',
  )
  if ((body.uuid === undefined) === (body.identifier === undefined)) {
    throw new ServerError(
      'BAD_REQUEST',
      'Give exactly one of uuid (one vCon) or identifier (a party).',
    )
  }
  let target: Restriction['target']
  if (body.uuid !== undefined) {
    if (typeof body.uuid !== 'string' || !isUuid(body.uuid)) {
      throw new ServerError('BAD_REQUEST', 'uuid must be a uuid (8-4-4-4-12 hexadecimal digits).')
    }
    target = { uuid: body.uuid.toLowerCase() }
  } else {
    target = { party: identifierOf(body) }
  }
  const reason = reasonOf(body)
  const restriction: Restriction = {
    id: randomUUID(),
    target,
    reason,
    createdAt: new Date(rc.app.now()).toISOString(),
  }
  await state.addRestriction(restriction)
  sendJson(rc.res, 201, restrictionJson(restriction))
}

async function listRestrictions(rc: RequestContext): Promise<void> {
  const { state } = privacyOf(rc.app)
  sendJson(rc.res, 200, { items: (await state.listRestrictions()).map(restrictionJson) })
}

async function lift(rc: RequestContext): Promise<void> {
  const { state } = privacyOf(rc.app)
  const id = rc.params.id ?? ''
  if (!(await state.removeRestriction(id))) {
    throw new ServerError('NOT_FOUND', `No restriction with id ${id}.`)
  }
  sendEmpty(rc.res, 204)
}

async function skips(rc: RequestContext): Promise<void> {
  const { state } = privacyOf(rc.app)
  const uuid = pathUuid(rc)
  sendJson(rc.res, 200, { uuid, items: (await state.skipsOf(uuid)).map(skipJson) })
}

export const privacyConsentRoutes: readonly Route[] = [
  { method: 'POST', path: '/v1/privacy/withdrawals', access: 'admin', handle: withdraw },
  { method: 'POST', path: '/v1/privacy/restrictions', access: 'admin', handle: restrict },
  { method: 'GET', path: '/v1/privacy/restrictions', access: 'admin', handle: listRestrictions },
  { method: 'DELETE', path: '/v1/privacy/restrictions/{id}', access: 'admin', handle: lift },
  { method: 'GET', path: '/v1/vcons/{uuid}/skips', access: 'read', handle: skips },
]
