/**
 * @module The body check of extension entries whose body is one JSON object (lawful_basis, WTF): the body must be
 * present and inline, carry `encoding: "json"`, and hold an object (natively or as a JSON string, notes §g.5).
 * Kept apart from field-checks.ts, whose checks read one member of an object rather than a whole entry body.
 */
import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { readJsonBody, show } from './entry-access.js'
import type { Report } from './field-checks.js'

/**
 * The JSON object body of an entry whose extension requires `encoding: "json"` and an object body (lawful_basis,
 * WTF). A string body holding the object is accepted (notes §g.5). A body stored by reference (`url`) cannot be
 * checked: a warning. Returns undefined when there is nothing to check further.
 */
export function requireJsonObjectBody(
  report: Report,
  entry: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
  what: string,
  spec: string,
): Record<string, unknown> | undefined {
  const read = readJsonBody(entry)
  const bodyPointer = pointerJoin(base, 'body')
  if (read.kind === 'absent') {
    if (typeof entry.url === 'string') {
      report(
        'should',
        pointerJoin(base, 'url'),
        'extension-invalid',
        `${label} is stored by reference, so its ${what} could not be checked; inline it (${spec}).`,
      )
    } else {
      report('must', bodyPointer, 'missing-field', `${label} needs a "body" holding the ${what}.`)
    }
    return undefined
  }
  if (entry.encoding !== 'json') {
    report(
      'must',
      pointerJoin(base, 'encoding'),
      'extension-invalid',
      `${label}: "encoding" is ${show(entry.encoding)}; the ${what} MUST use "json" (${spec}).`,
    )
  }
  if (read.kind === 'unparseable' || !isObject(read.value)) {
    const got = read.kind === 'unparseable' ? 'a string that is not JSON' : show(read.value)
    report(
      'must',
      bodyPointer,
      'extension-invalid',
      `${label}: the body must be a JSON object (or a string holding one); got ${got}.`,
    )
    return undefined
  }
  return read.value
}
