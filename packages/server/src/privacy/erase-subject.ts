/**
 * @module Erasure of a data subject (GDPR Art. 17): every vCon that names an identifier (find-subject.ts) is
 * either deleted everywhere (mode `delete`), or replaced by a version with the subject redacted out (mode
 * `redact`, redact-subject.ts), for when the other parties' data must be kept. In redact mode the redacted
 * version is stored under a new uuid, its `redacted` object pointing at the original (core draft §4.1.8), and
 * the unredacted original is then deleted everywhere; the ledger gets vcon_deleted for the original and
 * vcon_party_redacted for the new version (draft-howe-vcon-lifecycle).
 *
 * Redact mode checks every vCon before writing anything: a vCon that cannot be redacted (signed or encrypted,
 * an extension the redactor does not understand, an identifier left where the redactor cannot rewrite it)
 * refuses the whole request with 409, naming the uuids, so the caller can erase those with mode `delete`.
 */
import { randomUUID } from 'node:crypto'
import { parseVcon, serializeVcon, type ValidationMode, type Vcon, VconError } from '@vconkit/vcon'
import { ServerError } from '../errors/server-error.js'
import type { NewVcon, Store } from '../ports/store.js'
import { deriveIndex } from '../store/derive-index.js'
import { subjectParties, subjectResidue } from './erase-identifiers.js'
import { type ErasureDeps, eraseVcon, type RecordedEvent } from './erase-vcon.js'
import { findSubjectVcons, type SubjectIdentifier } from './find-subject.js'
import { redactSubject } from './redact-subject.js'

export interface SubjectErasureDeps extends ErasureDeps {
  readonly store: Store
  /**
   * Facts that follow a vCon to its redacted version, called with (original uuid, new uuid) before the original
   * is forgotten: the chain memberships, so that the chain's retention still applies to the new version.
   */
  readonly carry?: ((from: string, to: string) => Promise<void>) | undefined
}

export interface SubjectErasureOptions {
  readonly mode: 'delete' | 'redact'
  /** The server's validation mode: the redacted version must pass what the original passed. */
  readonly validation: ValidationMode
  readonly now: () => number
  /** The ledger reason token (default erasure_request). */
  readonly reason?: string
  /** uuids of redacted versions (default random). */
  readonly newUuid?: () => string
  /** vCons looked up per round (default 500); rounds repeat until the identifier finds nothing more. */
  readonly batch?: number
}

export interface RedactedVcon {
  readonly uuid: string
  /** Absent: the vCon holds nothing of the subject (it matched by lineage only) and was kept unchanged. */
  readonly newUuid?: string
  /** Content of the new version nobody could read (external urls, binary bodies); check it by other means. */
  readonly uninspected?: readonly string[]
}

export interface ErasureOutcome {
  readonly erased: string[]
  readonly redacted: RedactedVcon[]
  readonly events: RecordedEvent[]
}

/** Rounds at most: each round erases what it found, so only a store growing as fast as it is erased needs more. */
const MAX_ROUNDS = 100

interface Plan {
  readonly uuid: string
  readonly version: number
  /** Undefined: nothing of the subject in it, kept. */
  readonly record: NewVcon | undefined
  readonly uninspected: readonly string[]
}

function refuse(uuid: string, why: string): never {
  throw new ServerError(
    'CONFLICT',
    `The vCon ${uuid} cannot be redacted: ${why}. Nothing was erased; erase it with mode "delete" (or by uuid), then repeat the redaction for the others.`,
  )
}

/** Works out the redacted version of one stored vCon, or refuses (409). Pure apart from reading the store. */
async function plan(
  store: Store,
  uuid: string,
  subject: SubjectIdentifier,
  options: SubjectErasureOptions,
): Promise<Plan | undefined> {
  const stored = await store.get(uuid)
  if (stored === undefined) return undefined
  let vcon: Vcon
  try {
    const parsed = parseVcon(stored.json, { mode: 'lenient' })
    if (parsed.form !== 'unsigned') refuse(uuid, `it is ${parsed.form} and a change would break it`)
    vcon = parsed.vcon
  } catch (error) {
    if (error instanceof ServerError) throw error
    refuse(uuid, 'its stored text does not parse')
  }
  if (
    subjectParties(vcon, subject).length === 0 &&
    subjectResidue(vcon, subject, vcon).length === 0
  ) {
    return { uuid, version: stored.version, record: undefined, uninspected: [] }
  }
  const newUuid = (options.newUuid ?? randomUUID)()
  let redacted: ReturnType<typeof redactSubject>
  try {
    redacted = redactSubject(vcon, subject, {
      newUuid,
      now: () => new Date(options.now()),
    })
  } catch (error) {
    if (error instanceof VconError) refuse(uuid, error.message)
    throw error
  }
  const left = subjectResidue(redacted.vcon, subject, vcon)
  if (left.length > 0) refuse(uuid, `the identifier is still readable at ${left.join(', ')}`)
  const json = serializeVcon(redacted.vcon)
  // The new version goes through the same door as any ingested vCon, so every index derived from it is valid.
  let parsed: ReturnType<typeof parseVcon>
  try {
    parsed = parseVcon(json, { mode: options.validation })
  } catch (error) {
    // Pointers and codes only: a validator's message may quote a value, and this one would be the person's.
    const issues = error instanceof VconError ? error.issues : []
    const where = issues.map((i) => `${i.pointer || '/'} ${i.code}`).join(', ')
    refuse(uuid, `the redacted version does not validate${where === '' ? '' : ` (${where})`}`)
  }
  if (parsed.form !== 'unsigned') refuse(uuid, 'the redacted version is not an unsigned vCon')
  return {
    uuid,
    version: stored.version,
    record: {
      uuid: newUuid,
      json,
      vcon: parsed.vcon,
      index: deriveIndex(parsed.vcon, options.now),
    },
    uninspected: redacted.uninspected,
  }
}

/**
 * Erases every vCon of `subject`. Records the lifecycle events (not yet flushed: see proveEvents) and returns
 * what was done. Throws ServerError CONFLICT (redact mode) before any write when a vCon cannot be redacted.
 */
export async function eraseSubject(
  deps: SubjectErasureDeps,
  subject: SubjectIdentifier,
  options: SubjectErasureOptions,
): Promise<ErasureOutcome> {
  const reason = options.reason ?? 'erasure_request'
  const batch = Math.max(1, Math.trunc(options.batch ?? 500))
  const outcome: ErasureOutcome = { erased: [], redacted: [], events: [] }
  const seen = new Set<string>()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = (await findSubjectVcons(deps.store, subject, { limit: batch })).filter(
      (v) => !seen.has(v.uuid),
    )
    if (found.length === 0) break
    for (const v of found) seen.add(v.uuid)
    if (options.mode === 'delete') {
      for (const { uuid } of found) {
        if (await eraseVcon(deps, uuid, { event: 'vcon_deleted', reason })) {
          outcome.erased.push(uuid)
          outcome.events.push({ uuid, event: 'vcon_deleted' })
        }
      }
      continue
    }
    // Redact mode: check all of this round first, so a refusal leaves everything as it was.
    const plans: Plan[] = []
    for (const { uuid } of found) {
      const p = await plan(deps.store, uuid, subject, options)
      if (p !== undefined) plans.push(p)
    }
    for (const first of plans) await applyPlan(deps, subject, options, first, outcome, reason)
  }
  return outcome
}

async function applyPlan(
  deps: SubjectErasureDeps,
  subject: SubjectIdentifier,
  options: SubjectErasureOptions,
  first: Plan,
  outcome: ErasureOutcome,
  reason: string,
): Promise<void> {
  const work = async (): Promise<Plan | undefined> => {
    // Planned outside the lock; a pipeline step may have stored a new version since: plan that one instead.
    const current = await deps.store.get(first.uuid)
    if (current === undefined) return undefined
    const p =
      current.version === first.version
        ? first
        : await plan(deps.store, first.uuid, subject, options)
    if (p?.record === undefined) return p
    const [inserted] = await deps.store.insertMany([p.record])
    if (inserted?.status !== 'created') {
      throw new ServerError(
        'INTERNAL',
        `The redacted version of ${p.uuid} could not be stored (${inserted?.status}); nothing of it was erased, retry the request.`,
      )
    }
    return p
  }
  const done = deps.locks === undefined ? await work() : await deps.locks.run(first.uuid, work)
  if (done === undefined) return
  const record = done.record
  if (record === undefined) {
    outcome.redacted.push({ uuid: done.uuid })
    return
  }
  await deps.carry?.(done.uuid, record.uuid)
  if (await eraseVcon(deps, done.uuid, { event: 'vcon_deleted', reason })) {
    outcome.events.push({ uuid: done.uuid, event: 'vcon_deleted' })
  }
  deps.recorder?.record({
    event: 'vcon_party_redacted',
    vconUuid: record.uuid,
    vcon: record.json,
    reason,
  })
  outcome.events.push({ uuid: record.uuid, event: 'vcon_party_redacted' })
  outcome.redacted.push({
    uuid: done.uuid,
    newUuid: record.uuid,
    ...(done.uninspected.length === 0 ? {} : { uninspected: [...done.uninspected] }),
  })
}
