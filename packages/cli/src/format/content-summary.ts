/**
 * @module One short phrase for the content of a dialog, analysis or attachment: inline (core draft §2.4.1)
 * with its size, or external (§2.4.2) with its host and hash algorithms.
 */

/** The content fields of a dialog, analysis or attachment, read loosely (extension data may be anything). */
interface ContentView {
  readonly body?: unknown
  readonly encoding?: unknown
  readonly url?: unknown
  readonly content_hash?: unknown
  readonly mediatype?: unknown
}

/** `1234` → `1.2 kB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}

/** The size of an inline body as the bytes it stands for. */
function bodySize(body: unknown, encoding: unknown): number {
  if (typeof body !== 'string') return Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8')
  // Unpadded base64url carries 3 bytes per 4 characters (RFC 4648 §5).
  if (encoding === 'base64url') return Math.floor((body.length * 3) / 4)
  return Buffer.byteLength(body, 'utf8')
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}

function hashAlgorithms(contentHash: unknown): string | undefined {
  const tokens = Array.isArray(contentHash) ? contentHash : [contentHash]
  const algs = tokens
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.slice(0, Math.max(0, t.indexOf('-'))) || '?')
  return algs.length === 0 ? undefined : algs.join('+')
}

/** e.g. `text/plain, inline 212 B` or `audio/x-wav, url media.example.com, sha512`, or `-` for none. */
export function describeContent(item: ContentView): string {
  const parts: string[] = []
  if (typeof item.mediatype === 'string') parts.push(item.mediatype.replace(/\s+/g, ' '))
  if (item.body !== undefined) {
    // "none" (text as is) goes without saying; base64url and json are worth naming.
    const encoding =
      typeof item.encoding === 'string' && item.encoding !== 'none' ? `${item.encoding} ` : ''
    parts.push(`inline ${encoding}${formatBytes(bodySize(item.body, item.encoding))}`)
  } else if (typeof item.url === 'string') {
    parts.push(`url ${hostOf(item.url)}`)
  }
  const algs = hashAlgorithms(item.content_hash)
  if (algs !== undefined) parts.push(algs)
  return parts.length === 0 ? '-' : parts.join(', ')
}

/** The tags of a tags attachment (an array of "key:value" strings) as `key=value, ...`, if it has that shape. */
export function describeTags(body: unknown): string | undefined {
  if (!Array.isArray(body) || !body.every((t) => typeof t === 'string')) return undefined
  return (body as string[])
    .map((tag) => {
      const colon = tag.indexOf(':')
      return colon === -1 ? tag : `${tag.slice(0, colon)}=${tag.slice(colon + 1)}`
    })
    .join(', ')
}

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}
