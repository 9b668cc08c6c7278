/**
 * @module A fake vendor server for tests: a REAL HTTP server on 127.0.0.1 (random port) speaking the subset of
 * the OpenAI audio transcription and chat completion APIs and of Deepgram's listen API that the vendor steps
 * use, plus a webhook receiver on any other POST path. Answers are deterministic, derived from the request
 * (a hash of the audio, the start of the prompt), so tests can assert exact values. Every request is recorded
 * (for "the vendor got no request" assertions), and the server can be told to fail the next N requests with
 * a status (500, 429...), to hang, or to reset the connection.
 */
import { createHash } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as received. */
export interface RecordedRequest {
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** How to fail a request. */
export type FailureMode =
  | { readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | 'hang'
  | 'reset'

export interface FakeVendor {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly requests: RecordedRequest[]
  /** Requests whose path ends with `suffix`. */
  requestsTo(suffix: string): RecordedRequest[]
  /** Fails the next `n` requests (whatever their path) in the given way. */
  failNext(n: number, mode: FailureMode): void
  close(): Promise<void>
}

export interface FakeVendorOptions {
  /** When set, vendor paths require it (`Bearer` for OpenAI paths, `Token` for Deepgram) and answer 401. */
  readonly apiKey?: string
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** Seconds of "audio": 100 bytes a second, at least 1 s, rounded to ms. */
export function fakeDuration(bytes: number): number {
  return Math.max(1, Math.round(bytes * 10) / 1000)
}

/** The text the fake transcribers give for some audio bytes. */
export function fakeTranscriptText(audio: Uint8Array): { first: string; second: string } {
  const tag = sha256(audio).slice(0, 8)
  return { first: `Hello, this is call ${tag}.`, second: 'Thank you, goodbye.' }
}

async function openaiTranscription(req: RecordedRequest, res: ServerResponse): Promise<void> {
  const contentType = req.headers['content-type'] ?? ''
  if (!contentType.startsWith('multipart/form-data')) {
    json(res, 400, { error: { message: 'expected multipart/form-data' } })
    return
  }
  // The WHATWG Response parses multipart bodies, the way a real server would.
  const form = await new Response(req.body, { headers: { 'content-type': contentType } }).formData()
  const file = form.get('file')
  const model = form.get('model')
  if (!(file instanceof Blob) || typeof model !== 'string' || model === '') {
    json(res, 400, { error: { message: 'file and model are required' } })
    return
  }
  const audio = new Uint8Array(await file.arrayBuffer())
  const duration = fakeDuration(audio.byteLength)
  const { first, second } = fakeTranscriptText(audio)
  const half = Math.round((duration / 2) * 1000) / 1000
  const format = form.get('response_format')
  if (format !== 'verbose_json') {
    json(res, 200, { text: `${first} ${second}` })
    return
  }
  const language = form.get('language')
  json(res, 200, {
    task: 'transcribe',
    language: typeof language === 'string' ? language : 'english',
    duration,
    text: `${first} ${second}`,
    segments: [
      {
        id: 0,
        seek: 0,
        start: 0,
        end: half,
        text: ` ${first}`,
        avg_logprob: -0.1,
        no_speech_prob: 0.01,
      },
      {
        id: 1,
        seek: 0,
        start: half,
        end: duration,
        text: ` ${second}`,
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
      },
    ],
  })
}

function deepgramListen(req: RecordedRequest, res: ServerResponse): void {
  if (req.body.byteLength === 0) {
    json(res, 400, { err_code: 'Bad Request', err_msg: 'no audio in the request body' })
    return
  }
  const duration = fakeDuration(req.body.byteLength)
  const { first, second } = fakeTranscriptText(req.body)
  const half = Math.round((duration / 2) * 1000) / 1000
  const words = [
    ...first.split(' ').map((w, i, all) => ({
      w,
      s: (i * half) / all.length,
      e: ((i + 1) * half) / all.length,
      speaker: 0,
    })),
    ...second.split(' ').map((w, i, all) => ({
      w,
      s: half + (i * (duration - half)) / all.length,
      e: half + ((i + 1) * (duration - half)) / all.length,
      speaker: 1,
    })),
  ].map(({ w, s, e, speaker }) => ({
    word: w.toLowerCase().replace(/[.,]/g, ''),
    punctuated_word: w,
    start: s,
    end: e,
    confidence: 0.95,
    speaker,
  }))
  json(res, 200, {
    metadata: {
      request_id: sha256(req.body).slice(0, 32),
      created: '2025-01-01T00:00:00.000Z',
      duration,
      channels: 1,
      models: [req.query.model ?? 'unknown'],
    },
    results: {
      channels: [
        {
          alternatives: [{ transcript: `${first} ${second}`, confidence: 0.93, words }],
          ...(req.query.detect_language === 'true' ? { detected_language: 'en' } : {}),
        },
      ],
      utterances: [
        {
          start: 0,
          end: half,
          confidence: 0.94,
          channel: 0,
          transcript: first,
          speaker: 0,
          id: 'u0',
        },
        {
          start: half,
          end: duration,
          confidence: 0.92,
          channel: 0,
          transcript: second,
          speaker: 1,
          id: 'u1',
        },
      ],
    },
  })
}

/** The answer a chat completion gets: JSON for json_object requests, else a summary line. */
export function fakeChatContent(userText: string, model: string, jsonMode: boolean): string {
  if (jsonMode) {
    const n = Number.parseInt(sha256(userText).slice(0, 4), 16) % 3
    const sentiment = ['negative', 'neutral', 'positive'][n] as string
    return JSON.stringify({ sentiment, score: n - 1, reason: 'derived from the text' })
  }
  return `Summary by ${model}: ${userText.replace(/\s+/g, ' ').slice(0, 60)}`
}

function chatCompletion(req: RecordedRequest, res: ServerResponse): void {
  let request: { model?: unknown; messages?: unknown; response_format?: { type?: unknown } }
  try {
    request = JSON.parse(req.body.toString('utf8'))
  } catch {
    json(res, 400, { error: { message: 'the body is not JSON' } })
    return
  }
  const messages = Array.isArray(request.messages)
    ? (request.messages as { role?: unknown; content?: unknown }[])
    : []
  const user = messages.find((m) => m.role === 'user')
  if (typeof request.model !== 'string' || typeof user?.content !== 'string') {
    json(res, 400, { error: { message: 'model and a user message are required' } })
    return
  }
  const content = fakeChatContent(
    user.content,
    request.model,
    request.response_format?.type === 'json_object',
  )
  json(res, 200, {
    id: `chatcmpl-${sha256(req.body).slice(0, 12)}`,
    object: 'chat.completion',
    created: 0,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  })
}

function authorised(
  req: RecordedRequest,
  apiKey: string | undefined,
  scheme: 'Bearer' | 'Token',
): boolean {
  return apiKey === undefined || req.headers.authorization === `${scheme} ${apiKey}`
}

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeVendor(options: FakeVendorOptions = {}): Promise<FakeVendor> {
  const requests: RecordedRequest[] = []
  const failures: FailureMode[] = []
  const hanging = new Set<ServerResponse>()

  const handle = async (incoming: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const chunk of incoming) chunks.push(chunk as Buffer)
    const url = new URL(incoming.url ?? '/', 'http://fake')
    const req: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    }
    requests.push(req)
    const failure = failures.shift()
    if (failure === 'hang') {
      hanging.add(res)
      return
    }
    if (failure === 'reset') {
      incoming.socket.destroy()
      return
    }
    if (failure !== undefined) {
      res.writeHead(failure.status, {
        'content-type': 'application/json',
        ...(failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter }),
      })
      res.end(
        failure.body ??
          JSON.stringify({ error: { message: `injected failure ${failure.status}` } }),
      )
      return
    }
    if (req.method !== 'POST') {
      json(res, 405, { error: { message: 'POST only' } })
      return
    }
    if (req.path.endsWith('/v1/audio/transcriptions')) {
      if (!authorised(req, options.apiKey, 'Bearer'))
        json(res, 401, { error: { message: 'invalid api key' } })
      else await openaiTranscription(req, res)
    } else if (req.path.endsWith('/v1/listen')) {
      if (!authorised(req, options.apiKey, 'Token'))
        json(res, 401, { err_msg: 'invalid credentials' })
      else deepgramListen(req, res)
    } else if (req.path.endsWith('/v1/chat/completions')) {
      if (!authorised(req, options.apiKey, 'Bearer'))
        json(res, 401, { error: { message: 'invalid api key' } })
      else chatCompletion(req, res)
    } else {
      // Any other POST is a webhook delivery.
      json(res, 200, { received: true })
    }
  }

  const server = createServer((incoming, res) => {
    handle(incoming, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(error) } })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (suffix) => requests.filter((r) => r.path.endsWith(suffix)),
    failNext(n, mode) {
      for (let i = 0; i < n; i++) failures.push(mode)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
