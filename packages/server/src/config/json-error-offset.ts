/**
 * @module Where a JSON text stops being JSON (RFC 8259 grammar), so that a configuration error can name the line:
 * Node 20's JSON.parse messages quote a snippet but give no position.
 */

const WS = new Set([' ', '\t', '\n', '\r'])

/** Unwinds the scanner at the first bad character. */
class Stop {
  readonly offset: number
  constructor(offset: number) {
    this.offset = offset
  }
}

/** The offset of the first character that breaks RFC 8259 §2 grammar, or undefined when `text` is JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0
  const skip = () => {
    while (i < text.length && WS.has(text[i] as string)) i++
  }
  const fail = (): never => {
    throw new Stop(i)
  }
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length
    else fail()
  }
  const string = () => {
    i++ // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail()
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail()
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else {
          i++
          fail()
        }
      } else i++
    }
    fail()
  }
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400))
    if (match === null || match[0] === '' || match[0] === '-') fail()
    i += (match as RegExpExecArray)[0].length
  }
  const value = (depth: number): void => {
    if (depth > 1000) fail()
    skip()
    const c = text[i]
    if (c === '{') {
      i++
      skip()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skip()
        if (text[i] !== '"') fail()
        string()
        skip()
        if (text[i] !== ':') fail()
        i++
        value(depth + 1)
        skip()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else fail()
      }
    } else if (c === '[') {
      i++
      skip()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value(depth + 1)
        skip()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else fail()
      }
    } else if (c === '"') string()
    else if (c === 't') literal('true')
    else if (c === 'f') literal('false')
    else if (c === 'n') literal('null')
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number()
    else fail()
  }
  try {
    value(0)
    skip()
    return i < text.length ? i : undefined
  } catch (error) {
    if (error instanceof Stop) return Math.min(error.offset, text.length)
    throw error
  }
}
