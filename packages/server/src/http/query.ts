/**
 * @module Reading query parameters with errors that name the parameter (400 BAD_REQUEST).
 */
import { ServerError } from '../errors/server-error.js'

function bad(name: string, what: string): ServerError {
  return new ServerError('BAD_REQUEST', `Query parameter ${name} ${what}.`)
}

/** The single value of a parameter, or undefined; an empty value counts as absent. */
export function queryString(url: URL, name: string, maxLength = 1000): string | undefined {
  const values = url.searchParams.getAll(name)
  if (values.length > 1) throw bad(name, 'is given more than once; give it once')
  const value = values[0]
  if (value === undefined || value === '') return undefined
  if (value.length > maxLength) throw bad(name, `is longer than ${maxLength} characters`)
  return value
}

/** Every value of a repeatable parameter (also accepts comma-separated values). */
export function queryList(url: URL, name: string, max = 100): string[] {
  const values = url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
  if (values.length > max) throw bad(name, `is given more than ${max} times`)
  for (const v of values) if (v.length > 200) throw bad(name, 'has a value over 200 characters')
  return [...new Set(values)]
}

/** An integer parameter in [min, max], or `fallback` when absent. */
export function queryInt(
  url: URL,
  name: string,
  options: { readonly min: number; readonly max: number; readonly fallback: number },
): number {
  const raw = queryString(url, name, 20)
  if (raw === undefined) return options.fallback
  if (!/^-?\d+$/.test(raw)) throw bad(name, `must be an integer, got "${raw}"`)
  const value = Number(raw)
  if (value < options.min || value > options.max) {
    throw bad(name, `must be between ${options.min} and ${options.max}, got ${value}`)
  }
  return value
}

/** An RFC 3339 / ISO 8601 date parameter, returned as ISO 8601 UTC. */
export function queryDate(url: URL, name: string): string | undefined {
  const raw = queryString(url, name, 64)
  if (raw === undefined) return undefined
  const time = Date.parse(raw)
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time)) {
    throw bad(name, `must be an ISO 8601 date-time such as 2025-01-31T00:00:00Z, got "${raw}"`)
  }
  return new Date(time).toISOString()
}
