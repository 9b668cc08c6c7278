/**
 * @module The audio of one recording dialog: the inline body (base64url, core draft §2.4.1) or the external
 * url fetched through the library's guarded fetcher (https only, private addresses refused unless allowed,
 * size- and time-limited) and checked against `content_hash` (core draft §2.4.2) before any vendor sees it.
 */
import {
  type Dialog,
  decodeBody,
  type Fetcher,
  isVconError,
  verifyContentHash,
} from '@vconkit/vcon'
import type { AudioInput } from './vendor-request.js'

/** The audio, a reason to skip the dialog, or a failure of the step. */
export type AudioOutcome =
  | { readonly kind: 'audio'; readonly audio: AudioInput }
  | { readonly kind: 'skip'; readonly why: string }
  | { readonly kind: 'fail'; readonly reason: string; readonly permanent: boolean }

/** File extensions by media type: OpenAI-compatible servers pick the decoder from the file name. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/x-mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'video/mp4': 'mp4',
  'video/x-mp4': 'mp4',
  'video/webm': 'webm',
  'video/ogg': 'ogg',
}

/** The media type assumed when neither the dialog nor the media server gives one. */
const ASSUMED_TYPE = 'audio/wav'

function bareType(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const type = value.split(';')[0]?.trim().toLowerCase()
  return type === '' ? undefined : type
}

/** The audio format name recorded in the WTF metadata ("wav", "mp3"...). */
export function formatOf(mediatype: string): string | undefined {
  return EXTENSIONS[mediatype]
}

function audioInput(bytes: Uint8Array, dialog: Dialog, index: number, served: unknown): AudioInput {
  const mediatype = bareType(dialog.mediatype) ?? bareType(served) ?? ASSUMED_TYPE
  const filename =
    typeof dialog.filename === 'string' && /^[^/\\\r\n"]{1,200}$/.test(dialog.filename)
      ? dialog.filename
      : `dialog-${index}.${EXTENSIONS[mediatype] ?? 'wav'}`
  return { bytes, mediatype, filename }
}

/** Races a promise with the step's signal (the fetcher has its own time limit but no signal). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/** Reads the audio of dialog `index`. */
export async function dialogAudio(
  dialog: Dialog,
  index: number,
  fetcher: Fetcher,
  maxBytes: number,
  signal: AbortSignal,
): Promise<AudioOutcome> {
  if (typeof dialog.body === 'string' && dialog.body !== '') {
    if (dialog.encoding !== 'base64url') {
      return { kind: 'skip', why: `dialog ${index} has an inline body that is not base64url audio` }
    }
    const bytes = decodeBody(dialog)
    if (bytes === undefined) {
      return {
        kind: 'fail',
        reason: `dialog ${index}: the body is not valid base64url`,
        permanent: true,
      }
    }
    if (bytes.byteLength > maxBytes) {
      return {
        kind: 'fail',
        reason: `dialog ${index}: the audio is ${bytes.byteLength} bytes, above media.maxBytes (${maxBytes})`,
        permanent: true,
      }
    }
    return { kind: 'audio', audio: audioInput(bytes, dialog, index, undefined) }
  }
  if (typeof dialog.url !== 'string' || dialog.url === '') {
    return { kind: 'skip', why: `dialog ${index} has no audio (no body, no url)` }
  }
  let fetched: { bytes: Uint8Array; mediatype?: string }
  try {
    fetched = await abortable(fetcher.fetch(dialog.url), signal)
  } catch (error) {
    if (signal.aborted) {
      return {
        kind: 'fail',
        reason: `dialog ${index}: fetching the audio was cancelled`,
        permanent: false,
      }
    }
    const message = error instanceof Error ? error.message : String(error)
    // A refused url (not https, internal address) or an oversized file will not change on retry.
    const permanent =
      isVconError(error) &&
      (error.code === 'VCON_FETCH_REFUSED' || error.code === 'VCON_FETCH_TOO_LARGE')
    return { kind: 'fail', reason: `dialog ${index}: ${message}`, permanent }
  }
  if (dialog.content_hash !== undefined) {
    const check = verifyContentHash(fetched.bytes, dialog.content_hash)
    if (!check.ok) {
      return {
        kind: 'fail',
        reason: `dialog ${index}: the audio fetched from its url does not match content_hash (${check.reason}); it is not sent to the vendor`,
        permanent: true,
      }
    }
  }
  return { kind: 'audio', audio: audioInput(fetched.bytes, dialog, index, fetched.mediatype) }
}
