/**
 * @module One append batch of the transparency log (transparency-log.ts): the verified statements waiting when
 * the storage became free are appended in one storage transaction under one signature over the new root, then
 * every waiting registration is answered with its receipt, built from the nodes the append produced (and the
 * older nodes its path needs, fetched in one call). A statement registered before is answered with its first
 * registration's receipt, rebuilt from storage.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { nodesForInclusionProof } from '../merkle/proofs.js'
import { createInclusionChecker } from '../merkle/verify-inclusion.js'
import type { LedgerEntry, LedgerStorage } from './ledger-storage.js'
import { assembleReceipt, prefetchNodes, receiptFromStorage } from './receipt-assembly.js'
import { type BatchSigner, buildBatch, type PreparedStatement } from './registration-batch.js'
import type { Registration } from './transparency-log.js'

/** A verified statement waiting for its append, with the registration's promise to settle. */
export interface Pending extends PreparedStatement {
  readonly resolve: (registration: Registration) => void
  readonly reject: (error: unknown) => void
}

/** The batch's signer, with the service clock (ms) read inside the storage's transaction rather than a time. */
export type BatchSignerAt = Omit<BatchSigner, 'nowMs'> & { readonly now: () => number }

/** Appends `items` and settles each one's registration; never throws (failures reject the registrations). */
export async function appendBatch(
  items: readonly Pending[],
  storage: LedgerStorage,
  signer: BatchSignerAt,
): Promise<void> {
  try {
    const ids = [...new Set(items.map((item) => item.entryId))]
    const appended = await storage.append(ids, (state) => {
      const result = buildBatch(items, state, {
        key: signer.key,
        issuer: signer.issuer,
        nowMs: signer.now(),
      })
      if (result.signedRoot === undefined || result.nodes === undefined) {
        return { batch: undefined, result }
      }
      const batch = {
        entries: result.entries,
        nodes: result.nodes.committed,
        signedRoot: result.signedRoot,
      }
      return { batch, result }
    })
    const byId = new Map<string, { entry: LedgerEntry; receipt: Promise<Uint8Array> }>()
    const { signedRoot, nodes } = appended
    if (signedRoot !== undefined && nodes !== undefined) {
      // The new nodes are at hand; fetch the older ones all the batch's paths need in one call.
      const addresses = appended.entries.flatMap((e) =>
        nodesForInclusionProof(e.index, signedRoot.treeSize),
      )
      await prefetchNodes(storage, nodes, addresses)
      const read = nodes.reader()
      const check = createInclusionChecker(signedRoot.treeSize, signedRoot.root)
      for (const entry of appended.entries) {
        const receipt = assembleReceipt(entry, signedRoot, read, check)
        byId.set(entry.entryId, { entry, receipt: Promise.resolve(receipt) })
      }
    }
    for (const [id, entry] of appended.existing)
      byId.set(id, { entry, receipt: receiptFromStorage(storage, entry) })
    const newIds = new Set(appended.entries.map((e) => e.entryId))
    const answered = new Set<string>()
    for (const item of items) {
      const found = byId.get(item.entryId)
      if (found === undefined) {
        item.reject(
          new LedgerError('LEDGER_STORE_CORRUPT', `Entry ${item.entryId} was not stored.`),
        )
        continue
      }
      // The first of several identical statements in one batch creates the entry; the others repeat it.
      const alreadyRegistered = !newIds.has(item.entryId) || answered.has(item.entryId)
      answered.add(item.entryId)
      found.receipt.then(
        (receipt) =>
          item.resolve({
            entryId: item.entryId,
            index: found.entry.index,
            receipt,
            alreadyRegistered,
          }),
        item.reject,
      )
    }
  } catch (error) {
    for (const item of items) item.reject(error)
  }
}
