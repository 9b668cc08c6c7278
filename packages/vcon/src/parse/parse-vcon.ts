/**
 * @module `parseVcon`, the single door into the library (design §2): decode, detect the form, upgrade (lenient),
 * validate, freeze. Everything past this door may trust its input.
 */
import { VconError } from '../errors/vcon-error.js'
import type { ExtensionRegistry } from '../extensions/registry.js'
import { checkDepth, copyJson, deepFreeze } from '../internal/deep.js'
import type { EncryptedVcon, SignedVcon, Vcon } from '../model/vcon.js'
import { type SourceVersion, upgradeVcon } from '../upgrade/upgrade-vcon.js'
import { type Issue, IssueCollector, type ValidationMode } from '../validate/issue.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { checkJweEnvelope, checkJwsEnvelope } from './check-envelope.js'
import { decodeBytes, parseJsonText } from './decode-input.js'
import { detectForm } from './detect-form.js'

/** Options of `parseVcon`. */
export interface ParseOptions {
  /**
   * `lenient` (default) upgrades legacy files to 0.4.0 and reports what real files commonly break as warnings;
   * `strict` reads 0.4.0 as is and enforces every MUST of the draft.
   */
  readonly mode?: ValidationMode
  /** Supported extensions, for `critical` enforcement and extension checks; `defaultRegistry` when omitted. */
  readonly registry?: ExtensionRegistry
  /** Largest input accepted, in bytes (after gunzip for gzipped input). Default 64 MiB. */
  readonly maxBytes?: number
  /** Deepest nesting accepted. Default 200 levels. */
  readonly maxDepth?: number
  /**
   * Freeze the returned vCon deeply at run time. Off by default: the types are already deeply readonly, and
   * Object.freeze on every object costs about as much again as JSON.parse (docs/benchmarks.md).
   */
  readonly freeze?: boolean
}

/** An unsigned vCon that passed validation. `issues` holds the warnings (repairs, SHOULDs). */
export interface ParsedUnsigned {
  readonly form: 'unsigned'
  readonly vcon: Vcon
  /** The version the input was written in, as detected from its keys. */
  readonly sourceVersion: SourceVersion
  readonly issues: readonly Issue[]
}

/** A signed vCon (JWS) whose envelope is well formed; its signature is not checked here. */
export interface ParsedSigned {
  readonly form: 'signed'
  readonly jws: SignedVcon
  /** The `uuid` header: the vCon inside, named without verifying (core draft §5.2). */
  readonly uuid: string | undefined
  readonly issues: readonly Issue[]
}

/** An encrypted vCon (JWE) whose envelope is well formed; it is not decrypted here. */
export interface ParsedEncrypted {
  readonly form: 'encrypted'
  readonly jwe: EncryptedVcon
  readonly uuid: string | undefined
  readonly issues: readonly Issue[]
}

/** What `parseVcon` returns: switch on `form`. */
export type ParsedVcon = ParsedUnsigned | ParsedSigned | ParsedEncrypted

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024
export const DEFAULT_MAX_DEPTH = 200

/**
 * Reads a vCon from text, bytes (gzip detected by magic number) or an object, in any of its three forms.
 * The input is never changed: an object given in is copied first.
 *
 * @throws VconError `VCON_NOT_JSON`, `VCON_NOT_A_VCON`, `VCON_INVALID` (with every issue),
 *   `VCON_CRITICAL_UNSUPPORTED`, `VCON_TOO_LARGE`, `VCON_TOO_DEEP`, `VCON_BAD_ENCODING`
 * @example
 * const parsed = parseVcon(await readFile('call.vcon'))
 * if (parsed.form === 'unsigned') console.log(parsed.vcon.parties)
 */
export function parseVcon(
  input: string | Uint8Array | object,
  options: ParseOptions = {},
): ParsedVcon {
  const mode = options.mode ?? 'lenient'
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  let value: unknown
  if (typeof input === 'string') value = parseJsonText(input, maxBytes)
  else if (input instanceof Uint8Array)
    value = parseJsonText(decodeBytes(input, maxBytes), maxBytes)
  else if (typeof input === 'object' && input !== null) value = copyJson(input, maxDepth)
  else {
    throw new VconError('VCON_BAD_ARGUMENT', 'parseVcon takes a string, bytes or an object.')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
    throw new VconError(
      'VCON_NOT_A_VCON',
      `The input is JSON but ${what}; a vCon is a JSON object with parties, dialog, analysis or attachments.`,
    )
  }
  const obj = value as Record<string, unknown>
  const form = detectForm(obj)
  if (form === 'not-a-vcon') {
    const keys = Object.keys(obj).slice(0, 8).join(', ')
    throw new VconError(
      'VCON_NOT_A_VCON',
      `The JSON object is not a vCon: it has none of parties, dialog, analysis, attachments (a signed vCon has payload and signatures, an encrypted one ciphertext and recipients). Its keys: ${keys || '(none)'}.`,
    )
  }
  // Objects given in were copied (and depth-checked) by copyJson; parsed text is checked here.
  if (typeof input === 'string' || input instanceof Uint8Array) checkDepth(obj, maxDepth)
  const parsed =
    form === 'signed' || form === 'encrypted'
      ? parseEnvelope(obj, form, mode)
      : parseUnsigned(obj, mode, options.registry)
  if (options.freeze === true) deepFreeze(parsed, maxDepth + 2)
  return parsed
}

function parseEnvelope(
  obj: Record<string, unknown>,
  form: 'signed' | 'encrypted',
  mode: ValidationMode,
): ParsedSigned | ParsedEncrypted {
  const c = new IssueCollector(mode)
  const uuid = form === 'signed' ? checkJwsEnvelope(obj, c) : checkJweEnvelope(obj, c)
  if (c.hasErrors) {
    throw new VconError(
      'VCON_INVALID',
      `The ${form === 'signed' ? 'signed (JWS)' : 'encrypted (JWE)'} vCon is malformed: ${summarise(c.issues)}`,
      { issues: c.issues },
    )
  }
  if (form === 'signed') return { form, jws: obj as unknown as SignedVcon, uuid, issues: c.issues }
  return { form, jwe: obj as unknown as EncryptedVcon, uuid, issues: c.issues }
}

function parseUnsigned(
  obj: Record<string, unknown>,
  mode: ValidationMode,
  registry: ExtensionRegistry | undefined,
): ParsedUnsigned {
  let vcon = obj
  let sourceVersion: SourceVersion
  let repairs: readonly Issue[] = []
  if (mode === 'lenient') {
    const upgraded = upgradeVcon(obj)
    vcon = upgraded.vcon
    sourceVersion = upgraded.from
    repairs = upgraded.issues
  } else {
    // Strict mode reads 0.4.0 only (any other vcon value is an error), so what passes is 0.4.0.
    sourceVersion = '0.4.0'
  }
  const result = validateVcon(vcon, registry === undefined ? { mode } : { mode, registry })
  const issues = repairs.length === 0 ? result.issues : [...repairs, ...result.issues]
  if (!result.valid) {
    const unsupported = result.issues.find((i) => i.code === 'critical-unsupported')
    if (unsupported !== undefined) {
      throw new VconError('VCON_CRITICAL_UNSUPPORTED', unsupported.message, { issues })
    }
    throw new VconError('VCON_INVALID', `The vCon is invalid: ${summarise(result.issues)}`, {
      issues,
    })
  }
  return { form: 'unsigned', vcon: vcon as unknown as Vcon, sourceVersion, issues }
}

/** One line naming the first errors, so the message alone already points at the fields. */
function summarise(issues: readonly Issue[]): string {
  const errors = issues.filter((i) => i.severity === 'error')
  const shown = errors
    .slice(0, 3)
    .map((i) => `${i.pointer || '(root)'}: ${i.message}`)
    .join('; ')
  return errors.length > 3 ? `${shown}; and ${errors.length - 3} more (see issues)` : shown
}
