/**
 * @module One outbound HTTP request of a step (vendor API or webhook): a time limit, a cap on the answer's size,
 * no redirects, and the answer classified the way the queue needs it: success, a failure worth retrying
 * (network, timeout, 408, 429, 5xx) or a permanent one (other 4xx, redirects). Credentials never appear in
 * the failure reasons, which end up in dead letters and logs.
 */

/** What to send. */
export interface OutboundRequest {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | FormData
  /** Time allowed for the whole exchange, in ms. */
  readonly timeoutMs: number
  /** The step's signal (its own timeout, worker shutdown). */
  readonly signal: AbortSignal
  /** How failures name the peer, e.g. "the OpenAI transcription API at https://api.openai.com". */
  readonly peer: string
  /** Largest answer read, in bytes. */
  readonly maxResponseBytes?: number
  /** A 2xx answer's body is not needed (webhooks): it is not read, whatever its size. */
  readonly discardBody?: boolean
}

/** The outcome of a request. */
export type OutboundResult =
  | {
      readonly kind: 'ok'
      readonly status: number
      readonly body: Uint8Array
      readonly contentType: string
    }
  | { readonly kind: 'fail'; readonly reason: string; readonly permanent: boolean }

const DEFAULT_MAX_RESPONSE = 32 * 1024 * 1024

/** Statuses worth retrying: the request may succeed later (RFC 9110 §15.5.9 408, RFC 6585 §4 429, 5xx). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  if (res.body === null) return new Uint8Array(0)
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

/** A short, single-line excerpt of an error answer (vendors explain 4xx there). */
function excerpt(body: Uint8Array): string {
  let text = new TextDecoder().decode(body.subarray(0, 2048))
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; err_msg?: unknown }
    const message =
      typeof parsed.error === 'string'
        ? parsed.error
        : typeof parsed.error?.message === 'string'
          ? parsed.error.message
          : typeof parsed.err_msg === 'string'
            ? parsed.err_msg
            : undefined
    if (message !== undefined) text = message
  } catch {
    // Not JSON: the raw text is the excerpt.
  }
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** Sends one POST and classifies the answer. Never throws. */
export async function postOutbound(request: OutboundRequest): Promise<OutboundResult> {
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort(), request.timeoutMs)
  const signal = AbortSignal.any([request.signal, timeout.signal])
  try {
    let res: Response
    try {
      res = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal,
      })
    } catch (error) {
      if (timeout.signal.aborted) {
        return {
          kind: 'fail',
          reason: `${request.peer} gave no answer within ${request.timeoutMs} ms (timeoutMs)`,
          permanent: false,
        }
      }
      if (request.signal.aborted) {
        return {
          kind: 'fail',
          reason: `the request to ${request.peer} was cancelled (step timeout or shutdown)`,
          permanent: false,
        }
      }
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
      return {
        kind: 'fail',
        reason: `${request.peer} could not be reached: ${cause}`,
        permanent: false,
      }
    }
    const status = res.status
    if (request.discardBody === true && status >= 200 && status <= 299) {
      await res.body?.cancel()
      return {
        kind: 'ok',
        status,
        body: new Uint8Array(0),
        contentType: res.headers.get('content-type') ?? '',
      }
    }
    const body = await readCapped(res, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE)
    if (status >= 200 && status <= 299) {
      if (body === undefined) {
        return {
          kind: 'fail',
          reason: `${request.peer} answered more than ${request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE} bytes`,
          permanent: true,
        }
      }
      return { kind: 'ok', status, body, contentType: res.headers.get('content-type') ?? '' }
    }
    const detail = body === undefined || body.byteLength === 0 ? '' : `: ${excerpt(body)}`
    if (status >= 300 && status <= 399) {
      return {
        kind: 'fail',
        reason: `${request.peer} answered HTTP ${status} (a redirect, which is not followed); configure the final URL`,
        permanent: true,
      }
    }
    const retryAfter = res.headers.get('retry-after')
    const after = retryAfter === null ? '' : ` (Retry-After: ${retryAfter.slice(0, 40)})`
    return {
      kind: 'fail',
      reason: `${request.peer} answered HTTP ${status}${after}${detail}`,
      permanent: !isRetryableStatus(status),
    }
  } catch (error) {
    // Reading the body failed half way: the connection broke or the time ran out.
    const why = timeout.signal.aborted
      ? `no complete answer within ${request.timeoutMs} ms (timeoutMs)`
      : error instanceof Error
        ? error.message
        : String(error)
    return { kind: 'fail', reason: `${request.peer}: ${why}`, permanent: false }
  } finally {
    clearTimeout(timer)
  }
}

/** Parses a JSON answer; a failure names the peer. */
export function parseJsonAnswer(
  body: Uint8Array,
  peer: string,
):
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(body)) }
  } catch {
    return { ok: false, reason: `${peer} answered something that is not JSON` }
  }
}
