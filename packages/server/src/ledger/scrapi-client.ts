/**
 * @module A small SCRAPI client (draft-ietf-scitt-scrapi, approved -11): registration (`POST /entries`, 201 with
 * the receipt and `Location`, or 303 and polling of `Location` while the service answers 302, at most maxPolls
 * times), receipt and key set retrieval. The conserver uses it for `ledger.mode: remote` (another vconkit
 * conserver, or any SCRAPI service); `vcon audit` uses the same calls.
 */
import { LedgerError } from '@vconkit/ledger'

export const COSE_MEDIA_TYPE = 'application/cose'

export interface ScrapiClientOptions {
  /** Base URL of the service, e.g. https://ledger.example (no trailing slash needed). */
  readonly url: string
  /** Bearer token for registration (and reads, where the service requires one). */
  readonly token?: string
  readonly fetch?: typeof fetch
  /**
   * Most polls of an asynchronous registration before giving up with an error naming the status URL. Default 30;
   * with maxPollWaitMs that bounds a registration to about 5 minutes.
   */
  readonly maxPolls?: number
  /** Longest wait between polls, whatever the service's Retry-After says (absent: 1 s). Default 10000. */
  readonly maxPollWaitMs?: number
  /** Longest wait for one answer, in ms. Default 30000. */
  readonly timeoutMs?: number
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

/** Retry-After (RFC 9110 §10.2.3: delta-seconds or HTTP-date) in ms; 1 s when absent or unreadable; at most `cap`. */
function retryDelayMs(header: string | null, cap: number): number {
  const value = header?.trim() ?? ''
  let ms = 1000
  if (/^\d+$/.test(value)) ms = Number(value) * 1000
  else if (value !== '' && !Number.isNaN(Date.parse(value))) ms = Date.parse(value) - Date.now()
  return Math.min(cap, Math.max(0, ms))
}

/** Lets go of a body nobody reads, so the connection goes back to the pool. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {})
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `ScrapiClientOptions.${name} must be a whole number >= 1, not ${value}.`,
    )
  }
  return value
}

export function createScrapiClient(options: ScrapiClientOptions): ScrapiClient {
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const maxPolls = positiveInteger('maxPolls', options.maxPolls ?? 30)
  const maxPollWaitMs = Math.max(0, options.maxPollWaitMs ?? 10_000)
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 30_000)
  /** One request, given up after timeoutMs: a service that stops answering must not hold a caller forever. */
  const call = async (url: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'TimeoutError') throw error
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        `The ledger at ${url} did not answer within ${timeoutMs} ms; check that it is up, or raise timeoutMs.`,
        { cause: error },
      )
    }
  }
  const auth: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
  const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer())

  return {
    async register(statement) {
      const entries = `${base}/entries`
      let response = await call(entries, {
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
      await discard(response)
      // Asynchronous registration (SCRAPI -11, "Register Signed Statement"; scitt.md §2.3): 303 names the status
      // resource in Location. Without one there is nothing to poll (polling the base URL would hide the fault).
      const first = response.headers.get('location')?.trim() ?? ''
      if (first === '') {
        throw new LedgerError(
          'LEDGER_BAD_ARGUMENT',
          `The ledger at ${base} answered POST /entries with 303 See Other but no Location header, so there is no registration status to poll; SCRAPI requires the Location of the pending entry. Fix the service, or point the client at a SCRAPI service.`,
        )
      }
      // A relative Location resolves against the URL it answered (RFC 9110 §10.2.2).
      let location = new URL(first, entries).toString()
      for (let poll = 1; poll <= maxPolls; poll++) {
        await new Promise((r) =>
          setTimeout(r, retryDelayMs(response.headers.get('retry-after'), maxPollWaitMs)),
        )
        const polled = location
        response = await call(polled, {
          headers: { ...auth, accept: COSE_MEDIA_TYPE },
          redirect: 'manual',
        })
        if (response.status === 200) {
          const final = response.headers.get('location')
          return {
            entryId: entryIdOf(final === null ? polled : new URL(final, polled).toString()),
            receipt: await bytes(response),
          }
        }
        // Still running: 302 Found per SCRAPI -11 (scitt.md §2.3). 202 Accepted is taken the same way, as the
        // IESG ballot on -10 proposed it in place of 302 and older services answer it; 429 asks to poll slower.
        if (response.status !== 302 && response.status !== 202 && response.status !== 429) {
          throw await failure(response, `Registration status ${polled}`)
        }
        await discard(response)
        const next = response.headers.get('location')?.trim() ?? ''
        if (next !== '' && response.status !== 429) location = new URL(next, polled).toString()
      }
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        `Registration at ${base} still pending after ${maxPolls} polls of ${location}. The service may still finish it: fetch the receipt later with GET ${location}, or register the statement again; if the service is this slow, raise maxPolls.`,
      )
    },
    async receipt(entryId) {
      const response = await call(`${base}/entries/${encodeURIComponent(entryId)}`, {
        headers: { ...auth, accept: COSE_MEDIA_TYPE },
      })
      if (response.status === 404) return undefined
      if (!response.ok) throw await failure(response, `Receipt ${entryId}`)
      return bytes(response)
    },
    async keySet() {
      const response = await call(`${base}/.well-known/scitt-keys`)
      if (!response.ok) throw await failure(response, 'Key set')
      return bytes(response)
    },
  }
}
