/**
 * @module RFC 6901 JSON pointers for amendments: parse a pointer and set the value it names in a copy.
 */
import { VconError } from '../errors/vcon-error.js'

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/** The reference tokens of a pointer, unescaped (`~1` is `/`, `~0` is `~`; RFC 6901 §4). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) bad(`JSON pointer "${pointer}" must start with "/" (RFC 6901 §3).`)
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token))
        bad(`JSON pointer "${pointer}" has a "~" not followed by 0 or 1.`)
      return token.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

/**
 * Sets the value at `tokens` inside `root`, which the caller owns. The parent must exist. In an array the
 * token must be the index of an existing element (elements are replaced, never inserted, so that indices stay
 * valid); in an object the key is replaced or added.
 */
export function setAtPointer(
  root: unknown,
  tokens: readonly string[],
  value: unknown,
  pointer: string,
): void {
  if (tokens.length === 0) bad('A replacement cannot target the whole vCon ("").')
  let node: unknown = root
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string
    const last = i === tokens.length - 1
    if (Array.isArray(node)) {
      if (!/^(?:0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) {
        bad(`JSON pointer "${pointer}": "${token}" is not the index of an existing element.`)
      }
      if (last) node[Number(token)] = value
      else node = node[Number(token)]
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>
      if (last) {
        // defineProperty, so that a "__proto__" key is stored as data and never changes a prototype.
        Object.defineProperty(obj, token, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
      } else {
        if (!Object.hasOwn(obj, token)) bad(`JSON pointer "${pointer}": "${token}" does not exist.`)
        node = obj[token]
      }
    } else {
      bad(`JSON pointer "${pointer}": "${tokens[i - 1] ?? ''}" is not an object or array.`)
    }
  }
}
