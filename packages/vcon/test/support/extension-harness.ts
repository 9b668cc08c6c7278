/**
 * @module Test support for extension modules: runs one module's validate on a vCon the way the validator does,
 * and renders issues compactly ("error extension-invalid /attachments/0/body/x") for exact assertions.
 */
import { readFileSync } from 'node:fs'
import type { VconExtension } from '../../src/extensions/extension.js'
import type { Issue, ValidationMode } from '../../src/validate/issue.js'
import { IssueCollector } from '../../src/validate/issue.js'
import { corpusPath } from '../corpus.js'

/** Options of `runExtension`. */
export interface RunOptions {
  /** Defaults to whether `extensions` or `critical` lists the module's name or an alias. */
  readonly declared?: boolean
  readonly mode?: ValidationMode
}

/** Runs `ext.validate` on `vcon` and returns every issue it reported. */
export function runExtension(ext: VconExtension, vcon: unknown, options: RunOptions = {}): Issue[] {
  const c = new IssueCollector(options.mode ?? 'strict')
  const record = vcon as Record<string, unknown>
  const names = [ext.name, ...(ext.aliases ?? [])]
  const listed = (key: string): boolean => {
    const list = record[key]
    return Array.isArray(list) && list.some((n) => names.includes(n as string))
  }
  const declared = options.declared ?? (listed('extensions') || listed('critical'))
  ext.validate({
    vcon: record,
    declared,
    report: (level, pointer, code, message) => c.report(level, pointer, code, message),
  })
  return c.issues
}

/** `severity code pointer` for each issue, in report order. */
export function brief(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.severity} ${i.code} ${i.pointer}`)
}

/** Only the errors, as `brief` renders them. */
export function errors(issues: readonly Issue[]): string[] {
  return brief(issues.filter((i) => i.severity === 'error'))
}

/** Freezes a value and everything inside it, so that a module mutating its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

/** A corpus file parsed as JSON (see test/fixtures/corpus/SOURCES.md). */
export function loadCorpus(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(corpusPath(path), 'utf8')) as Record<string, unknown>
}

/** A deep copy, for building a variant of a fixture without touching the original. */
export function copy<T>(value: T): T {
  return structuredClone(value)
}
