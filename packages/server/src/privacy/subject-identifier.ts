/**
 * @module The identifier a data subject request names (GDPR Art. 15-22 requests are made "by" a phone number,
 * an email address, a SIP address, a DID or a name): parsed from the forms people and systems write, and
 * normalised as the store's index keeps party identifiers (store/derive-index.ts), so that the same person is
 * the same key everywhere (the consent rules use the same normalisation, privacy/party-key.ts).
 */
import { ServerError } from '../errors/server-error.js'
import {
  normaliseDid,
  normaliseMailto,
  normaliseName,
  normaliseSip,
  normaliseTel,
} from '../store/derive-index.js'

/** The party identifiers of core draft §4.2 that name a person. */
export type SubjectKind = 'tel' | 'mailto' | 'sip' | 'did' | 'name'

export interface SubjectIdentifier {
  readonly kind: SubjectKind
  /** Normalised: tel digits with a leading + when given, mailto lowercase, sip host lowercase, name lowercase. */
  readonly value: string
}

/** Longest identifier accepted; no real address or name comes near it. */
const MAX_LENGTH = 512

const FORMS =
  'tel:+15550100, mailto:alice@example.com, sip:alice@example.com, did:example:123 or name:Alice Smith ' +
  '(a bare +15550100 or alice@example.com works too)'

function invalid(parameter: string, why: string): ServerError {
  // The value itself is not repeated: it is personal data, and error messages reach logs.
  return new ServerError('BAD_REQUEST', `${parameter} ${why}; give one of ${FORMS}.`)
}

/** Visual separators a telephone number may carry (RFC 3966 §5.1.1), and `;` parameters after it. */
const TEL_TEXT = /^\+?[\d\s().-]+(?:;.*)?$/
const EMAIL = /^[^\s@]+@[^\s@]+$/
const DID = /^did:[a-z0-9]+:\S+$/

function tel(text: string, parameter: string): SubjectIdentifier {
  const bare = text.replace(/^tel:/i, '').trim()
  const value = normaliseTel(bare)
  const digits = value.replace(/^\+/, '').length
  if (!TEL_TEXT.test(bare) || digits < 3 || digits > 20) {
    throw invalid(
      parameter,
      'is not a telephone number (3 to 20 digits, an optional + and separators)',
    )
  }
  return { kind: 'tel', value }
}

function mailto(text: string, parameter: string): SubjectIdentifier {
  const value = normaliseMailto(text)
  if (!EMAIL.test(value)) throw invalid(parameter, 'is not an email address (local@domain)')
  return { kind: 'mailto', value }
}

/**
 * Parses 'tel:+1 555 0100', 'mailto:A@B.example', 'sip:alice@example.com', 'did:example:123',
 * 'name:Alice Smith', and a bare '+15550100' or 'a@b.example'.
 * @throws ServerError BAD_REQUEST (400) naming `parameter` and the accepted forms
 */
export function parseSubjectIdentifier(text: string, parameter = 'identifier'): SubjectIdentifier {
  if (typeof text !== 'string' || text.trim() === '') throw invalid(parameter, 'is missing')
  if (text.length > MAX_LENGTH) throw invalid(parameter, `is longer than ${MAX_LENGTH} characters`)
  const trimmed = text.trim()
  const scheme = /^([a-z]+):/i.exec(trimmed)?.[1]?.toLowerCase()
  switch (scheme) {
    case 'tel':
      return tel(trimmed, parameter)
    case 'mailto':
      return mailto(trimmed, parameter)
    case 'sip':
    case 'sips': {
      const value = normaliseSip(trimmed)
      if (value === '' || /\s/.test(value)) throw invalid(parameter, 'is not a sip URI')
      return { kind: 'sip', value }
    }
    case 'did': {
      const value = normaliseDid(trimmed)
      if (!DID.test(value)) throw invalid(parameter, 'is not a DID (did:method:id)')
      return { kind: 'did', value }
    }
    case 'name': {
      const value = normaliseName(trimmed.slice(5))
      if (value === '') throw invalid(parameter, 'names no one (name: is empty)')
      return { kind: 'name', value }
    }
    default:
      if (/^\+?[\d(]/.test(trimmed) && TEL_TEXT.test(trimmed)) return tel(trimmed, parameter)
      if (EMAIL.test(trimmed)) return mailto(trimmed, parameter)
      throw invalid(parameter, 'is not an identifier this server knows')
  }
}
