/**
 * @module Upgrades an unsigned legacy vCon to the 0.4.0 shape (notes §d): detects the version, then chains the
 * version steps 0.0.1 → 0.0.2 → 0.3.0 → 0.4.0 and the within-0.4.0 repairs. Every repair or guess is one
 * warning with a pointer into the input. The input is never mutated; unchanged subtrees are shared with it.
 */
import { VconError } from '../errors/vcon-error.js'
import { VCON_VERSION } from '../model/vocabulary.js'
import type { Issue } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { detectVersion } from './detect-version.js'
import { upgradeFrom001 } from './from-0.0.1.js'
import { upgradeFrom002 } from './from-0.0.2.js'
import { upgradeFrom030 } from './from-0.3.0.js'
import { getOwn, type JsonObject, withKey } from './object-edit.js'
import {
  compareVersions,
  isSourceVersion,
  type PointerOrigins,
  type SourceVersion,
  type UpgradeStep,
} from './upgrade-step.js'
import { upgradeWithin040 } from './within-0.4.0.js'

export type { DetectedVersion } from './detect-version.js'
export type { SourceVersion } from './upgrade-step.js'
export { detectVersion }

/** An upgraded vCon, the version it was read as, and one warning per repair. */
export interface UpgradeResult {
  readonly vcon: Record<string, unknown>
  readonly from: SourceVersion
  readonly issues: readonly Issue[]
}

/** Each step with the version it upgrades from; a step runs when that version is not older than the input's. */
const STEPS: readonly (readonly [SourceVersion, UpgradeStep])[] = [
  ['0.0.1', upgradeFrom001],
  ['0.0.2', upgradeFrom002],
  ['0.3.0', upgradeFrom030],
  ['0.4.0', upgradeWithin040],
]

/**
 * Upgrades `value` (an unsigned vCon object of any version) to the 0.4.0 shape with `vcon: "0.4.0"` (notes §g.6).
 * Unknown fields are kept. Upgrading the result again changes nothing and reports nothing.
 * @throws VconError `VCON_BAD_ARGUMENT` when `value` is not a plain object.
 */
export function upgradeVcon(value: Readonly<Record<string, unknown>>): UpgradeResult {
  if (!isObject(value)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'upgradeVcon expects an unsigned vCon as a parsed JSON object; parse the text (or verify the JWS) first',
    )
  }
  const { version, reason } = detectVersion(value)
  const label = getOwn(value, 'vcon')
  const relabelled = label !== VCON_VERSION
  const issues: Issue[] = []
  if (relabelled) {
    // A known string (or none) was upgraded; anything else ("1.0", "", a number) was not a version at all.
    const known = label === undefined || isSourceVersion(label)
    issues.push({
      pointer: '/vcon',
      code: known ? 'upgraded-version' : 'unknown-version',
      severity: 'warning',
      message:
        version === VCON_VERSION
          ? `${reason}; set vcon to "${VCON_VERSION}"`
          : `${reason}; upgraded from ${version} to ${VCON_VERSION}`,
    })
  }
  let current: Readonly<JsonObject> = value
  let origins: PointerOrigins = []
  for (const [from, step] of STEPS) {
    if (compareVersions(from, version) < 0) continue
    const result = step(current, { origins, relabelled })
    current = result.vcon
    origins = result.origins
    issues.push(...result.issues)
  }
  return { vcon: withKey(current, 'vcon', VCON_VERSION, 'start'), from: version, issues }
}
