/**
 * @module The JSON answer to a create or replace in /v1: what was stored, in which form, whether the server
 * upgraded it (then the stored text is the re-serialised upgrade, not the body as sent), and the warnings.
 */
import type { PreparedVcon } from '../ingest/prepare-vcon.js'

export interface Receipt {
  readonly uuid: string
  readonly form: 'unsigned' | 'signed' | 'encrypted'
  readonly version: number
  readonly location: string
  readonly upgradedFrom?: string
  readonly warnings: readonly { pointer: string; code: string; severity: string; message: string }[]
}

/** The path of a vCon in /v1. */
export function vconLocation(uuid: string): string {
  return `/v1/vcons/${encodeURIComponent(uuid)}`
}

export function receiptOf(prepared: PreparedVcon, version: number): Receipt {
  return {
    uuid: prepared.record.uuid,
    form: prepared.form,
    version,
    location: vconLocation(prepared.record.uuid),
    ...(prepared.upgradedFrom === undefined ? {} : { upgradedFrom: prepared.upgradedFrom }),
    warnings: prepared.warnings.map((i) => ({
      pointer: i.pointer,
      code: i.code,
      severity: i.severity,
      message: i.message,
    })),
  }
}
