/**
 * @module `vcon audit replay --ledger URL [--state FILE]`: completeness (scitt.md §4.1 step 8). Takes the signed
 * checkpoint, downloads every entry up to its size (GET /entries, paged), checks each entry id is its leaf hash
 * and the indices are contiguous, recomputes the RFC 9162 root and compares it with the checkpoint. With
 * --state, the previous run's checkpoint must be a prefix of this tree (the log only grew: its root is
 * recomputed from our own leaves, and the ledger's consistency receipt must agree); the new one is saved.
 */
import { readFile, writeFile } from 'node:fs/promises'
import {
  isLedgerError,
  leafHash,
  MerkleTree,
  type VerificationKey,
  verifyCheckpoint,
  verifyConsistencyReceipt,
} from '@vconkit/ledger'
import { CliError } from '../cli-error.js'
import { b64, fromB64, hex, type LedgerReader } from './audit-keys.js'

interface SavedState {
  readonly treeSize: number
  readonly root: string
  readonly timestamp: number
  readonly iss: string
}

interface EntryPage {
  readonly entries: readonly {
    readonly entryId: string
    readonly index: number
    readonly statement: string
  }[]
}

async function readState(path: string): Promise<SavedState | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CliError(`--state: cannot read ${path} (${(error as Error).message})`)
  }
  const value = JSON.parse(text) as Partial<SavedState>
  if (typeof value.treeSize !== 'number' || typeof value.root !== 'string') {
    throw new CliError(`--state: ${path} is not a state file written by vcon audit replay`)
  }
  return value as SavedState
}

/**
 * The ledger's own receipt of consistency from the saved checkpoint to `size` (RFC 9942 §5.3) must verify and
 * lead to the root replayed from the downloaded leaves: a log that proves growth to some other tree than the one
 * it serves is caught. Undefined when it agrees, else why not.
 */
async function ledgerProofAgrees(
  reader: LedgerReader,
  logKeys: readonly VerificationKey[],
  previous: SavedState,
  size: number,
  root: Uint8Array,
): Promise<string | undefined> {
  try {
    const proof = await reader.bytes(`/consistency?from=${previous.treeSize}&to=${size}`)
    const verified = verifyConsistencyReceipt(proof, {
      root1: Buffer.from(previous.root, 'hex'),
      treeSize1: previous.treeSize,
      logKeys,
    })
    if (verified.treeSize2 !== size) return `it proves size ${verified.treeSize2}, not ${size}`
    if (hex(verified.root2) !== hex(root)) {
      return `it leads to root ${hex(verified.root2).slice(0, 16)}…, not the replayed ${hex(root).slice(0, 16)}…`
    }
    return undefined
  } catch (error) {
    if (!isLedgerError(error)) throw error
    return error.message
  }
}

export async function auditReplay(
  reader: LedgerReader,
  logKeys: readonly VerificationKey[],
  statePath: string | undefined,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = []
  const bytes = await reader.bytes('/checkpoint')
  const checkpoint = verifyCheckpoint(bytes, { logKeys })
  const tree = new MerkleTree()
  let ok = true
  while (tree.size < checkpoint.treeSize) {
    const page = await reader.json<EntryPage>(`/entries?from=${tree.size}&limit=1000`)
    if (page.entries.length === 0) break
    for (const entry of page.entries) {
      if (tree.size >= checkpoint.treeSize) break
      const leaf = leafHash(fromB64(entry.statement))
      if (entry.index !== tree.size || hex(leaf) !== entry.entryId) {
        lines.push(
          `FAIL entry ${entry.index}: id ${entry.entryId} is not its leaf hash at index ${tree.size}`,
        )
        return { ok: false, lines }
      }
      tree.appendLeafHash(leaf)
    }
  }
  if (tree.size !== checkpoint.treeSize) {
    lines.push(
      `FAIL the ledger served ${tree.size} entries; its checkpoint says ${checkpoint.treeSize}`,
    )
    return { ok: false, lines }
  }
  const root = tree.root()
  const match = hex(root) === hex(checkpoint.root)
  ok &&= match
  lines.push(
    `${match ? 'ok  ' : 'FAIL'} replayed ${tree.size} entries; root ${hex(root).slice(0, 16)}… ${match ? 'equals' : 'DIFFERS FROM'} the signed checkpoint (${new Date(checkpoint.timestamp).toISOString()})`,
  )
  if (statePath !== undefined) {
    const previous = await readState(statePath)
    if (previous !== undefined) {
      if (previous.treeSize > tree.size) {
        lines.push(`FAIL the log shrank from ${previous.treeSize} to ${tree.size} entries`)
        ok = false
      } else if (previous.timestamp > checkpoint.timestamp) {
        lines.push('FAIL the checkpoint is older than the one saved last time')
        ok = false
      } else {
        const prefix = previous.treeSize === 0 ? undefined : tree.root(previous.treeSize)
        const grew = prefix === undefined || hex(prefix) === previous.root
        ok &&= grew
        lines.push(
          `${grew ? 'ok  ' : 'FAIL'} the log ${grew ? 'only grew' : 'was REWRITTEN'} since the saved checkpoint (${previous.treeSize} -> ${tree.size})`,
        )
        if (grew && previous.treeSize > 0 && previous.treeSize < tree.size) {
          const agrees = await ledgerProofAgrees(reader, logKeys, previous, tree.size, root)
          ok &&= agrees === undefined
          lines.push(
            agrees === undefined
              ? `ok   the ledger's signed consistency proof ${previous.treeSize} -> ${tree.size} leads to the replayed root`
              : `FAIL the ledger's consistency proof ${previous.treeSize} -> ${tree.size}: ${agrees}`,
          )
        }
      }
    }
    if (ok) {
      const state: SavedState & { checkpoint: string } = {
        treeSize: checkpoint.treeSize,
        root: hex(checkpoint.root),
        timestamp: checkpoint.timestamp,
        iss: checkpoint.iss,
        checkpoint: b64(bytes),
      }
      await writeFile(statePath, `${JSON.stringify(state, null, 2)}\n`)
    }
  }
  return { ok, lines }
}
