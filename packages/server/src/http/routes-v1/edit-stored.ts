/**
 * @module Read-modify-write of a stored vCon (append, tags): under the per-uuid lock, load the stored JSON,
 * apply a change to a copy, validate the result with `parseVcon` in the configured mode (422 with the issues when
 * the change breaks it), store it as `serializeVcon` output (the version grows by one) and answer with the new
 * version. Signed and encrypted vCons cannot be edited: a change would break the signature (409).
 */
import { detectForm, parseVcon, serializeVcon } from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import { recordConsentAccepted } from '../../ledger/consent-accepted.js'
import { deriveIndex } from '../../store/derive-index.js'
import { notFound } from '../path-uuid.js'
import type { RequestContext } from '../route.js'

/** A change: returns the new vCon object (a copy; the input must not be mutated) and a result to report. */
export type VconEdit<T> = (
  vcon: Readonly<Record<string, unknown>>,
  now: string,
) => {
  readonly vcon: Record<string, unknown>
  readonly result: T
}

/** Applies `edit` to the stored vCon `uuid`; resolves with the edit's result and the new version. */
export async function editStored<T>(
  rc: RequestContext,
  uuid: string,
  edit: VconEdit<T>,
): Promise<{ readonly result: T; readonly version: number }> {
  // The lock orders this server's own edits; a pipeline worker (here or in another process) may still store a
  // new version in between, so the write is a compare-and-set and the edit is applied again on a conflict.
  return rc.services.locks.run(uuid, async () => {
    for (let tries = 1; ; tries++) {
      const done = await editOnce(rc, uuid, edit)
      if (done !== 'conflict') return done
      if (tries >= MAX_TRIES) {
        throw new ServerError(
          'UNAVAILABLE',
          `The vCon ${uuid} kept changing while this edit was applied; retry the request.`,
          { retryAfter: 1 },
        )
      }
    }
  })
}

/** How many times an edit is applied again when the vCon changed under it. */
const MAX_TRIES = 3

async function editOnce<T>(
  rc: RequestContext,
  uuid: string,
  edit: VconEdit<T>,
): Promise<{ readonly result: T; readonly version: number } | 'conflict'> {
  const { store } = rc.services
  const { app } = rc
  const stored = await store.get(uuid)
  if (stored === undefined) throw notFound(uuid)
  const current: unknown = JSON.parse(stored.json)
  const form = detectForm(current)
  if (form !== 'unsigned') {
    throw new ServerError(
      'CONFLICT',
      `The vCon ${uuid} is stored ${form === 'signed' ? 'signed (JWS)' : form === 'encrypted' ? 'encrypted (JWE)' : 'in an unreadable form'}; changing it would break its ${form === 'encrypted' ? 'encryption' : 'signature'}. Replace it with PUT instead.`,
    )
  }
  const nowIso = new Date(app.now()).toISOString()
  const changed = edit(current as Record<string, unknown>, nowIso)
  const parsed = parseVcon(changed.vcon, { mode: app.config.validation.mode })
  if (parsed.form !== 'unsigned') {
    throw new ServerError('BAD_REQUEST', 'The change would turn the vCon into another form.')
  }
  const json = serializeVcon(parsed.vcon)
  const written = await store.put(
    { uuid, json, vcon: parsed.vcon, index: deriveIndex(parsed.vcon, app.now) },
    { expectedVersion: stored.version },
  )
  if (written === 'missing') throw notFound(uuid)
  if (written === 'conflict') return 'conflict'
  app.ledger?.recorder.record({ event: 'vcon_enhanced', vconUuid: uuid, vcon: json })
  recordConsentAccepted(app, { vconUuid: uuid, json, after: parsed.vcon, before: current })
  return { result: changed.result, version: stored.version + 1 }
}
