/**
 * @module The one-sentence reason of a permission decision. It names the purpose, the party index and the
 * attachment indices, never a value from a party or a record's free text (conditions, metadata), so that it
 * can be logged and returned to API callers without carrying personal data.
 */
import type { PermissionCode } from './is-permitted.js'

/** What the decision found, before it is put into words. */
export interface Finding {
  readonly code: PermissionCode
  readonly attachments: readonly number[]
  /** The purposes of the grants or denials that decided (the query's purpose or broader ones). */
  readonly purposes?: readonly string[]
  readonly conditions?: readonly string[]
  /** Why the records that could have granted cannot (for `unusable-record`). */
  readonly problems?: readonly string[]
}

/** A purpose for a sentence: quoted, and cut short when it is a long caller-supplied string. */
function quoted(purpose: string): string {
  return JSON.stringify(purpose.length > 40 ? `${purpose.slice(0, 40)}…` : purpose)
}

function indices(list: readonly number[]): string {
  const unique = [...new Set(list)].sort((a, b) => a - b)
  return `${unique.length === 1 ? 'attachment' : 'attachments'} ${unique.join(', ')}`
}

/** " (denial of "ai")" when the deciding purposes are not just the one asked about. */
function via(
  kind: 'grant' | 'denial',
  purpose: string,
  purposes: readonly string[] | undefined,
): string {
  const distinct = [...new Set(purposes ?? [])]
  if (distinct.length === 0 || (distinct.length === 1 && distinct[0] === purpose)) return ''
  return ` (${kind} of ${distinct.map(quoted).join(', ')})`
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many
}

/** The reason sentence for a finding about `purpose` and `party` (undefined: the whole vCon). */
export function reasonFor(finding: Finding, purpose: string, party: number | undefined): string {
  const p = `purpose ${quoted(purpose)}`
  const who = party === undefined ? 'for the vCon' : `for party ${party}`
  const at = indices(finding.attachments)
  const count = new Set(finding.attachments).size
  switch (finding.code) {
    case 'granted': {
      const n = new Set(finding.conditions ?? []).size
      const subject = n === 0 ? '' : `, subject to ${n} ${plural(n, 'condition', 'conditions')}`
      return `${p} is permitted ${who} by ${at}${via('grant', purpose, finding.purposes)}${subject}`
    }
    case 'denied':
      return `${p} is denied ${who} by ${at}${via('denial', purpose, finding.purposes)}`
    case 'hash-mismatch':
      return `${p} is refused ${who}: the content_hash of ${at} does not match ${plural(count, 'its body', 'their bodies')} (lawful-basis-00 §6.1)`
    case 'no-lawful-basis':
      return `${p} has no lawful basis ${who}: no lawful_basis or consent attachment applies`
    case 'no-grant':
      return count === 1
        ? `${p} is not granted ${who}: ${at} does not grant it or a broader purpose`
        : `${p} is not granted ${who}: none of ${at} grants it or a broader purpose`
    case 'expired':
      return `${p} is not permitted ${who}: the ${plural(count, 'grant', 'grants')} in ${at}${via('grant', purpose, finding.purposes)} expired`
    case 'not-yet-granted':
      return `${p} is not yet permitted ${who}: the ${plural(count, 'grant', 'grants')} in ${at}${via('grant', purpose, finding.purposes)} ${plural(count, 'takes', 'take')} effect after the time asked about`
    case 'unusable-record': {
      const problems = [...new Set(finding.problems ?? [])].join('; ')
      return `${p} is not permitted ${who}: ${at} cannot grant it (${problems})`
    }
    case 'unknown-purpose':
      return `${p} is not in the purpose vocabulary; use a standard purpose or configure it`
  }
}
