/**
 * @module Verify, then parse: the payload of a signed vCon becomes a validated (and, in lenient mode, upgraded)
 * vCon only after its signatures and chains check out (notes §b.1: verify before parsing the payload).
 */
import { VconError } from '../errors/vcon-error.js'
import type { SignedVcon } from '../model/vcon.js'
import { type ParsedUnsigned, type ParseOptions, parseVcon } from '../parse/parse-vcon.js'
import type { FlattenedSignedVcon } from './jws-payload.js'
import { type VerifiedVcon, type VerifySignedVconOptions, verifySignedVcon } from './verify-vcon.js'

/** Options of `verifyAndParseSignedVcon`: verification plus the parser's mode and registry. */
export interface VerifyAndParseOptions
  extends VerifySignedVconOptions,
    Pick<ParseOptions, 'mode' | 'registry' | 'maxDepth'> {}

/** A verified signed vCon whose payload also passed `parseVcon`. */
export interface VerifiedParsedVcon extends VerifiedVcon {
  readonly parsed: ParsedUnsigned
}

/**
 * `verifySignedVcon`, then `parseVcon` on the unsigned vCon inside. Throws what either throws; a payload that
 * is not an unsigned vCon (e.g. an encrypted one signed by mistake) is VCON_NOT_A_VCON.
 */
export async function verifyAndParseSignedVcon(
  jws: SignedVcon | FlattenedSignedVcon,
  options: VerifyAndParseOptions,
): Promise<VerifiedParsedVcon> {
  const verified = await verifySignedVcon(jws, options)
  const parseOptions: ParseOptions = {
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
  }
  const parsed = parseVcon(verified.vcon, parseOptions)
  if (parsed.form !== 'unsigned') {
    throw new VconError(
      'VCON_NOT_A_VCON',
      `The verified payload is a ${parsed.form} vCon, not an unsigned one; sign the vCon itself.`,
    )
  }
  return { ...verified, parsed }
}
