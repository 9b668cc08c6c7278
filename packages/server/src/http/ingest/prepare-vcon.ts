/**
 * @module One request body → the record to store. Every body goes through `parseVcon` in the configured mode, so
 * ingest accepts the three forms (core draft §5.1): unsigned vCons are validated (and, in lenient mode, upgraded);
 * signed (JWS) and encrypted (JWE) ones are stored exactly as received, keyed by their `uuid` header (§5.2, §5.3).
 * The stored text is the body itself unless the server had to upgrade it (server brief: then it is
 * `serializeVcon(upgraded)` and the answer says so).
 */
import {
  type Issue,
  type ParsedVcon,
  parseVcon,
  type SourceVersion,
  serializeVcon,
  type ValidationMode,
  type Vcon,
} from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import type { NewVcon } from '../../ports/store.js'
import { deriveIndex } from '../../store/derive-index.js'

/** Issue codes of the upgrader's repairs: when one is present the stored text cannot be the body as sent. */
const UPGRADE_CODES: ReadonlySet<string> = new Set([
  'upgraded-version',
  'unknown-version',
  'renamed-field',
  'converted-hash',
  'converted-session-id',
  'inferred-encoding',
  'repaired-body',
  'assumed-utc',
  'dropped-empty',
  'repaired-value',
  'added-placeholder',
  'kept-inline-reference',
])

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when `value` has the 8-4-4-4-12 hexadecimal uuid syntax. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** A vCon ready to store, with what the answer reports about it. */
export interface PreparedVcon {
  readonly record: NewVcon
  readonly form: 'unsigned' | 'signed' | 'encrypted'
  /** Set when the body was a legacy vCon that the server upgraded (the stored text is then re-serialised). */
  readonly upgradedFrom: SourceVersion | undefined
  /** Warnings of the validator and the upgrader (errors are refused with 422). */
  readonly warnings: readonly Issue[]
}

export interface PrepareOptions {
  readonly mode: ValidationMode
  readonly maxBytes: number
  readonly now: () => number
}

/**
 * Parses, validates and indexes one body (UTF-8 text).
 * @throws VconError from parseVcon (mapped to 400/413/422 by to-server-error.ts), ServerError BAD_REQUEST when a
 *   signed or encrypted vCon has no usable uuid header
 */
export function prepareVcon(text: string, options: PrepareOptions): PreparedVcon {
  const parsed = parseVcon(text, { mode: options.mode, maxBytes: options.maxBytes })
  return fromParsed(parsed, text, options)
}

/** Builds the record from an already parsed vCon whose exact text is `text`. */
export function fromParsed(
  parsed: ParsedVcon,
  text: string,
  options: PrepareOptions,
): PreparedVcon {
  if (parsed.form === 'unsigned') {
    const upgraded =
      parsed.sourceVersion !== '0.4.0' || parsed.issues.some((i) => UPGRADE_CODES.has(i.code))
    const vcon = parsed.vcon
    if (typeof vcon.uuid !== 'string' || !isUuid(vcon.uuid)) {
      // Lenient validation may let an odd uuid through as a warning; the store keys on it and the routes take it
      // in the path, so the server insists on the syntax.
      throw new ServerError(
        'BAD_REQUEST',
        'The vCon uuid is not an 8-4-4-4-12 hexadecimal uuid; the server stores vCons by uuid (core draft §4.1.2).',
      )
    }
    return {
      record: {
        uuid: vcon.uuid,
        json: upgraded ? serializeVcon(vcon) : text,
        vcon,
        index: deriveIndex(vcon, options.now),
      },
      form: 'unsigned',
      upgradedFrom: upgraded ? parsed.sourceVersion : undefined,
      warnings: parsed.issues,
    }
  }
  const what = parsed.form === 'signed' ? 'signed (JWS)' : 'encrypted (JWE)'
  const uuid = parsed.uuid
  if (uuid === undefined || !isUuid(uuid)) {
    throw new ServerError(
      'BAD_REQUEST',
      `The ${what} vCon has ${uuid === undefined ? 'no uuid header' : 'a uuid header that is not a uuid'}; the server stores it as received, keyed by that header (core draft §5.2, §5.3): add "uuid" to the ${parsed.form === 'signed' ? 'JWS protected or unprotected header' : 'JWE unprotected header'}.`,
    )
  }
  const inner = parsed.form === 'signed' ? signedPayload(parsed.jws.payload, options) : undefined
  if (inner !== undefined && inner.uuid !== uuid) {
    throw new ServerError(
      'BAD_REQUEST',
      `The JWS uuid header ${uuid} differs from the uuid of the vCon in its payload (core draft §5.2 requires them equal).`,
    )
  }
  // The envelope is indexed by what can be read without keys: the unverified payload of a JWS (so list and
  // search find signed vCons), nothing but the uuid of a JWE.
  const vcon: Vcon = inner ?? { uuid }
  return {
    record: { uuid, json: text, vcon, index: deriveIndex(vcon, options.now) },
    form: parsed.form,
    upgradedFrom: undefined,
    warnings: parsed.issues,
  }
}

/** The vCon inside a JWS payload (base64url of the JSON, possibly gzipped), or undefined when unreadable. */
function signedPayload(payload: unknown, options: PrepareOptions): Vcon | undefined {
  if (typeof payload !== 'string') return undefined
  try {
    const bytes = Buffer.from(payload, 'base64url')
    const inner = parseVcon(bytes, { mode: 'lenient', maxBytes: options.maxBytes })
    return inner.form === 'unsigned' ? inner.vcon : undefined
  } catch {
    return undefined
  }
}
