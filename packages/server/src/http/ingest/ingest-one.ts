/**
 * @module Ingest of one vCon body, shared by `POST /v1/vcons`, `POST /vcon`, the external ingress and each line
 * of bulk ingest: prepare (parse, validate, index), then the write batcher (group commit, then enqueue).
 */
import type { AppContext } from '../../app/context.js'
import { ServerError } from '../../errors/server-error.js'
import { recordConsentAccepted } from '../../ledger/consent-accepted.js'
import { API_VCONS_ENQUEUED, INGEST_VCONS } from '../../observability/metric-names.js'
import type { InsertOutcome } from '../../ports/store.js'
import type { HttpServices } from '../route.js'
import { toServerError } from '../to-server-error.js'
import type { JobsFor } from './ingress-jobs.js'
import { type PreparedVcon, prepareVcon } from './prepare-vcon.js'

export interface IngestOptions {
  readonly jobsFor: JobsFor
  readonly lists: readonly string[]
  readonly idempotencyKey?: string
  /** Largest body, for parseVcon's own bound. */
  readonly maxBytes: number
}

/** What happened to the vCon: stored now, already there (409 or overwrite), or an idempotent replay. */
export interface IngestResult {
  readonly prepared: PreparedVcon
  readonly outcome: 'created' | 'exists' | 'replayed'
}

/** Records a refused body in the ingest counter (for /metrics) and rethrows it. */
function countRefusal(app: AppContext, thrown: unknown): never {
  const { error } = toServerError(thrown, '-')
  const outcome = error.code === 'UNAVAILABLE' ? 'unavailable' : 'invalid'
  app.metrics.inc(INGEST_VCONS, { outcome, form: 'unknown' })
  throw thrown
}

/**
 * Parses and stores one vCon. Resolves once it is committed and its jobs are queued; throws VconError or
 * ServerError (mapped to statuses by to-server-error.ts).
 */
export async function ingestOne(
  app: AppContext,
  services: HttpServices,
  text: string,
  options: IngestOptions,
): Promise<IngestResult> {
  let prepared: PreparedVcon
  try {
    prepared = prepareVcon(text, {
      mode: app.config.validation.mode,
      maxBytes: options.maxBytes,
      now: app.now,
    })
  } catch (thrown) {
    countRefusal(app, thrown)
  }
  const uuid = prepared.record.uuid
  const jobs = options.jobsFor(uuid)
  let outcome: InsertOutcome
  try {
    outcome = await services.batcher.submit({
      record: prepared.record,
      jobs,
      ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    })
    if (outcome.status === 'replayed' && (await services.store.get(uuid)) === undefined) {
      // Nothing to replay: the vCon was erased since (its key normally goes with it). Store it afresh.
      outcome = await services.batcher.submit({ record: prepared.record, jobs })
    }
  } catch (thrown) {
    countRefusal(app, thrown)
  }
  if (outcome.status === 'key-conflict') {
    app.metrics.inc(INGEST_VCONS, { outcome: 'invalid', form: prepared.form })
    throw new ServerError(
      'IDEMPOTENCY_KEY_REUSED',
      `This Idempotency-Key was used before for another vCon; use a new key for every distinct vCon (uuid ${uuid} was not stored).`,
    )
  }
  app.metrics.inc(INGEST_VCONS, { outcome: outcome.status, form: prepared.form })
  if (outcome.status === 'created') {
    app.ledger?.recorder.record({
      event: 'vcon_created',
      vconUuid: uuid,
      vcon: prepared.record.json,
    })
    recordConsentAccepted(app, {
      vconUuid: uuid,
      json: prepared.record.json,
      after: prepared.record.vcon,
    })
    for (const list of options.lists) app.metrics.inc(API_VCONS_ENQUEUED, { list, source: 'new' })
  }
  return { prepared, outcome: outcome.status }
}
