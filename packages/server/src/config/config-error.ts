/**
 * @module Configuration problems: each names the key path (`chains[0].steps[1].timeout_ms`) or the environment
 * variable, and says what to write instead. They are collected in full and thrown once as a ServerError
 * CONFIG_INVALID whose message lists them all, one per line.
 */
import { ServerError } from '../errors/server-error.js'

export interface ConfigProblem {
  /** `chains[0].steps[1].timeout_ms`, or an environment variable (`VCONKIT_PORT`), or '' for the whole file. */
  readonly path: string
  /** What is wrong and the fix, without the path. */
  readonly message: string
  /** 1-based line in the file, when the problem is in a file and its place is known. */
  readonly line?: number
}

/** ServerError CONFIG_INVALID carrying every problem; `problems` is the list for programs. */
export class ConfigInvalidError extends ServerError {
  readonly problems: readonly ConfigProblem[]
  /** The file checked, when there was one. */
  readonly source: string | undefined

  constructor(problems: readonly ConfigProblem[], source: string | undefined) {
    super('CONFIG_INVALID', describeProblems(problems, source))
    this.name = 'ConfigInvalidError'
    this.problems = problems
    this.source = source
  }
}

/** True for the error `loadConfig` throws (also across copies of the package, by shape). */
export function isConfigInvalidError(value: unknown): value is ConfigInvalidError {
  return (
    value instanceof ServerError &&
    value.code === 'CONFIG_INVALID' &&
    Array.isArray((value as { problems?: unknown }).problems)
  )
}

/** One problem as a line: `file:12: chains[0].name: missing; …`. */
export function formatProblem(problem: ConfigProblem, source: string | undefined): string {
  const where =
    source === undefined
      ? ''
      : problem.line === undefined
        ? `${source}: `
        : `${source}:${problem.line}: `
  const path = problem.path === '' ? '' : `${problem.path}: `
  return `${where}${path}${problem.message}`
}

function describeProblems(problems: readonly ConfigProblem[], source: string | undefined): string {
  const head =
    problems.length === 1
      ? 'the configuration has 1 error'
      : `the configuration has ${problems.length} errors`
  return `${head}:\n${problems.map((p) => `  ${formatProblem(p, source)}`).join('\n')}`
}
