/**
 * @module Readers for step options: each checks one key and throws ServerError CONFIG_INVALID whose message
 * starts with `options.<key>`, so that build-chains.ts can prefix the chain and step position and the operator
 * reads the full path of the bad key (`chains[0].steps[2].options.url ...`).
 */
import { ServerError } from '../../errors/server-error.js'

/** Step options as they come from the configuration. */
export type Options = Readonly<Record<string, unknown>>

/** Environment variables (process.env by default; tests pass their own). */
export type Env = Readonly<Record<string, string | undefined>>

/** The error of one bad option; the message starts with `options.<key>` (build-chains.ts relies on it). */
export function optionError(key: string, message: string): ServerError {
  return new ServerError('CONFIG_INVALID', `options.${key} ${message}`)
}

function show(value: unknown): string {
  const text = JSON.stringify(value)
  if (text === undefined) return String(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

/** Names that hint at a secret written inline; configuration names an environment variable instead. */
const SECRET_LIKE = /^(api[-_]?key|secret|token|password|authorization)$/i

/**
 * Refuses keys the step does not know (a typo would otherwise be ignored silently), with a dedicated message
 * for inline secrets.
 */
export function checkKeys(type: string, options: Options, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    if (SECRET_LIKE.test(key)) {
      throw optionError(
        key,
        `looks like a secret written in the configuration; secrets are never stored there: put it in an environment variable and name that variable in options.${key}Env`,
      )
    }
    throw optionError(
      key,
      `is not an option of the ${type} step; the options are: ${known.join(', ') || '(none)'}`,
    )
  }
}

/** A string option (undefined when absent). */
export function optString(
  options: Options,
  key: string,
  spec: { allowEmpty?: boolean } = {},
): string | undefined {
  const value = options[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw optionError(key, `must be a string; got ${show(value)}`)
  if (value === '' && spec.allowEmpty !== true) throw optionError(key, 'must not be empty')
  return value
}

/** A required string option. */
export function reqString(options: Options, key: string, what = ''): string {
  const value = optString(options, key)
  if (value === undefined) throw optionError(key, `is required${what === '' ? '' : `: ${what}`}`)
  return value
}

/** A number option, optionally an integer within bounds. */
export function optNumber(
  options: Options,
  key: string,
  spec: { min?: number; max?: number; integer?: boolean; fallback: number },
): number
export function optNumber(
  options: Options,
  key: string,
  spec: { min?: number; max?: number; integer?: boolean; fallback?: undefined },
): number | undefined
export function optNumber(
  options: Options,
  key: string,
  spec: { min?: number; max?: number; integer?: boolean; fallback?: number | undefined },
): number | undefined {
  const value = options[key]
  if (value === undefined) return spec.fallback
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw optionError(key, `must be a number; got ${show(value)}`)
  }
  if (spec.integer === true && !Number.isInteger(value)) {
    throw optionError(key, `must be a whole number; got ${value}`)
  }
  if (spec.min !== undefined && value < spec.min) {
    throw optionError(key, `must be at least ${spec.min}; got ${value}`)
  }
  if (spec.max !== undefined && value > spec.max) {
    throw optionError(key, `must be at most ${spec.max}; got ${value}`)
  }
  return value
}

/** A boolean option. */
export function optBoolean(options: Options, key: string, fallback: boolean): boolean {
  const value = options[key]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    throw optionError(key, `must be true or false; got ${show(value)}`)
  return value
}

/** One of a fixed set of strings. */
export function optEnum<T extends string>(
  options: Options,
  key: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = options[key]
  if (value === undefined) {
    if (fallback !== undefined) return fallback
    throw optionError(key, `is required: one of ${allowed.join(', ')}`)
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw optionError(key, `must be one of ${allowed.join(', ')}; got ${show(value)}`)
  }
  return value as T
}

/** A plain object option (nested options are read with a prefixed key: `options.rateLimit.burst`). */
export function optObject(options: Options, key: string): Options | undefined {
  const value = options[key]
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(key, `must be an object; got ${show(value)}`)
  }
  return value as Options
}

/**
 * The options of a nested object with their keys prefixed by the parent (`rateLimit.burst`), so that the
 * readers above name the full key in their errors.
 */
export function nestedOptions(parent: string, options: Options): Options {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(options)) out[`${parent}.${key}`] = options[key]
  return out
}

/** An array of non-empty strings (or a single string, read as an array of one). */
export function optStringList(
  options: Options,
  key: string,
  spec: { required?: boolean } = {},
): string[] | undefined {
  const value = options[key]
  if (value === undefined) {
    if (spec.required === true) throw optionError(key, 'is required')
    return undefined
  }
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v === '')) {
    throw optionError(key, `must be a list of non-empty strings; got ${show(value)}`)
  }
  return list as string[]
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * A secret read from the environment variable that the option names (`apiKeyEnv: OPENAI_API_KEY`). The value
 * is checked at start so that a missing key fails the configuration, not every job; it is never put in an
 * error message or a log line.
 */
export function optEnvSecret(
  options: Options,
  key: string,
  env: Env,
  spec: { required?: boolean } = {},
): string | undefined {
  const name = spec.required === true ? reqString(options, key) : optString(options, key)
  if (name === undefined) return undefined
  if (!ENV_NAME.test(name)) {
    throw optionError(
      key,
      `must name an environment variable (letters, digits and _), such as OPENAI_API_KEY; never write the secret itself in the configuration`,
    )
  }
  const secret = env[name]
  if (secret === undefined || secret === '') {
    throw optionError(
      key,
      `names the environment variable ${name}, which is not set; set it before starting`,
    )
  }
  return secret
}

/** An absolute http(s) URL; plain http only when `allowInsecure` (local model servers, tests). */
export function optHttpUrl(
  options: Options,
  key: string,
  spec: { fallback?: string; allowInsecure: boolean; insecureKey?: string },
): URL {
  const text =
    spec.fallback === undefined
      ? reqString(options, key)
      : (optString(options, key) ?? spec.fallback)
  if (!URL.canParse(text)) throw optionError(key, `must be an absolute URL; got ${show(text)}`)
  const url = new URL(text)
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:') {
    if (spec.allowInsecure) return url
    throw optionError(
      key,
      `must be an https URL (the request carries vCon contents and credentials); set options.${spec.insecureKey ?? 'allowInsecure'}: true only for a trusted local network`,
    )
  }
  throw optionError(key, `must be an https URL; got the scheme ${url.protocol}`)
}
