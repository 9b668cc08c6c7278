/**
 * @module A small SCRAPI client (draft-ietf-scitt-scrapi, approved -11): registration (`POST /entries`, 201 with
 * the receipt and `Location`, or 303 and polling of `Location` while the service answers 302), receipt and key
 * set retrieval. The conserver uses it for `ledger.mode: remote` (another vconkit conserver, or any SCRAPI
 * service); `vcon audit` uses the same calls.
 */
import { LedgerError } from '@vconkit/ledger'

export const COSE_MEDIA_TYPE = 'application/cose'

export interface ScrapiClientOptions {
  /** Base URL of the service, e.g. https://ledger.example (no trailing slash needed). */
  readonly url: string
  /** Bearer token for registration (and reads, where the service requires one). */
  readonly token?: string
  readonly fetch?: typeof fetch
  /** Most polls of an asynchronous registration. Default 30. */
  readonly maxPolls?: number
}

export interface ScrapiClient {
  register(
    statement: Uint8Array,
  ): Promise<{ readonly entryId: string; readonly receipt: Uint8Array }>
  receipt(entryId: string): Promise<Uint8Array | undefined>
  keySet(): Promise<Uint8Array>
}

function entryIdOf(location: string | null): string {
  const m = location === null ? null : /\/entries\/([^/?#]+)$/.exec(location)
  if (m?.[1] === undefined) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `The ledger answered no entry Location (${location}).`,
    )
  }
  return decodeURIComponent(m[1])
}

async function failure(response: Response, what: string): Promise<LedgerError> {
  const detail = (await response.text().catch(() => '')).slice(0, 300)
  return new LedgerError(
    'LEDGER_BAD_ARGUMENT',
    `${what}: the ledger answered ${response.status} ${detail.replace(/[^\x20-\x7e]/g, '.')}`,
  )
}

export function createScrapiClient(options: ScrapiClientOptions): ScrapiClient {
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const maxPolls = options.maxPolls ?? 30
  const auth: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
  const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer())

  return {
    async register(statement) {
      let response = await doFetch(`${base}/entries`, {
        method: 'POST',
        headers: { ...auth, 'content-type': COSE_MEDIA_TYPE, accept: COSE_MEDIA_TYPE },
        body: statement,
        redirect: 'manual',
      })
      if (response.status === 201) {
        return {
          entryId: entryIdOf(response.headers.get('location')),
          receipt: await bytes(response),
        }
      }
      if (response.status !== 303) throw await failure(response, 'Registration refused')
      // Asynchronous registration: poll the operation until it is done (302 means still running).
      let location = new URL(response.headers.get('location') ?? '', `${base}/`).toString()
      for (let poll = 0; poll < maxPolls; poll++) {
        const wait = Number(response.headers.get('retry-after') ?? '1')
        await new Promise((r) => setTimeout(r, Math.min(10, Math.max(0, wait)) * 1000))
        response = await doFetch(location, {
          headers: { ...auth, accept: COSE_MEDIA_TYPE },
          redirect: 'manual',
        })
        if (response.status === 200) {
          return {
            entryId: entryIdOf(response.headers.get('location') ?? location),
            receipt: await bytes(response),
          }
        }
        if (response.status !== 302) throw await failure(response, 'Registration failed')
        location = new URL(response.headers.get('location') ?? location, `${base}/`).toString()
      }
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        `Registration still running after ${maxPolls} polls.`,
      )
    },
    async receipt(entryId) {
      const response = await doFetch(`${base}/entries/${encodeURIComponent(entryId)}`, {
        headers: { ...auth, accept: COSE_MEDIA_TYPE },
      })
      if (response.status === 404) return undefined
      if (!response.ok) throw await failure(response, `Receipt ${entryId}`)
      return bytes(response)
    },
    async keySet() {
      const response = await doFetch(`${base}/.well-known/scitt-keys`)
      if (!response.ok) throw await failure(response, 'Key set')
      return bytes(response)
    },
  }
}
