/**
 * @module The lifecycle receipts kept beside a vCon: `GET /v1/vcons/{uuid}/receipts` lists its lifecycle events
 * (from the ledger outbox) with their statements, receipts and transparent statements, and
 * `POST /v1/vcons/{uuid}/receipts:attach` adds them to the vCon as one analysis entry of type `scitt_receipt`
 * (the place vcon-server's SCITT link uses, scitt.md §1.1). Attaching changes the vCon, which is itself
 * recorded as a vcon_enhanced event (whose receipt a later attach picks up).
 */
import { attachReceipt, encodeCoseKey } from '@vconkit/ledger'
import { ServerError } from '../../errors/server-error.js'
import type { LifecycleRecord, LifecycleRecorder } from '../../ledger/lifecycle-recorder.js'
import { pathUuid } from '../path-uuid.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { editStored } from './edit-stored.js'
import { vconLocation } from './receipt.js'

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')

function recorderOf(rc: RequestContext): LifecycleRecorder {
  const recorder = rc.app.ledger?.recorder
  if (recorder === undefined) {
    throw new ServerError(
      'NOT_FOUND',
      'This conserver records no lifecycle events (ledger.mode: off).',
    )
  }
  return recorder
}

function describe(record: LifecycleRecord) {
  return {
    seq: record.seq,
    event: record.event,
    digest: record.digest,
    document: record.document,
    statement: b64(record.statement),
    entryId: record.entryId ?? null,
    receipt: record.receipt === undefined ? null : b64(record.receipt),
    transparentStatement:
      record.receipt === undefined ? null : b64(attachReceipt(record.statement, record.receipt)),
  }
}

async function list(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const recorder = recorderOf(rc)
  await recorder.flush()
  const events = await recorder.events(uuid)
  if (events.length === 0 && (await rc.services.store.get(uuid)) === undefined) {
    throw new ServerError('NOT_FOUND', `No vCon ${uuid} and no lifecycle events for it.`)
  }
  sendJson(rc.res, 200, {
    uuid,
    issuer: rc.app.ledger?.issuer,
    // Convenience only: an auditor pins the issuer key out of band (vcon audit --issuer-key).
    issuerKey: rc.app.ledger === undefined ? null : b64(encodeCoseKey(rc.app.ledger.issuerKey)),
    ledger: rc.app.ledger?.log?.issuer ?? null,
    events: events.map(describe),
  })
}

async function attach(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const recorder = recorderOf(rc)
  await recorder.flush()
  const registered = (await recorder.events(uuid)).filter((e) => e.receipt !== undefined)
  if (registered.length === 0) {
    throw new ServerError(
      'CONFLICT',
      `No registered lifecycle event for ${uuid} yet; retry shortly.`,
    )
  }
  const body = registered.map((e) => ({
    entry_id: e.entryId,
    vcon_operation: e.event,
    event_digest: e.digest,
    vcon_hash: e.document.vcon_hash,
    cose_receipt: b64(e.receipt as Uint8Array),
    transparent_statement: b64(attachReceipt(e.statement, e.receipt as Uint8Array)),
  }))
  const { result: index, version } = await editStored(rc, uuid, (vcon, now) => {
    const existing = Array.isArray(vcon.analysis) ? (vcon.analysis as readonly unknown[]) : []
    const entry = {
      type: 'scitt_receipt',
      vendor: 'vconkit',
      product: 'vconkit-ledger',
      encoding: 'json',
      body,
    }
    return {
      vcon: { ...vcon, analysis: [...existing, entry], updated_at: now },
      result: existing.length,
    }
  })
  sendJson(
    rc.res,
    201,
    { uuid, field: 'analysis', index, version, receipts: body.length },
    { location: vconLocation(uuid), etag: `"${version}"` },
  )
}

export const receiptRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/vcons/{uuid}/receipts', access: 'read', handle: list },
  { method: 'POST', path: '/v1/vcons/{uuid}/receipts:attach', access: 'admin', handle: attach },
]
