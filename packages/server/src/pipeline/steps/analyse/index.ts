/**
 * @module The `analyse` step: sends the vCon's plain transcript to an OpenAI-compatible
 * `/v1/chat/completions` API with a summary, sentiment or custom prompt, and adds the answer as an analysis
 * (core draft §4.5) `{ type, dialog: [indices covered], vendor, product: model, schema: "vconkit-analyse-1",
 * encoding: "json" | "none", body }`. Idempotent: when an analysis of the same type and schema exists, the
 * step does nothing and the vendor gets no request.
 */
import { type Analysis, type JsonValue, plainTranscript, type Vcon } from '@vconkit/vcon'
import {
  checkKeys,
  type Options,
  optEnum,
  optionError,
  optNumber,
  optString,
} from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'
import { parseJsonAnswer, postOutbound } from '../../vendor/vendor-http.js'
import {
  rateLimitKey,
  readVendorOptions,
  VENDOR_OPTION_KEYS,
  type VendorOptions,
  vendorEndpoint,
} from '../../vendor/vendor-options.js'
import type { BuiltinStepDeps } from '../builtin-deps.js'

/** Options of the analyse step. */
export interface AnalyseStepOptions {
  /** What to ask for: a summary, a sentiment, or a custom prompt. */
  readonly kind: 'summary' | 'sentiment' | 'custom'
  /** The analysis `type` written: "summary", "sentiment", or the `type` option (required for custom). */
  readonly type: string
  /** The system prompt (a default for summary and sentiment; required for custom). */
  readonly prompt: string
  /** `text` writes the answer as is (encoding "none"); `json` asks for and stores JSON (encoding "json"). */
  readonly output: 'text' | 'json'
  /** The chat model (default "gpt-4o-mini"); written as the analysis `product`. */
  readonly model: string
  readonly temperature: number
  readonly maxTokens: number | undefined
  /** The transcript is cut to this many characters (default 100,000) to bound the request. */
  readonly maxInputChars: number
  /** Shared vendor options: baseUrl, apiKeyEnv, timeoutMs, rateLimit, allowInsecure, vendorName. */
  readonly vendor: VendorOptions
}

/** The `schema` of analyses written by this step: the shape of the body below. */
export const ANALYSE_SCHEMA = 'vconkit-analyse-1'

const KEYS = [
  'kind',
  'type',
  'prompt',
  'output',
  'model',
  'temperature',
  'maxTokens',
  'maxInputChars',
  ...VENDOR_OPTION_KEYS,
] as const

const SUMMARY_PROMPT =
  'You summarise conversations. Write a short, factual summary of the conversation below in a few sentences: who took part, what it was about, what was decided and what happens next. Write nothing else.'

const SENTIMENT_PROMPT =
  'You rate the overall sentiment of the customer in the conversation below. Answer with a JSON object only: {"sentiment": "positive" | "neutral" | "negative", "score": a number from -1 (very negative) to 1 (very positive), "reason": one short sentence}.'

/** Reads and checks the options (the API key is read from the environment here, at start). */
export function readAnalyseOptions(
  options: Options,
  env: BuiltinStepDeps['env'],
): AnalyseStepOptions {
  checkKeys('analyse', options, KEYS)
  const kind = optEnum(options, 'kind', ['summary', 'sentiment', 'custom'])
  const customType = optString(options, 'type')
  const customPrompt = optString(options, 'prompt')
  if (kind === 'custom' && customType === undefined) {
    throw optionError(
      'type',
      'is required for kind: custom (the analysis type to write, e.g. "call_reason")',
    )
  }
  if (kind === 'custom' && customPrompt === undefined) {
    throw optionError('prompt', 'is required for kind: custom')
  }
  return {
    kind,
    type: customType ?? kind,
    prompt: customPrompt ?? (kind === 'sentiment' ? SENTIMENT_PROMPT : SUMMARY_PROMPT),
    output: optEnum(options, 'output', ['text', 'json'], kind === 'sentiment' ? 'json' : 'text'),
    model: optString(options, 'model') ?? 'gpt-4o-mini',
    temperature: optNumber(options, 'temperature', { min: 0, max: 2, fallback: 0 }),
    maxTokens: optNumber(options, 'maxTokens', { min: 1, integer: true }),
    maxInputChars: optNumber(options, 'maxInputChars', {
      min: 1,
      integer: true,
      fallback: 100_000,
    }),
    vendor: readVendorOptions(options, env, {
      baseUrl: 'https://api.openai.com',
      vendorName: 'openai',
      timeoutMs: 60_000,
    }),
  }
}

/** True when an analysis of this type written by this step (same schema) is already there. */
export function hasAnalysis(vcon: Vcon, type: string): boolean {
  return (vcon.analysis ?? []).some((a) => a.type === type && a.schema === ANALYSE_SCHEMA)
}

/** Models often wrap JSON in a Markdown code fence despite being asked not to. */
function unfence(text: string): string {
  const match = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(text)
  return match?.[1] ?? text
}

function contentOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const choices = (value as { choices?: unknown }).choices
  if (!Array.isArray(choices)) return undefined
  const first: unknown = choices[0]
  if (typeof first !== 'object' || first === null) return undefined
  const message = (first as { message?: unknown }).message
  if (typeof message !== 'object' || message === null) return undefined
  const content = (message as { content?: unknown }).content
  return typeof content === 'string' ? content : undefined
}

/** Makes the analyse step type. */
export function analyseStepFactory(deps: BuiltinStepDeps): StepFactory {
  return {
    type: 'analyse',
    create(name, raw) {
      const options = readAnalyseOptions(raw, deps.env)
      const url = vendorEndpoint(options.vendor.baseUrl, '/v1/chat/completions')
      const peer = `the chat completions API at ${url.origin}`
      const limitKey = rateLimitKey(options.vendor.baseUrl)
      return {
        name,
        type: 'analyse',
        // A language model produces the analysis: analytics, and generative AI use (aipref "genai").
        purposes: ['analytics', 'genai'],
        async run(vcon, ctx) {
          if (hasAnalysis(vcon, options.type)) return { kind: 'continue', vcon, changed: false }
          const transcript = plainTranscript(vcon)
          const text = transcript.text.trim()
          if (text === '') {
            ctx.log.debug('nothing to analyse: the vCon has no transcript')
            return { kind: 'continue', vcon, changed: false }
          }
          const dialogs = [
            ...new Set(transcript.lines.flatMap((l) => (l.dialog === undefined ? [] : [l.dialog]))),
          ].sort((a, b) => a - b)
          if (options.vendor.rateLimit !== undefined) {
            try {
              await deps.limiter.acquire(limitKey, options.vendor.rateLimit, ctx.signal)
            } catch {
              return {
                kind: 'fail',
                reason: 'cancelled while waiting for the vendor rate limit',
                permanent: false,
              }
            }
          }
          const request = {
            model: options.model,
            messages: [
              { role: 'system', content: options.prompt },
              { role: 'user', content: text.slice(0, options.maxInputChars) },
            ],
            temperature: options.temperature,
            ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
            ...(options.output === 'json' ? { response_format: { type: 'json_object' } } : {}),
          }
          const answer = await postOutbound({
            url,
            headers: {
              'content-type': 'application/json',
              ...(options.vendor.apiKey === undefined
                ? {}
                : { authorization: `Bearer ${options.vendor.apiKey}` }),
            },
            body: JSON.stringify(request),
            timeoutMs: options.vendor.timeoutMs,
            signal: ctx.signal,
            peer,
          })
          if (answer.kind === 'fail')
            return { kind: 'fail', reason: answer.reason, permanent: answer.permanent }
          const parsed = parseJsonAnswer(answer.body, peer)
          const content = parsed.ok ? contentOf(parsed.value) : undefined
          if (content === undefined) {
            return {
              kind: 'fail',
              reason: `${peer} answered without choices[0].message.content`,
              permanent: false,
            }
          }
          let body: JsonValue = content.trim()
          if (options.output === 'json') {
            try {
              body = JSON.parse(unfence(content)) as JsonValue
            } catch {
              // A model may answer better on the next attempt (the queue retries with backoff).
              return {
                kind: 'fail',
                reason: `${peer}: the model's answer is not the JSON asked for`,
                permanent: false,
              }
            }
          }
          const analysis: Analysis = {
            type: options.type,
            ...(dialogs.length === 0 ? {} : { dialog: dialogs }),
            vendor: options.vendor.vendorName,
            product: options.model,
            schema: ANALYSE_SCHEMA,
            encoding: options.output === 'json' ? 'json' : 'none',
            body,
          }
          return {
            kind: 'continue',
            vcon: { ...vcon, analysis: [...(vcon.analysis ?? []), analysis] },
            changed: true,
          }
        },
      }
    },
  }
}
