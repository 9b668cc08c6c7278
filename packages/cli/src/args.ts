/**
 * @module Command-line parsing on top of `node:util` parseArgs (no CLI framework: the commands are few), with
 * parse failures turned into usage errors that name the bad option instead of a stack trace.
 */
import { parseArgs } from 'node:util'
import { CliError } from './cli-error.js'

/** The option table parseArgs takes (booleans and strings only). */
export type OptionSpec = Record<
  string,
  { readonly type: 'boolean' | 'string'; readonly short?: string; readonly multiple?: boolean }
>

/** Parsed options (by long name) and positional arguments. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>
  readonly positionals: readonly string[]
}

/** Parses `args` for `command`; unknown options and missing values become a CliError with its usage. */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: OptionSpec,
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    })
    return { values, positionals }
  } catch (error) {
    throw new CliError(describeParseError(error), { usageOf: command })
  }
}

/** A short message for a parseArgs failure (its own messages run to several sentences). */
function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: string }).code
  const quoted = /'([^']+)'/.exec(error.message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    return `unknown option '${quoted}'`
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // e.g. "Option '--json' does not take an argument" or "Option '-o, --output <value>' argument missing".
    return error.message.split('\n')[0]?.replace(/^Option/, 'option') ?? error.message
  }
  return error.message.split('\n')[0] ?? error.message
}

/** True when a boolean option was given. */
export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true
}

/** The mode chosen with --strict / --lenient (lenient by default: real files are mostly legacy). */
export function modeOf(parsed: ParsedArgs, command: string): 'strict' | 'lenient' {
  const strict = flag(parsed, 'strict')
  if (strict && flag(parsed, 'lenient')) {
    throw new CliError('--strict and --lenient exclude each other; give one', { usageOf: command })
  }
  return strict ? 'strict' : 'lenient'
}

/** The value of a string option given at most once, or undefined. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name]
  if (Array.isArray(value)) {
    const last = value[value.length - 1]
    return typeof last === 'string' ? last : undefined
  }
  return typeof value === 'string' ? value : undefined
}

/** Every value of a repeatable string option (`multiple: true`), in command-line order. */
export function stringOptions(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' ? [value] : []
}

/** A string option the command cannot do without; its absence is a usage error naming the option. */
export function requiredOption(
  parsed: ParsedArgs,
  name: string,
  command: string,
  placeholder: string,
): string {
  const value = stringOption(parsed, name)
  if (value === undefined || value === '') {
    throw new CliError(`${command} needs --${name} ${placeholder}`, { usageOf: command })
  }
  return value
}

/** A string option restricted to a closed set of values (algorithm names). */
export function choiceOption<T extends string>(
  parsed: ParsedArgs,
  name: string,
  choices: readonly T[],
  command: string,
): T | undefined {
  const value = stringOption(parsed, name)
  if (value === undefined) return undefined
  if (!(choices as readonly string[]).includes(value)) {
    throw new CliError(`--${name} must be one of ${choices.join(', ')}; got '${value}'`, {
      usageOf: command,
    })
  }
  return value as T
}

/** A whole-number option (sizes, milliseconds) of at least `min`; anything else is a usage error. */
export function integerOption(
  parsed: ParsedArgs,
  name: string,
  command: string,
  min: number,
): number | undefined {
  const value = stringOption(parsed, name)
  if (value === undefined) return undefined
  // Digits only: Number('') is 0 and Number('1e3') is 1000, neither of which a user means as a byte count.
  const number = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number < min) {
    throw new CliError(`--${name} must be a whole number of at least ${min}; got '${value}'`, {
      usageOf: command,
    })
  }
  return number
}
