/**
 * @module `vcon audit history UUID --ledger URL`: one vCon's lifecycle as the ledger holds it (scitt.md §4.1
 * steps 1-6, 8): the entries with sub urn:uuid:<uuid> in log order, each transparent statement verified with
 * its event document (from the conserver's deletable registry, GET /v1/vcons/{uuid}/receipts), the `prev` chain
 * checked for gaps, and every receipt's root proven consistent with the current signed checkpoint.
 */
import {
  decodeCoseKey,
  isLedgerError,
  type VerificationKey,
  verifyCheckpoint,
  verifyConsistencyReceipt,
} from '@vconkit/ledger'
import { fromB64, hex, type LedgerReader } from './audit-keys.js'
import { type ItemVerdict, verifyItem } from './audit-verify.js'

interface ReceiptsAnswer {
  readonly issuerKey: string | null
  readonly events: readonly {
    readonly event: string
    readonly digest: string
    readonly entryId: string | null
    readonly document: {
      readonly prev: string | null
      readonly occurred_at: string
      readonly event: string
    }
  }[]
}

interface EntryPage {
  readonly entries: readonly { readonly entryId: string; readonly index: number }[]
  readonly next?: number
}

export interface HistoryResult {
  readonly ok: boolean
  readonly lines: readonly string[]
}

export async function auditHistory(
  uuid: string,
  reader: LedgerReader,
  keys: { issuerKeys: readonly VerificationKey[]; logKeys: readonly VerificationKey[] },
  warn: (text: string) => void,
): Promise<HistoryResult> {
  const lines: string[] = []
  let ok = true
  const registry = await reader.json<ReceiptsAnswer>(
    `/v1/vcons/${encodeURIComponent(uuid)}/receipts`,
  )
  let issuerKeys = keys.issuerKeys
  if (issuerKeys.length === 0 && registry.issuerKey !== null) {
    warn(
      'warning: issuer key not pinned; using the key the conserver reports (pin it with --issuer-key)\n',
    )
    issuerKeys = [decodeCoseKey(fromB64(registry.issuerKey))]
  }
  const byEntry = new Map(
    registry.events.flatMap((e) => (e.entryId === null ? [] : [[e.entryId, e]])),
  )
  const entries: { entryId: string; index: number }[] = []
  for (let from: number | undefined = 0; from !== undefined; ) {
    const page: EntryPage = await reader.json<EntryPage>(
      `/entries?sub=${encodeURIComponent(`urn:uuid:${uuid.toLowerCase()}`)}&from=${from}&limit=1000`,
    )
    entries.push(...page.entries)
    from = page.next
  }
  const verdicts: ItemVerdict[] = []
  let prevDigest: string | null = null
  /** Digests of the events already walked: a prev naming one of them but not the last is a fork. */
  const walked = new Set<string>()
  for (const entry of entries) {
    const event = byEntry.get(entry.entryId)
    const statement = await reader.bytes(`/signed-statements/${entry.entryId}`)
    const verdict = verifyItem(
      {
        label: event?.event ?? 'unknown event',
        statement,
        ...(event === undefined ? {} : { document: event.document }),
      },
      { issuerKeys, logKeys: keys.logKeys },
    )
    verdicts.push(verdict)
    const chain: string[] = []
    if (event === undefined) {
      chain.push('  prev chain: event document not available (deleted from the registry?)')
      ok = false
    } else {
      const expected = event.document.event === 'vcon_created' ? null : prevDigest
      const prev = event.document.prev
      if (prev !== expected) {
        // Two events naming the same earlier event (two writers each extended the chain) fork the history; a
        // prev naming no event of the log means events are missing.
        const kind = prev !== null && walked.has(prev) ? 'FORK' : 'GAP'
        chain.push(`  prev chain: ${kind} (prev ${prev}, expected ${expected})`)
        ok = false
      } else chain.push('  prev chain: linked')
      prevDigest = event.digest
      walked.add(event.digest)
    }
    ok &&= verdict.ok
    const when = event?.document.occurred_at ?? '?'
    lines.push(
      `${verdict.ok ? 'ok  ' : 'FAIL'} #${entry.index} ${verdict.label} ${when} entry ${entry.entryId.slice(0, 16)}…`,
      ...verdict.lines,
      ...chain,
    )
  }
  const pending = registry.events.filter((e) => e.entryId === null)
  for (const e of pending) {
    lines.push(`FAIL ${e.event} ${e.document.occurred_at}: recorded but not registered yet`)
    ok = false
  }
  // An event the registry says was registered must be in the ledger's history of this vCon: otherwise the
  // ledger hides it, and when it is the latest event (a deletion, say) no prev link would ever show the gap.
  const listed = new Set(entries.map((e) => e.entryId))
  for (const e of registry.events) {
    if (e.entryId === null || listed.has(e.entryId)) continue
    lines.push(
      `FAIL ${e.event} ${e.document.occurred_at}: registered as entry ${e.entryId}, but the ledger does not list it`,
    )
    ok = false
  }
  if (entries.length === 0) {
    lines.push(`no ledger entry about urn:uuid:${uuid}`)
    ok = false
  }

  // Every receipt's root must belong to the history the current checkpoint signs (RFC 9162 §2.1.4).
  try {
    const checkpoint = verifyCheckpoint(await reader.bytes('/checkpoint'), {
      logKeys: keys.logKeys,
    })
    const roots = new Map<number, Uint8Array>()
    for (const v of verdicts) {
      for (const r of v.receipts) {
        const seen = roots.get(r.treeSize)
        if (seen !== undefined && hex(seen) !== hex(r.root)) {
          lines.push(`FAIL two roots signed for tree size ${r.treeSize}: the log forked`)
          ok = false
        }
        roots.set(r.treeSize, r.root)
      }
    }
    for (const [size, root] of [...roots].sort((a, b) => a[0] - b[0])) {
      if (size === checkpoint.treeSize) {
        const same = hex(root) === hex(checkpoint.root)
        ok &&= same
        lines.push(`${same ? 'ok  ' : 'FAIL'} root at ${size} equals the checkpoint's`)
        continue
      }
      const proof = await reader.bytes(`/consistency?from=${size}&to=${checkpoint.treeSize}`)
      const verified = verifyConsistencyReceipt(proof, {
        root1: root,
        treeSize1: size,
        logKeys: keys.logKeys,
      })
      const same = hex(verified.root2) === hex(checkpoint.root)
      ok &&= same
      lines.push(
        `${same ? 'ok  ' : 'FAIL'} consistency ${size} -> ${checkpoint.treeSize} (checkpoint ${new Date(checkpoint.timestamp).toISOString()})`,
      )
    }
  } catch (error) {
    if (!isLedgerError(error)) throw error
    lines.push(`FAIL consistency: ${error.code}: ${error.message}`)
    ok = false
  }
  return { ok, lines }
}
