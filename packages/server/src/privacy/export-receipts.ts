/**
 * @module The lifecycle receipts of one vCon as the portability archive carries them: the same document as
 * `GET /v1/vcons/{uuid}/receipts` (the ledger's events with their signed statements, receipts and transparent
 * statements, base64url), so that the recipient can check the vCon's history without asking this server
 * (draft-howe-vcon-lifecycle; SCITT receipts, RFC 9052 COSE_Sign1).
 */
import { attachReceipt, encodeCoseKey } from '@vconkit/ledger'
import type { ConserverLedger } from '../ledger/conserver-ledger.js'
import type { LifecycleRecord } from '../ledger/lifecycle-recorder.js'

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')

function eventOf(record: LifecycleRecord) {
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

/** The receipts document of `uuid` (call `ledger.recorder.flush()` first to include the latest events). */
export async function receiptsDocument(ledger: ConserverLedger, uuid: string) {
  return {
    uuid,
    issuer: ledger.issuer,
    // Convenience only: an auditor pins the issuer key out of band.
    issuerKey: b64(encodeCoseKey(ledger.issuerKey)),
    ledger: ledger.log?.issuer ?? null,
    events: (await ledger.recorder.events(uuid)).map(eventOf),
  }
}
