/**
 * @module Extension processing (core draft §2.5): `critical` names must all be supported, and every supported
 * extension that is declared or whose data is present gets to validate its part of the vCon.
 */
import type { ExtensionContext } from '../extensions/extension.js'
import type { ExtensionRegistry } from '../extensions/registry.js'
import { truncate } from './check-content.js'
import type { IssueCollector } from './issue.js'

/** The legacy names of `critical` (0.3.0 `must_support`; `must_understand` from the extensions page). */
const CRITICAL_KEYS = ['critical', 'must_support', 'must_understand'] as const

const LIST_KEYS = ['extensions', ...CRITICAL_KEYS] as const
const NO_NAMES: readonly string[] = []

function hasAlias(aliases: readonly string[] | undefined, declared: ReadonlySet<string>): boolean {
  if (aliases === undefined) return false
  for (const alias of aliases) if (declared.has(alias)) return true
  return false
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function checkExtensions(
  vcon: Record<string, unknown>,
  registry: ExtensionRegistry,
  c: IssueCollector,
): void {
  const declared = new Set(vcon.extensions === undefined ? NO_NAMES : stringsOf(vcon.extensions))
  for (const key of LIST_KEYS) {
    const list = vcon[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) {
      c.report('must', `/${key}`, 'wrong-type', `${key} must be an array of extension names.`)
      continue
    }
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') {
        c.report('must', `/${key}/${i}`, 'wrong-type', 'An extension name must be a string.')
      }
    }
  }
  // The reject-if-unsupported rule applies to the union of the three spellings (notes §g.1).
  for (const key of CRITICAL_KEYS) {
    const list = vcon[key]
    if (!Array.isArray(list)) continue
    for (let i = 0; i < list.length; i++) {
      const name: unknown = list[i]
      if (typeof name !== 'string') continue
      const ext = registry.get(name)
      if (ext === undefined) {
        c.report(
          'must',
          `/${key}/${i}`,
          'critical-unsupported',
          `The vCon requires extension "${truncate(name)}", which this reader does not support; it must not be processed (core draft §2.5).`,
        )
      } else if (!ext.mayBeCritical) {
        c.report(
          'must',
          `/${key}/${i}`,
          'extension-invalid',
          `Extension "${name}" must not be listed in critical; list it in extensions only.`,
        )
      }
      if (!declared.has(name)) {
        c.report(
          'should',
          `/${key}/${i}`,
          'critical-not-in-extensions',
          `"${truncate(name)}" is critical but not listed in extensions; add it there too.`,
        )
      }
      declared.add(name)
    }
  }
  for (const ext of registry.list()) {
    const isDeclared =
      declared.size > 0 && (declared.has(ext.name) || hasAlias(ext.aliases, declared))
    if (!isDeclared && !ext.detect(vcon)) continue
    if (!isDeclared && !ext.readOnly) {
      c.report(
        'should',
        '/extensions',
        'extension-undeclared',
        `The vCon carries data of the "${ext.name}" extension; list "${ext.name}" in extensions.`,
      )
    }
    const ctx: ExtensionContext = {
      vcon,
      declared: isDeclared,
      report: (level, pointer, code, message) => c.report(level, pointer, code, message),
    }
    try {
      ext.validate(ctx)
    } catch (cause) {
      // A module must not throw; if one does, the vCon is still judged rather than crashing the caller.
      c.report(
        'must',
        '',
        'extension-invalid',
        `The "${ext.name}" extension could not check this vCon: ${cause instanceof Error ? cause.message : String(cause)}`,
      )
    }
  }
}
