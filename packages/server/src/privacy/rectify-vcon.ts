/**
 * @module Rectification (GDPR Art. 16) of a stored vCon: never an overwrite. The corrections make a new version
 * with amendVcon (core draft §4.1.9: a new uuid, `amended` naming the prior, and an `amendment_provenance`
 * analysis listing the corrected pointers and the reason); the new version is stored beside the prior, which
 * stays byte for byte as it was, and its creation is recorded in the ledger (vcon_created, reason
 * "rectification"). A signed or encrypted prior cannot be rectified here: its signature covers the content, and
 * the server cannot read an encrypted one.
 */
import { randomUUID } from 'node:crypto'
import {
  type AmendReplacement,
  amendVcon,
  isVconError,
  parseVcon,
  serializeVcon,
  type ValidationMode,
  type Vcon,
} from '@vconkit/vcon'
import { ServerError } from '../errors/server-error.js'
import type { ConserverLedger } from '../ledger/conserver-ledger.js'
import type { Store } from '../ports/store.js'
import { deriveIndex } from '../store/derive-index.js'
import { readStoredVcon } from '../store/stored-form.js'

/** A rectification request as the API takes it. */
export interface RectificationRequest {
  readonly uuid: string
  readonly corrections: readonly AmendReplacement[]
  readonly reason: string
}

export interface RectificationResult {
  /** The new version. */
  readonly uuid: string
  /** The prior version, kept unchanged. */
  readonly amends: string
  /** The corrected pointers, in order. */
  readonly corrected: readonly string[]
}

export interface RectifyDeps {
  readonly store: Store
  readonly ledger: ConserverLedger | undefined
  readonly mode: ValidationMode
  readonly now: () => number
  /** Runs `work` while holding the per-uuid lock (no concurrent edit of the prior). */
  readonly lock: <T>(uuid: string, work: () => Promise<T>) => Promise<T>
  readonly newUuid?: () => string
}

/** The ledger reason of a version made by rectification (GDPR Art. 16): the ledger's own "correction". */
export const RECTIFICATION_REASON = 'correction'
const MAX_CORRECTIONS = 100
const MAX_REASON = 1000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const bad = (message: string) => new ServerError('BAD_REQUEST', message)

/** Checks the body of `POST /v1/privacy/rectifications`; 400 naming the field that is wrong. */
export function readRectificationRequest(
  body: Readonly<Record<string, unknown>>,
): RectificationRequest {
  const { uuid, corrections, reason } = body
  if (typeof uuid !== 'string' || !UUID.test(uuid)) {
    throw bad(
      'uuid must be the uuid of the stored vCon to rectify (8-4-4-4-12 hexadecimal digits).',
    )
  }
  if (
    !Array.isArray(corrections) ||
    corrections.length === 0 ||
    corrections.length > MAX_CORRECTIONS
  ) {
    throw bad(
      `corrections must be an array of 1 to ${MAX_CORRECTIONS} objects {"pointer": "/parties/0/tel", "value": …}.`,
    )
  }
  const out = corrections.map((item: unknown, i): AmendReplacement => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw bad(`corrections[${i}] must be an object {"pointer", "value"}.`)
    }
    const { pointer, value } = item as Record<string, unknown>
    if (typeof pointer !== 'string' || !pointer.startsWith('/')) {
      throw bad(
        `corrections[${i}].pointer must be a JSON pointer (RFC 6901) such as "/parties/0/tel".`,
      )
    }
    if (value === undefined)
      throw bad(`corrections[${i}].value is missing: give the corrected value.`)
    return { pointer, value }
  })
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
    throw bad(
      `reason must say why the data is corrected (1 to ${MAX_REASON} characters); it is kept in the new version.`,
    )
  }
  return { uuid, corrections: out, reason: reason.trim() }
}

function refuseForm(uuid: string, form: string): ServerError {
  const why =
    form === 'signed'
      ? 'stored signed (JWS): its signature covers the content, so a corrected version would carry no valid signature. Have the signer issue the corrected version, and store it with POST /v1/vcons'
      : form === 'encrypted'
        ? 'stored encrypted (JWE): the server holds no key to read it. Decrypt it, correct it and store the corrected version with POST /v1/vcons'
        : 'not a readable vCon'
  return new ServerError('CONFLICT', `The vCon ${uuid} cannot be rectified here: it is ${why}.`)
}

/** The amended version, or a 422 naming the first correction that cannot be applied. */
function amend(prior: Vcon, request: RectificationRequest, newUuid: string, now: Date): Vcon {
  const make = (replace: readonly AmendReplacement[]) =>
    amendVcon(prior, { replace, reason: request.reason }, { newUuid, now: () => now })
  try {
    return make(request.corrections)
  } catch (error) {
    if (!isVconError(error)) throw error
    // Corrections apply in order (a later one may rely on an earlier one): the first failing prefix names it.
    for (let i = 0; i < request.corrections.length; i++) {
      try {
        make(request.corrections.slice(0, i + 1))
      } catch (inner) {
        if (!isVconError(inner)) throw inner
        throw new ServerError('VCON_INVALID', `corrections[${i}]: ${inner.message}`, {
          cause: inner,
        })
      }
    }
    throw new ServerError('VCON_INVALID', `corrections: ${error.message}`, { cause: error })
  }
}

/** Makes, stores and records the rectified version of `request.uuid`. */
export async function rectifyVcon(
  deps: RectifyDeps,
  request: RectificationRequest,
): Promise<RectificationResult> {
  return deps.lock(request.uuid, async () => {
    const stored = await deps.store.get(request.uuid)
    if (stored === undefined)
      throw new ServerError('NOT_FOUND', `No vCon with uuid ${request.uuid} is stored.`)
    const readable = readStoredVcon(stored.json)
    if (readable.form !== 'unsigned' || readable.vcon === undefined)
      throw refuseForm(request.uuid, readable.form)
    const newUuid = (deps.newUuid ?? randomUUID)()
    const next = amend(readable.vcon as unknown as Vcon, request, newUuid, new Date(deps.now()))
    // The corrected version must be a valid vCon in the server's mode: a correction cannot smuggle in a bad one.
    const parsed = parseVcon(next, { mode: deps.mode })
    if (parsed.form !== 'unsigned')
      throw new ServerError('VCON_INVALID', 'The corrected vCon is not an unsigned vCon.')
    const json = serializeVcon(parsed.vcon)
    const [outcome] = await deps.store.insertMany([
      { uuid: newUuid, json, vcon: parsed.vcon, index: deriveIndex(parsed.vcon, deps.now) },
    ])
    if (outcome?.status !== 'created') {
      throw new ServerError(
        'INTERNAL',
        `The new version ${newUuid} could not be stored (${outcome?.status ?? 'no outcome'}).`,
      )
    }
    deps.ledger?.recorder.record({
      event: 'vcon_created',
      vconUuid: newUuid,
      vcon: json,
      reason: RECTIFICATION_REASON,
    })
    return {
      uuid: newUuid,
      amends: stored.uuid,
      corrected: request.corrections.map((c) => c.pointer),
    }
  })
}
