/**
 * @module The `webhook` step: POSTs the vCon JSON to a URL, signed so the receiver can check where it came
 * from and when. Headers:
 *   x-vconkit-timestamp: <unix seconds>
 *   x-vconkit-signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<body>" with the shared secret>
 *   x-vconkit-delivery:  <hex id, the same on every redelivery of the same vCon content by this step>
 * The timestamp is inside the MAC so that a captured request cannot be replayed later with a fresh time; the
 * receiver rejects old timestamps and deduplicates on the delivery id (delivery is at least once). Non-2xx
 * answers fail the step: retried with backoff by the queue for network errors, timeouts, 408, 429 and 5xx,
 * permanently for other 4xx and redirects.
 */
import { createHash, createHmac } from 'node:crypto'
import { serializeVcon } from '@vconkit/vcon'
import {
  checkKeys,
  type Env,
  optBoolean,
  optEnvSecret,
  optHttpUrl,
  optionError,
  optNumber,
  optObject,
} from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'
import { postOutbound } from '../../vendor/vendor-http.js'

/** Options of the webhook step. */
export interface WebhookStepOptions {
  /** Where to POST; https unless `allowInsecure`. */
  readonly url: URL
  /** The environment variable holding the HMAC secret (required; never the secret itself). */
  readonly secretEnv: string
  /** Time allowed for the request, in ms (default 10,000). */
  readonly timeoutMs: number
  /** Extra request headers (not secrets: they are configuration). */
  readonly headers: Readonly<Record<string, string>>
  /** Allow an http:// URL (a trusted local network, tests). Default false. */
  readonly allowInsecure: boolean
}

const KEYS = ['url', 'secretEnv', 'timeoutMs', 'headers', 'allowInsecure'] as const

/** Headers the step sets itself, which `headers` may not override. */
const OWN_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'x-vconkit-signature',
  'x-vconkit-timestamp',
  'x-vconkit-delivery',
  'x-vconkit-vcon-uuid',
])

/** Reads and checks the options; returns them with the secret (kept out of the options object). */
export function readWebhookOptions(
  options: Readonly<Record<string, unknown>>,
  env: Env,
): { readonly options: WebhookStepOptions; readonly secret: string } {
  checkKeys('webhook', options, KEYS)
  const allowInsecure = optBoolean(options, 'allowInsecure', false)
  const url = optHttpUrl(options, 'url', { allowInsecure })
  const secret = optEnvSecret(options, 'secretEnv', env, { required: true }) as string
  const timeoutMs = optNumber(options, 'timeoutMs', {
    min: 1,
    max: 600_000,
    integer: true,
    fallback: 10_000,
  })
  const rawHeaders = optObject(options, 'headers') ?? {}
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw optionError(`headers.${name}`, 'is not a valid header name')
    }
    if (OWN_HEADERS.has(name.toLowerCase())) {
      throw optionError(
        `headers.${name}`,
        'is set by the webhook step itself and cannot be configured',
      )
    }
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw optionError(`headers.${name}`, 'must be a single-line string')
    }
    headers[name] = value
  }
  return {
    options: { url, secretEnv: options.secretEnv as string, timeoutMs, headers, allowInsecure },
    secret,
  }
}

/** The signature header value: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Makes the webhook step type. */
export function webhookStepFactory(deps: { readonly env: Env }): StepFactory {
  return {
    type: 'webhook',
    create(name, raw) {
      const { options, secret } = readWebhookOptions(raw, deps.env)
      const peer = `the webhook ${options.url.origin}${options.url.pathname}`
      return {
        name,
        type: 'webhook',
        // The vCon leaves this system.
        purposes: ['sharing'],
        async run(vcon, ctx) {
          const body = serializeVcon(vcon)
          const timestamp = String(Math.floor(ctx.now() / 1000))
          // Same content, same step: same id, so the receiver can drop a redelivery.
          const delivery = createHash('sha256')
            .update(`${ctx.chain}\u0000${name}\u0000${body}`)
            .digest('hex')
            .slice(0, 32)
          const result = await postOutbound({
            url: options.url,
            headers: {
              ...options.headers,
              'content-type': 'application/json',
              'x-vconkit-timestamp': timestamp,
              'x-vconkit-signature': webhookSignature(secret, timestamp, body),
              'x-vconkit-delivery': delivery,
              'x-vconkit-vcon-uuid': vcon.uuid,
            },
            body,
            timeoutMs: options.timeoutMs,
            signal: ctx.signal,
            peer,
            // A 2xx answer is not used; an error answer is read (capped) for its explanation.
            discardBody: true,
            maxResponseBytes: 64 * 1024,
          })
          if (result.kind === 'fail') {
            return { kind: 'fail', reason: result.reason, permanent: result.permanent }
          }
          ctx.log.debug('webhook delivered', { status: result.status, delivery })
          return { kind: 'continue', vcon, changed: false }
        },
      }
    },
  }
}
