/**
 * @module Reads one input and runs it through `parseVcon`, turning every outcome (accepted, rejected with
 * issues, unreadable) into a value, so that commands report results instead of catching exceptions.
 */
import { gunzipSync } from 'node:zlib'
import {
  detectForm,
  isVconError,
  type ParsedVcon,
  parseVcon,
  upgradeVcon,
  type VconError,
} from '@vconkit/vcon'
import { InputReadError, type InputSource, readInputBytes } from './read-input.js'

/** The form a report names: the three wire forms of core draft §5.1, or not a vCon at all. */
export type ReportForm = 'unsigned' | 'signed' | 'encrypted' | 'not-a-vcon'

/** An issue as the CLI reports it: a library `Issue`, or a whole-file problem with a CLI code. */
export interface ReportIssue {
  readonly pointer: string
  readonly code: string
  readonly severity: 'error' | 'warning'
  readonly message: string
}

/** How an input is named: `display` in human output, `file` in JSON output (`-` for stdin). */
export interface InputName {
  readonly display: string
  readonly file: string
}

/** What loading one input gave. */
export type LoadResult =
  | (InputName & {
      readonly kind: 'parsed'
      readonly parsed: ParsedVcon
      /** The version the input was written in (unsigned form only). */
      readonly version: string | null
    })
  | (InputName & {
      readonly kind: 'rejected'
      readonly form: ReportForm
      readonly version: string | null
      /** The library's error code, e.g. VCON_INVALID or VCON_NOT_JSON. */
      readonly errorCode: string
      readonly message: string
      readonly issues: readonly ReportIssue[]
      /** True when the library gave no per-field issues and `issues` holds one whole-file issue instead. */
      readonly wholeFile: boolean
    })
  | (InputName & { readonly kind: 'unreadable'; readonly reason: string })

/** The names of an input source. */
export function nameOf(source: InputSource): InputName {
  return { display: source.display, file: source.kind === 'stdin' ? '-' : source.path }
}

/** Loads and parses one input; never throws for bad input or I/O errors. */
export async function loadVcon(
  source: InputSource,
  readStdin: () => Promise<Uint8Array>,
  mode: 'strict' | 'lenient',
): Promise<LoadResult> {
  const name = nameOf(source)
  let bytes: Uint8Array
  try {
    bytes = await readInputBytes(source, readStdin)
  } catch (error) {
    if (error instanceof InputReadError) {
      return { ...name, kind: 'unreadable', reason: error.reason }
    }
    throw error
  }
  try {
    const parsed = parseVcon(bytes, { mode })
    const version = parsed.form === 'unsigned' ? parsed.sourceVersion : null
    return { ...name, kind: 'parsed', parsed, version }
  } catch (error) {
    // VCON_BAD_ARGUMENT would be a bug in this CLI, not a problem with the file: let it reach main.
    if (!isVconError(error) || error.code === 'VCON_BAD_ARGUMENT') throw error
    return rejected(name, bytes, error)
  }
}

function rejected(name: InputName, bytes: Uint8Array, error: VconError): LoadResult {
  const probe = probeRejected(bytes, error.code)
  const wholeFile = error.issues.length === 0
  const issues: readonly ReportIssue[] = wholeFile
    ? [{ pointer: '', code: issueCodeOf(error.code), severity: 'error', message: error.message }]
    : error.issues
  return {
    ...name,
    kind: 'rejected',
    form: probe.form,
    version: probe.version,
    errorCode: error.code,
    message: error.message,
    issues,
    wholeFile,
  }
}

/**
 * The kebab-case issue code for a whole-file failure, derived from the library's error code so that it stays
 * stable: VCON_NOT_JSON → not-json, VCON_TOO_LARGE → too-large, VCON_BAD_ENCODING → bad-encoding.
 */
export function issueCodeOf(errorCode: string): string {
  return errorCode
    .replace(/^VCON_/, '')
    .toLowerCase()
    .replace(/_/g, '-')
}

/**
 * For a vCon the library refused, the form and source version to report. Only invalid (well-formed JSON)
 * input is looked at again; the library keeps neither once it has thrown.
 */
function probeRejected(
  bytes: Uint8Array,
  code: string,
): { form: ReportForm; version: string | null } {
  if (code !== 'VCON_INVALID' && code !== 'VCON_CRITICAL_UNSUPPORTED') {
    return { form: 'not-a-vcon', version: null }
  }
  try {
    const data = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes
    const value: unknown = JSON.parse(new TextDecoder().decode(data).replace(/^\uFEFF/, ''))
    const form = detectForm(value)
    if (form !== 'unsigned') return { form, version: null }
    return { form, version: upgradeVcon(value as Record<string, unknown>).from }
  } catch {
    // The library already said what is wrong; the probe only adds detail, so it may fail quietly.
    return { form: 'unsigned', version: null }
  }
}
