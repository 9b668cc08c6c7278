/**
 * @module Reads the file an option names (a key, a certificate bundle, a policy): a missing or unreadable file is
 * a usage problem (exit 2) reported with the option and path, never a stack trace.
 */
import { readFile } from 'node:fs/promises'
import { CliError } from '../cli-error.js'
import { describeIoError } from './read-input.js'

/** The bytes of the file given to `--option`; throws a CliError (exit 2) naming both when it cannot be read. */
export async function readOptionFile(option: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new CliError(`cannot read ${option} ${path}: ${describeIoError(error)}`)
  }
}

/** The file given to `--option` as UTF-8 text (PEM, JSON). */
export async function readOptionText(option: string, path: string): Promise<string> {
  return (await readOptionFile(option, path)).toString('utf8')
}
