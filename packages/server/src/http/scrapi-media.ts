/**
 * @module The media types of SCRAPI bodies. SCRAPI (draft-ietf-scitt-scrapi -11 §2) shows statements and receipts
 * as plain `application/cose`; RFC 9943 (SCITT architecture, IANA considerations) registers
 * `application/scitt-statement+cose` and `application/scitt-receipt+cose` for the same bytes. The server takes
 * either on registration and answers the RFC 9943 type only to a client whose Accept prefers it, so clients
 * written after the SCRAPI examples keep getting `application/cose` (scitt.md §2.3: accept both).
 */
import { parseMediaType } from './content-type.js'

export const COSE_TYPE = 'application/cose'
export const SCITT_STATEMENT_TYPE = 'application/scitt-statement+cose'
export const SCITT_RECEIPT_TYPE = 'application/scitt-receipt+cose'

/** Content types a signed statement may be registered as. */
export const STATEMENT_MEDIA_TYPES = [SCITT_STATEMENT_TYPE, COSE_TYPE] as const

/**
 * The type/subtype of a Content-Type header when it is one of `accepted` (parameters such as charset or RFC 9052
 * §9's cose-type are ignored: the body is parsed as a COSE_Sign1 either way); otherwise undefined.
 */
export function acceptedMediaType(
  header: string | undefined,
  accepted: readonly string[],
): string | undefined {
  const media = parseMediaType(header)
  return media !== undefined && accepted.includes(media.type) ? media.type : undefined
}

/** One media range of an Accept header (RFC 9110 §12.5.1) with its weight. */
interface MediaRange {
  readonly type: string
  readonly q: number
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [head, ...params] = part.split(';')
    const type = (head ?? '').trim().toLowerCase()
    if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) continue
    let q = 1
    for (const param of params) {
      const [name, value] = param.split('=')
      if (name?.trim().toLowerCase() !== 'q') continue
      const parsed = Number(value?.trim())
      // A malformed weight counts as 0 rather than as a preference the client did not state.
      q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0
    }
    ranges.push({ type, q })
  }
  return ranges
}

/** The weight an Accept gives a type: that of its most specific matching range (RFC 9110 §12.5.1), 0 if none. */
function weightOf(ranges: readonly MediaRange[], type: string): number {
  const major = type.split('/')[0]
  const exact = ranges.find((r) => r.type === type)
  if (exact !== undefined) return exact.q
  const wildcard =
    ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*')
  return wildcard?.q ?? 0
}

/**
 * The Content-Type to answer a COSE body with: `specific` (an RFC 9943 type) when the Accept header weighs it
 * above `application/cose`, else `application/cose` (also for no Accept, ties and Accepts naming neither: the
 * bytes are the same, and the SCRAPI examples use application/cose).
 */
export function coseResponseType(accept: string | undefined, specific: string): string {
  if (accept === undefined || accept.trim() === '') return COSE_TYPE
  const ranges = parseAccept(accept)
  return weightOf(ranges, specific) > weightOf(ranges, COSE_TYPE) ? specific : COSE_TYPE
}
