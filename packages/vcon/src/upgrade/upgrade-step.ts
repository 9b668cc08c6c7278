/**
 * @module What every upgrade step shares: the source versions, the step signature, and the repair log that turns
 * each repair into a warning whose pointer is in the layout of the input (notes §d.2).
 */

import type { Issue } from '../validate/issue.js'
import type { IssueCode } from '../validate/issue-codes.js'
import type { JsonObject } from './object-edit.js'

/** The syntax versions a legacy vCon can be upgraded from (notes §d.1), oldest first. */
export type SourceVersion = '0.0.1' | '0.0.2' | '0.3.0' | '0.4.0'

/** Every source version in order, so that steps can be chained from the detected one. */
export const SOURCE_VERSIONS: readonly SourceVersion[] = ['0.0.1', '0.0.2', '0.3.0', '0.4.0']

/** True for a version string this library knows how to upgrade from. */
export function isSourceVersion(value: unknown): value is SourceVersion {
  return typeof value === 'string' && (SOURCE_VERSIONS as readonly string[]).includes(value)
}

/** Negative when `a` is older than `b`. */
export function compareVersions(a: SourceVersion, b: SourceVersion): number {
  return SOURCE_VERSIONS.indexOf(a) - SOURCE_VERSIONS.indexOf(b)
}

/**
 * Where a field of the current object came from in the input: `[current pointer, input pointer]` pairs that an
 * earlier step recorded when it renamed a key (e.g. `/amended` came from `/appended`).
 */
export type PointerOrigins = readonly (readonly [string, string])[]

/** What a step is given besides the vCon. */
export interface StepContext {
  readonly origins: PointerOrigins
  /**
   * True when the `vcon` label changes (the input did not say "0.4.0"). Notes that are not repairs (a reserved
   * `group`) are reported only then, so that upgrading an upgraded vCon reports nothing.
   */
  readonly relabelled: boolean
}

/** What a step returns: the new object (or the same one when nothing changed) and its warnings. */
export interface StepOutput {
  readonly vcon: Readonly<JsonObject>
  readonly issues: readonly Issue[]
  readonly origins: PointerOrigins
}

/** One version step: a pure function of the vCon. */
export type UpgradeStep = (vcon: Readonly<JsonObject>, context: StepContext) => StepOutput

/** Collects one step's warnings and translates their pointers back to the input's layout. */
export class RepairLog {
  readonly issues: Issue[] = []
  private readonly origins: (readonly [string, string])[]

  constructor(origins: PointerOrigins) {
    this.origins = [...origins]
  }

  /** Records one repair or guess; `pointer` is in the current layout and is translated to the input's. */
  warn(code: IssueCode, pointer: string, message: string): void {
    this.issues.push({ pointer: this.toInput(pointer), code, severity: 'warning', message })
  }

  /** Records that the field now at `current` was at `previous` (both in the current step's terms). */
  moved(current: string, previous: string): void {
    this.origins.push([current, this.toInput(previous)])
  }

  /** The input pointer of a current pointer: the longest recorded prefix on a segment boundary is replaced. */
  toInput(pointer: string): string {
    let best: readonly [string, string] | undefined
    for (const origin of this.origins) {
      const [current] = origin
      const under = pointer === current || pointer.startsWith(`${current}/`)
      if (under && (best === undefined || current.length > best[0].length)) best = origin
    }
    return best === undefined ? pointer : best[1] + pointer.slice(best[0].length)
  }

  /** The step's result. */
  finish(vcon: Readonly<JsonObject>): StepOutput {
    return { vcon, issues: this.issues, origins: this.origins }
  }
}
