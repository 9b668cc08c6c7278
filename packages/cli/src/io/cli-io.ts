/**
 * @module The process streams a command talks to, behind a small interface so that commands never reach for
 * `process` themselves (and the entry point alone decides how output is written).
 */
import { readStream } from './read-input.js'

/** Output streams, standard input and the environment of one CLI run. */
export interface CliIo {
  /** Writes to stdout (results, the upgraded vCon). */
  out(text: string): void
  /** Writes to stderr (warnings, errors, the progress bar). */
  err(text: string): void
  /** Reads all of standard input. */
  readStdin(): Promise<Uint8Array>
  readonly stderrIsTTY: boolean
  readonly stderrColumns: number | undefined
  readonly env: Readonly<Record<string, string | undefined>>
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    out: (text) => {
      process.stdout.write(text)
    },
    err: (text) => {
      process.stderr.write(text)
    },
    readStdin: () => readStream(process.stdin),
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.columns,
    env: process.env,
  }
}
