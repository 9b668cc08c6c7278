/**
 * @module Automated processing of a data subject's vCons (GDPR Art. 15(1)(h) and Art. 22: the subject may know of
 * automated decision-making and the logic involved): every analysis entry of every vCon of the subject (core draft
 * §4.5: type, vendor, product, schema, the dialogs it covers) and, when the ledger is on, the times the pipeline
 * enhanced each vCon (vcon_enhanced events with their reason token, draft-howe-vcon-lifecycle).
 */
import type { ConserverLedger } from '../ledger/conserver-ledger.js'
import type { Store } from '../ports/store.js'
import { readStoredVcon } from '../store/stored-form.js'
import type { SubjectVcon } from './find-subject.js'

/** One analysis entry of one vCon. */
export interface SubjectDecision {
  readonly uuid: string
  readonly analysisIndex: number
  readonly type: string | null
  readonly vendor: string | null
  readonly product: string | null
  readonly schema: string | null
  /** The dialog indices it was derived from (core draft §4.5.2), as written. */
  readonly dialog: number | readonly number[] | null
  /**
   * When the analysis says it was made: its own `created_at` (an extension), or `created_at` in its body or body
   * metadata (WTF transcriptions), or `amended_at` (amendment provenance). Null when it does not say: the core
   * draft gives analyses no time; see `enhancements` for when the pipeline changed the vCon.
   */
  readonly created_at: string | null
}

/** A pipeline run that changed a vCon (ledger vcon_enhanced), without personal data. */
export interface SubjectEnhancement {
  readonly uuid: string
  readonly occurred_at: string
  readonly reason: string | null
}

export interface SubjectDecisions {
  readonly decisions: readonly SubjectDecision[]
  /** Null when the ledger is off. */
  readonly enhancements: readonly SubjectEnhancement[] | null
  /** vCons whose analyses cannot be read (encrypted). */
  readonly unreadable: readonly string[]
}

const READ_BATCH = 100

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

function timeOf(analysis: Record<string, unknown>): string | null {
  const body = analysis.body
  const inner = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const metadata =
    typeof inner.metadata === 'object' && inner.metadata !== null
      ? (inner.metadata as Record<string, unknown>)
      : {}
  return (
    text(analysis.created_at) ??
    text(inner.created_at) ??
    text(metadata.created_at) ??
    text(inner.amended_at)
  )
}

function dialogOf(value: unknown): number | readonly number[] | null {
  if (typeof value === 'number') return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[]
  return null
}

/** The analyses and enhancements of the subject's vCons, in the order of `vcons`. */
export async function listDecisions(
  store: Store,
  ledger: ConserverLedger | undefined,
  vcons: readonly SubjectVcon[],
): Promise<SubjectDecisions> {
  const decisions: SubjectDecision[] = []
  const unreadable: string[] = []
  for (let i = 0; i < vcons.length; i += READ_BATCH) {
    const batch = vcons.slice(i, i + READ_BATCH)
    for (const stored of await store.getMany(batch.map((v) => v.uuid))) {
      if (stored === undefined) continue
      const vcon = readStoredVcon(stored.json).vcon
      if (vcon === undefined) {
        unreadable.push(stored.uuid)
        continue
      }
      const analyses: readonly unknown[] = Array.isArray(vcon.analysis) ? vcon.analysis : []
      analyses.forEach((entry, analysisIndex) => {
        if (typeof entry !== 'object' || entry === null) return
        const a = entry as Record<string, unknown>
        decisions.push({
          uuid: stored.uuid,
          analysisIndex,
          type: text(a.type),
          vendor: text(a.vendor),
          product: text(a.product),
          schema: text(a.schema),
          dialog: dialogOf(a.dialog),
          created_at: timeOf(a),
        })
      })
    }
  }
  if (ledger === undefined) return { decisions, enhancements: null, unreadable }
  await ledger.recorder.flush()
  const enhancements: SubjectEnhancement[] = []
  for (const { uuid } of vcons) {
    for (const event of await ledger.recorder.events(uuid)) {
      if (event.event !== 'vcon_enhanced') continue
      enhancements.push({
        uuid,
        occurred_at: String(event.document.occurred_at),
        reason: text(event.document.reason),
      })
    }
  }
  return { decisions, enhancements, unreadable }
}
