/**
 * @module Loads the configuration: a YAML or JSON file (or none: every key has a default), then environment
 * overrides (VCONKIT_*), then command-line overrides, each checked against config-schema.ts. Every problem is
 * reported at once, with the file line, the key path and the fix, as one ServerError CONFIG_INVALID.
 */
import { readFile } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import {
  checkNode,
  formatPath,
  isPlainObject,
  type KeyPath,
  type PathProblem,
} from './check-schema.js'
import { ConfigInvalidError, type ConfigProblem } from './config-error.js'
import { CONFIG_SCHEMA } from './config-schema.js'
import { jsonErrorOffset } from './json-error-offset.js'
import type { SchemaNode } from './schema-node.js'
import type { ServerConfig } from './server-config.js'
import { type CheckedFile, crossCheck, toServerConfig } from './to-server-config.js'

export type Env = Readonly<Record<string, string | undefined>>

/** Environment variables that override one key each (they win over the file). */
export const ENV_OVERRIDES: readonly { readonly env: string; readonly path: readonly string[] }[] =
  [
    { env: 'VCONKIT_HOST', path: ['host'] },
    { env: 'VCONKIT_PORT', path: ['port'] },
    { env: 'VCONKIT_DATA_DIR', path: ['data_dir'] },
    { env: 'VCONKIT_DATABASE_URL', path: ['database_url'] },
    { env: 'VCONKIT_REDIS_URL', path: ['redis_url'] },
    { env: 'VCONKIT_LOG_LEVEL', path: ['log', 'level'] },
  ]

/** The variable that names the configuration file when no --config is given. */
export const CONFIG_FILE_ENV = 'VCONKIT_CONFIG'

/** Command-line options, applied last. */
export interface ConfigOverrides {
  readonly host?: string
  readonly port?: number
  readonly dataDir?: string
}

export interface ResolveOptions {
  /** The file's text; undefined when there is no file. */
  readonly text?: string
  /** The file name, for messages and for its format (.json is JSON, anything else YAML). */
  readonly source?: string
  readonly env?: Env
  readonly overrides?: ConfigOverrides
  /** The working folder: relative paths from the environment or the command line resolve against it. */
  readonly cwd?: string
}

/** The outcome of a check: a config when there was no problem. */
export type ConfigCheck =
  | { readonly ok: true; readonly config: ServerConfig; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

export interface LoadConfigOptions {
  /** A YAML or JSON file; default: $VCONKIT_CONFIG, else none. */
  readonly file?: string
  readonly env?: Env
  readonly overrides?: ConfigOverrides
  readonly cwd?: string
}

/** Reads, checks and resolves the configuration; throws ConfigInvalidError (CONFIG_INVALID) listing every problem. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ServerConfig> {
  const result = await checkConfig(options)
  if (!result.ok) throw new ConfigInvalidError(result.problems, configFileOf(options))
  return result.config
}

/** Like loadConfig, but returns the problems instead of throwing (vcon config check). */
export async function checkConfig(options: LoadConfigOptions = {}): Promise<ConfigCheck> {
  const file = configFileOf(options)
  const cwd = options.cwd ?? process.cwd()
  let text: string | undefined
  if (file !== undefined) {
    try {
      text = await readFile(resolve(cwd, file), 'utf8')
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
      return { ok: false, problems: [{ path: '', message: `cannot read the file: ${reason}` }] }
    }
  }
  return resolveConfig({
    ...(text === undefined ? {} : { text }),
    ...(file === undefined ? {} : { source: resolve(cwd, file) }),
    env: options.env ?? process.env,
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
    cwd,
  })
}

function configFileOf(options: LoadConfigOptions): string | undefined {
  if (options.file !== undefined) return options.file
  const fromEnv = (options.env ?? process.env)[CONFIG_FILE_ENV]
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
}

/** Checks a configuration text (no I/O): file, then environment, then command line. */
export function resolveConfig(options: ResolveOptions): ConfigCheck {
  const cwd = options.cwd ?? process.cwd()
  const parsed =
    options.text === undefined ? { value: {} } : parseText(options.text, options.source)
  if ('problems' in parsed) return { ok: false, problems: parsed.problems }
  if (!isPlainObject(parsed.value)) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: 'expected a mapping of keys (host, port, chains, …) at the top of the file',
        },
      ],
    }
  }

  const pathProblems: PathProblem[] = []
  const checked = checkNode(CONFIG_SCHEMA, parsed.value, [], pathProblems) as Record<
    string,
    unknown
  >
  const problems: ConfigProblem[] = pathProblems.map((p) => placeProblem(p, parsed.lineOf))
  // data_dir written in a file is relative to that file; the default and overrides to the working folder.
  const fileDataDir = (parsed.value as Record<string, unknown>).data_dir
  const fileDir = options.source === undefined ? cwd : dirname(resolve(cwd, options.source))
  let dataDir = resolve(typeof fileDataDir === 'string' ? fileDir : cwd, String(checked.data_dir))

  const env = options.env ?? {}
  for (const override of ENV_OVERRIDES) {
    const raw = env[override.env]
    if (raw === undefined || raw === '') continue
    const node = nodeAt(override.path)
    const envProblems: PathProblem[] = []
    const value = checkNode(node, coerce(node, raw), [], envProblems)
    for (const p of envProblems) problems.push({ path: override.env, message: p.message })
    if (envProblems.length > 0) continue
    setAt(checked, override.path, value)
    if (override.env === 'VCONKIT_DATA_DIR') dataDir = resolve(cwd, raw)
  }

  const overrides = options.overrides ?? {}
  const cli: [string, readonly string[], unknown][] = [
    ['--host', ['host'], overrides.host],
    ['--port', ['port'], overrides.port],
    ['--data', ['data_dir'], overrides.dataDir],
  ]
  for (const [flag, path, given] of cli) {
    if (given === undefined) continue
    const cliProblems: PathProblem[] = []
    const value = checkNode(nodeAt(path), given, [], cliProblems)
    for (const p of cliProblems) problems.push({ path: flag, message: p.message })
    if (cliProblems.length > 0) continue
    setAt(checked, path, value)
    if (flag === '--data') dataDir = resolve(cwd, String(value))
  }

  const file = checked as unknown as CheckedFile
  for (const p of crossCheck(file)) problems.push(placeProblem(p, parsed.lineOf))
  if (problems.length > 0) return { ok: false, problems: sortByLine(problems) }
  return { ok: true, config: toServerConfig(file, dataDir), problems: [] }
}

function nodeAt(path: readonly string[]): SchemaNode {
  let node: SchemaNode = CONFIG_SCHEMA
  for (const key of path) {
    if (node.kind !== 'object') throw new Error(`config: ${path.join('.')} is not a key path`)
    const next: SchemaNode | undefined = node.fields[key]
    if (next === undefined) throw new Error(`config: no key ${path.join('.')}`)
    node = next
  }
  return node
}

/** Environment values are strings; an integer key takes digits as a number (anything else is reported). */
function coerce(node: SchemaNode, raw: string): unknown {
  if (node.kind === 'integer' && /^\s*[0-9]+\s*$/.test(raw)) return Number(raw)
  return raw
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target
  for (const key of path.slice(0, -1)) {
    const next = at[key]
    if (!isPlainObject(next)) return
    at = next
  }
  const last = path[path.length - 1]
  if (last !== undefined) at[last] = value
}

function sortByLine(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p)
}

type LineOf = (path: KeyPath) => number | undefined

function placeProblem(problem: PathProblem, lineOf: LineOf | undefined): ConfigProblem {
  const line = lineOf?.(problem.path)
  return {
    path: formatPath(problem.path),
    message: problem.message,
    ...(line === undefined ? {} : { line }),
  }
}

type Parsed = { value: unknown; lineOf?: LineOf } | { problems: ConfigProblem[] }

/** Parses YAML (or JSON, when the file is .json or starts with '{'), keeping a way back to lines. */
function parseText(text: string, source: string | undefined): Parsed {
  const json = source === undefined ? text.trimStart().startsWith('{') : extname(source) === '.json'
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false })
  const lineOf: LineOf = (path) => lineInDocument(doc.contents, path, lines)
  if (json) {
    try {
      return { value: JSON.parse(text) as unknown, lineOf }
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
      const offset = jsonErrorOffset(text)
      const line = offset === undefined ? undefined : lineAt(text, offset)
      return {
        problems: [
          {
            path: '',
            message: `not valid JSON: ${message}`,
            ...(line === undefined ? {} : { line }),
          },
        ],
      }
    }
  }
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0] ?? e.message}`,
        line: lineAt(text, e.pos[0]),
      })),
    }
  }
  try {
    // A bound on aliases keeps a "billion laughs" file from exhausting memory.
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown
    return { value: value === null || value === undefined ? {} : value, lineOf }
  } catch (error) {
    return { problems: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] }
  }
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** The line of the deepest node on `path` that exists (the key's own line for a mapping entry). */
function lineInDocument(root: unknown, path: KeyPath, lines: LineCounter): number | undefined {
  let node: unknown = root
  let line = startLine(node, lines)
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment)
      if (pair === undefined) break
      line = startLine(pair.key, lines) ?? line
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment]
      line = startLine(node, lines) ?? line
    } else break
  }
  return line
}

function startLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return range === undefined || range === null ? undefined : lines.linePos(range[0]).line
}
