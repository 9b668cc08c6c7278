/**
 * @module The closed vocabularies of the core draft, as readonly arrays and sets for validators and builders.
 */
import type { DialogType, Disposition, Encoding, PartyEventType } from './vcon.js'

/** The version this library reads into and writes (core draft §4.1.1). */
export const VCON_VERSION = '0.4.0'

/** Registered dialog types, core draft §4.3.1 (`recording-set` from core-03). */
export const DIALOG_TYPES: readonly DialogType[] = [
  'recording',
  'recording-set',
  'text',
  'transfer',
  'incomplete',
]

/** Dispositions of an `incomplete` dialog, core draft §4.3.11. */
export const DISPOSITIONS: readonly Disposition[] = [
  'no-answer',
  'congestion',
  'failed',
  'busy',
  'hung-up',
  'voicemail-no-message',
]

/** `party_history` events, core draft §4.3.13. */
export const PARTY_EVENTS: readonly PartyEventType[] = [
  'join',
  'drop',
  'hold',
  'unhold',
  'mute',
  'unmute',
  'keydown',
  'keyup',
]

/** Content encodings, core draft §2.4.1. */
export const ENCODINGS: readonly Encoding[] = ['base64url', 'json', 'none']

/** Analysis types the draft recommends (SHOULD-list, core draft §4.5.1). */
export const ANALYSIS_TYPES: readonly string[] = [
  'report',
  'sentiment',
  'summary',
  'transcript',
  'translation',
  'tts',
]

/** Party types the draft recommends (core-03 §4.2.13). */
export const PARTY_TYPES: readonly string[] = ['person', 'bot', 'organization']

/** Civic address element names (RFC 5139), lowercase as the draft writes them. */
export const CIVIC_ADDRESS_KEYS: readonly string[] = [
  'country',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'prd',
  'pod',
  'sts',
  'hno',
  'hns',
  'lmk',
  'loc',
  'flr',
  'nam',
  'pc',
]
