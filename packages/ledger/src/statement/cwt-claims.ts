/**
 * @module CWT claims in a COSE protected header (RFC 9597, label 15): iss (1), sub (2) and iat (6), the
 * claims RFC 9943 §6 uses to say who made a statement, about what, and when.
 */
import {
  type Label,
  type LabelMap,
  type MapContext,
  optionalInt,
  optionalText,
} from '../cbor/label-map.js'
import { CWT_CLAIM } from '../cose/header-labels.js'
import { LedgerError } from '../errors/ledger-error.js'

/** The CWT claims this package writes and reads. */
export interface CwtClaims {
  readonly iss: string
  readonly sub?: string
  /** Issued-at, NumericDate: whole seconds since the epoch (RFC 8392 §2). */
  readonly iat?: number
}

/** A NumericDate from a Date or from seconds; refuses fractions and negatives. */
export function numericDate(value: Date | number, what: string): number {
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `${what} must be a Date or whole seconds since the epoch (NumericDate, RFC 8392 §2).`,
    )
  }
  return seconds
}

/** The claims map, with only the claims given. */
export function cwtClaimsMap(claims: CwtClaims): Map<Label, unknown> {
  const map = new Map<Label, unknown>([[CWT_CLAIM.iss, claims.iss]])
  if (claims.sub !== undefined) map.set(CWT_CLAIM.sub, claims.sub)
  if (claims.iat !== undefined) map.set(CWT_CLAIM.iat, claims.iat)
  return map
}

/** Reads iss (required), sub and iat from a claims map; throws with `ctx.code` on wrong types. */
export function readCwtClaims(map: LabelMap, ctx: MapContext): CwtClaims {
  const iss = optionalText(map, CWT_CLAIM.iss, ctx)
  if (iss === undefined || iss.length === 0) {
    throw new LedgerError(ctx.code, `The CWT claims of the ${ctx.where} must carry iss (claim 1).`)
  }
  const sub = optionalText(map, CWT_CLAIM.sub, ctx)
  const iat = optionalInt(map, CWT_CLAIM.iat, ctx)
  if (iat !== undefined && iat < 0) {
    throw new LedgerError(ctx.code, `The iat claim of the ${ctx.where} must not be negative.`)
  }
  return {
    iss,
    ...(sub === undefined ? {} : { sub }),
    ...(iat === undefined ? {} : { iat }),
  }
}
