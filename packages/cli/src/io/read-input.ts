/**
 * @module Turns the PATH arguments of a command into a list of inputs (files, folders walked recursively, `-` for
 * stdin) and reads each one as raw bytes, so that the library can detect gzip (core draft §5.1,
 * application/vcon+gzip) itself.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** File names a folder walk picks up; a file named explicitly on the command line is read whatever its name. */
export const VCON_FILE_SUFFIXES: readonly string[] = ['.vcon', '.json', '.vcon.json', '.vcon.gz']

/** One thing to read: a file on disk or standard input. */
export type InputSource =
  | { readonly kind: 'file'; readonly path: string; readonly display: string }
  | { readonly kind: 'stdin'; readonly display: string }

/** A PATH argument that could not be expanded (missing, unreadable folder): it still counts as one input. */
export interface UnreadablePath {
  readonly kind: 'unreadable'
  readonly display: string
  readonly reason: string
}

/** What expanding the arguments gives: inputs in command-line order, folders in sorted order. */
export type ExpandedInput = InputSource | UnreadablePath

/** How `-` appears in human output. */
export const STDIN_DISPLAY = '<stdin>'

/** True when a folder walk should read this file name. */
export function hasVconSuffix(name: string): boolean {
  const lower = name.toLowerCase()
  return VCON_FILE_SUFFIXES.some((suffix) => lower.endsWith(suffix))
}

/**
 * Expands PATH arguments. Never throws for a bad path: a missing file is an `unreadable` entry, so that one
 * bad argument does not hide the results for the others.
 */
export async function expandInputs(args: readonly string[]): Promise<ExpandedInput[]> {
  const out: ExpandedInput[] = []
  for (const arg of args) {
    if (arg === '-') {
      out.push({ kind: 'stdin', display: STDIN_DISPLAY })
      continue
    }
    let info: Awaited<ReturnType<typeof stat>>
    try {
      info = await stat(arg)
    } catch (error) {
      out.push({ kind: 'unreadable', display: arg, reason: describeIoError(error) })
      continue
    }
    if (info.isDirectory()) {
      await walkFolder(arg, out, new Set())
    } else {
      out.push({ kind: 'file', path: arg, display: arg })
    }
  }
  return out
}

async function walkFolder(dir: string, out: ExpandedInput[], seen: Set<string>): Promise<void> {
  // Symbolic links may point back up the tree; remember the real path of every folder entered.
  let real: string
  let names: string[]
  try {
    real = await realpath(dir)
    if (seen.has(real)) return
    seen.add(real)
    names = await readdir(dir)
  } catch (error) {
    out.push({ kind: 'unreadable', display: dir, reason: describeIoError(error) })
    return
  }
  // Sort by code unit for an order that does not depend on the file system or the locale.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const name of names) {
    // Hidden entries (.git, editor swap folders) and dependencies are never vCon collections.
    if (name.startsWith('.') || name === 'node_modules') continue
    const path = join(dir, name)
    let info: Awaited<ReturnType<typeof stat>>
    try {
      info = await stat(path)
    } catch (error) {
      if (hasVconSuffix(name))
        out.push({ kind: 'unreadable', display: path, reason: describeIoError(error) })
      continue
    }
    if (info.isDirectory()) await walkFolder(path, out, seen)
    else if (info.isFile() && hasVconSuffix(name)) out.push({ kind: 'file', path, display: path })
  }
}

/** Reads one input in full. Throws an `InputReadError` with a one-line reason on failure. */
export async function readInputBytes(
  source: InputSource,
  readStdin: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    if (source.kind === 'stdin') return await readStdin()
    return await readFile(source.path)
  } catch (error) {
    throw new InputReadError(source.display, describeIoError(error), error)
  }
}

/** An input could not be read (I/O, not content): the CLI reports it and exits with status 2. */
export class InputReadError extends Error {
  readonly display: string
  readonly reason: string

  constructor(display: string, reason: string, cause: unknown) {
    super(`cannot read ${display}: ${reason}`, { cause })
    this.name = 'InputReadError'
    this.display = display
    this.reason = reason
  }
}

const IO_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
}

/** A short, stack-free reason for a file system error (`no such file or directory`). */
export function describeIoError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== undefined && IO_REASONS[code] !== undefined) return IO_REASONS[code]
    const line = firstLine(error.message)
    // Node's messages usually start with the code already ("EIO: i/o error, read").
    return code === undefined || line.startsWith(code) ? line : `${code}: ${line}`
  }
  return String(error)
}

function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end === -1 ? text : text.slice(0, end)
}

/** Reads all of a readable stream (standard input) into one byte array. */
export async function readStream(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array))
  }
  return Buffer.concat(chunks)
}
