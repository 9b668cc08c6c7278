/**
 * @module `vcon audit verify FILE`: the offline check of scitt.md §4.1 steps 1-5 against pinned keys. FILE is a
 * transparent statement (binary COSE), or JSON holding them: the answer of GET /v1/vcons/{uuid}/receipts, a vCon
 * with a `scitt_receipt` analysis entry, or an array of base64url transparent statements. For each statement:
 * strict decoding, the issuer signature, the hash-envelope binding to its event document when the JSON carries
 * it, the leaf, and for each receipt the inclusion proof and the log signature: one verdict per receipt.
 */
import { readFile } from 'node:fs/promises'
import {
  checkEventBinding,
  isLedgerError,
  LIFECYCLE_EVENT_MEDIA_TYPE,
  type VerificationKey,
  verifyTransparentStatement,
} from '@vconkit/ledger'
import { CliError } from '../cli-error.js'
import { fromB64, hex } from './audit-keys.js'

/** One transparent statement to check, with its event document when known. */
export interface AuditItem {
  readonly label: string
  readonly statement: Uint8Array
  readonly document?: unknown
}

/** The verdict lines of one statement. */
export interface ItemVerdict {
  readonly label: string
  readonly ok: boolean
  readonly lines: readonly string[]
  /** Valid receipts: tree size, leaf index, root (hex) — for consistency checks. */
  readonly receipts: readonly { treeSize: number; leafIndex: number; root: Uint8Array }[]
}

function itemsFromJson(value: unknown): AuditItem[] {
  const items: AuditItem[] = []
  const push = (label: string, statement: unknown, document?: unknown) => {
    if (typeof statement === 'string' && statement !== '') {
      items.push({
        label,
        statement: fromB64(statement),
        ...(document === undefined ? {} : { document }),
      })
    }
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) push(`statement ${i}`, v)
    return items
  }
  const object = value as Record<string, unknown>
  if (Array.isArray(object.events)) {
    for (const e of object.events as Record<string, unknown>[]) {
      push(`${String(e.event)} #${String(e.seq)}`, e.transparentStatement, e.document)
    }
    return items
  }
  if (Array.isArray(object.analysis)) {
    for (const a of object.analysis as Record<string, unknown>[]) {
      if (a.type !== 'scitt_receipt' || !Array.isArray(a.body)) continue
      for (const b of a.body as Record<string, unknown>[]) {
        push(
          `${String(b.vcon_operation)} ${String(b.entry_id).slice(0, 12)}`,
          b.transparent_statement,
        )
      }
    }
  }
  return items
}

/** Reads FILE into the statements to check. */
export async function readAuditFile(path: string): Promise<AuditItem[]> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new CliError(`cannot read ${path} (${(error as Error).message})`)
  }
  if (bytes[0] === 0xd2 || bytes[0] === 0x84)
    return [{ label: path, statement: new Uint8Array(bytes) }]
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new CliError(`${path} is neither a COSE transparent statement nor JSON`)
  }
  const items = itemsFromJson(value)
  if (items.length === 0) throw new CliError(`${path} holds no transparent statement`)
  return items
}

/** Verifies one transparent statement: one line per receipt, with the reason on failure. */
export function verifyItem(
  item: AuditItem,
  keys: {
    readonly issuerKeys: readonly VerificationKey[]
    readonly logKeys: readonly VerificationKey[]
  },
): ItemVerdict {
  const lines: string[] = []
  try {
    const verdict = verifyTransparentStatement(item.statement, {
      issuerKeys: keys.issuerKeys,
      logKeys: keys.logKeys,
      expectedPreimageContentType: LIFECYCLE_EVENT_MEDIA_TYPE,
    })
    let ok = verdict.valid
    lines.push(
      `  statement: valid (iss ${verdict.statement.iss}, sub ${verdict.statement.sub}, leaf ${hex(verdict.leafHash).slice(0, 16)}…)`,
    )
    if (item.document !== undefined) {
      try {
        checkEventBinding(item.document, verdict.statement)
        lines.push('  event document: bound (JCS SHA-256 equals the payload)')
      } catch (error) {
        ok = false
        lines.push(`  event document: INVALID ${(error as Error).message}`)
      }
    }
    if (verdict.receipts.length === 0) lines.push('  receipts: none (INVALID: not registered)')
    const receipts: { treeSize: number; leafIndex: number; root: Uint8Array }[] = []
    for (const r of verdict.receipts) {
      if (r.valid) {
        receipts.push({
          treeSize: r.receipt.treeSize,
          leafIndex: r.receipt.leafIndex,
          root: r.receipt.root,
        })
        lines.push(
          `  receipt ${r.index}: valid (leaf ${r.receipt.leafIndex} of ${r.receipt.treeSize}, log ${r.receipt.iss})`,
        )
      } else lines.push(`  receipt ${r.index}: INVALID ${r.code}: ${r.reason}`)
    }
    return { label: item.label, ok, lines, receipts }
  } catch (error) {
    if (!isLedgerError(error)) throw error
    lines.push(`  statement: INVALID ${error.code}: ${error.message}`)
    return { label: item.label, ok: false, lines, receipts: [] }
  }
}
