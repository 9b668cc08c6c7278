/**
 * @module Sniffs the syntax version of an unsigned vCon from its keys, not only from its `vcon` string (notes
 * §d.2 "any": never trust the value; real files say "0.3.0" and still carry `mimetype`).
 */
import { find001Marker } from './from-0.0.1.js'
import { find002Marker } from './from-0.0.2.js'
import { find030Marker } from './from-0.3.0.js'
import { getOwn, type JsonObject } from './object-edit.js'
import { compareVersions, isSourceVersion, type SourceVersion } from './upgrade-step.js'

/** The detected version and a sentence saying why (for warnings and debugging). */
export interface DetectedVersion {
  readonly version: SourceVersion
  readonly reason: string
}

/**
 * For each version, the finder of a name that was last used in that version. A name found bounds the version
 * from above: a file with `mimetype` is 0.0.1 whatever it says. Oldest first, so the first hit is the bound.
 */
const MARKERS: readonly (readonly [
  SourceVersion,
  (vcon: Readonly<JsonObject>) => string | undefined,
])[] = [
  ['0.0.1', find001Marker],
  ['0.0.2', find002Marker],
  ['0.3.0', find030Marker],
]

/** The oldest version whose names appear in `value`, with the pointer of the first such name. */
function findLegacyName(
  value: Readonly<JsonObject>,
): { version: SourceVersion; pointer: string } | undefined {
  for (const [version, find] of MARKERS) {
    const pointer = find(value)
    if (pointer !== undefined) return { version, pointer }
  }
  return undefined
}

/**
 * Detects the version of an unsigned vCon object: the `vcon` string when it is a known version and no field
 * contradicts it, else the oldest version whose names the fields use, else 0.4.0. Strings like "1.0" or ""
 * fall back to sniffing.
 */
export function detectVersion(value: Readonly<Record<string, unknown>>): DetectedVersion {
  const label = getOwn(value, 'vcon')
  const legacy = findLegacyName(value)
  const legacyText =
    legacy === undefined ? '' : `${legacy.pointer} uses a name last used in ${legacy.version}`
  if (isSourceVersion(label)) {
    if (legacy !== undefined && compareVersions(legacy.version, label) < 0) {
      return { version: legacy.version, reason: `vcon says "${label}", but ${legacyText}` }
    }
    return { version: label, reason: `vcon says "${label}"` }
  }
  const given =
    label === undefined ? 'no vcon version string' : `unknown vcon version ${JSON.stringify(label)}`
  if (legacy !== undefined) return { version: legacy.version, reason: `${given}; ${legacyText}` }
  return { version: '0.4.0', reason: `${given}; no legacy field names, so read as 0.4.0` }
}
