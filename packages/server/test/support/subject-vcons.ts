/**
 * @module The vCons of the subject-rights tests (test/privacy-subject.test.ts): one person, +1 555 0100 /
 * alice.smith@example.com / "Alice Smyth" (a typo to rectify), named in a party, in a dialog text, in a
 * transcript analysis (national form), in a signed vCon, and linked to others by amended and redacted; a second
 * person by sip and did; and vCons that must not match. Fresh uuids per call, so runs never collide.
 */
import { randomUUID } from 'node:crypto'
import { encryptedText } from './http-vcons.js'

const AT = '2025-04-01T09:00:00.000Z'
const b64 = (value: string) => Buffer.from(value).toString('base64url')

export interface SubjectVcons {
  /** Party: tel, mailto and (misspelt) name of the subject. */
  readonly party: string
  /** A dialog text body gives the number. */
  readonly dialogText: string
  /** A transcript analysis gives the number in national form ("555 0100"). */
  readonly transcript: string
  /** A redacted version of dialogText, without the number. */
  readonly redacted: string
  /** An amended version of transcript, with the transcript analysis dropped by a later edit. */
  readonly amended: string
  /** A signed vCon (JWS) whose payload names the subject as a party. */
  readonly signed: string
  /** An encrypted vCon (JWE): unreadable; amendedFromEncrypted names it as its prior. */
  readonly encrypted: string
  readonly amendedFromEncrypted: string
  /** sip and did of another person; "Alice Smithson" in its text is not "Alice Smith". */
  readonly other: string
  /** The bodies to POST, by uuid, in creation order. */
  readonly bodies: readonly (readonly [string, string])[]
}

function text(body: string, parties: number[] = [0]) {
  return {
    type: 'text',
    start: AT,
    parties,
    originator: parties[0],
    mediatype: 'text/plain',
    encoding: 'none',
    body,
  }
}

function vcon(uuid: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { vcon: '0.4.0', uuid, created_at: AT, ...fields }
}

export function subjectVcons(): SubjectVcons {
  const ids = Array.from({ length: 9 }, () => randomUUID())
  const [
    party,
    dialogText,
    transcript,
    redacted,
    amended,
    signed,
    encrypted,
    amendedFromEncrypted,
    other,
  ] = ids as [string, string, string, string, string, string, string, string, string]
  const agent = { name: 'Agent Bob', tel: '+15559990000' }
  const transcriptAnalysis = {
    type: 'transcript',
    dialog: 0,
    vendor: 'deepgram',
    product: 'nova-3',
    schema: 'deepgram-listen-1',
    encoding: 'json',
    body: {
      transcript: { text: 'Please call me back on 555 0100 tomorrow.' },
      created_at: '2025-04-01T09:05:00Z',
    },
  }
  const bodies: [string, Record<string, unknown> | string][] = [
    [
      party,
      vcon(party, {
        parties: [
          { tel: 'tel:+1-555-0100', mailto: 'mailto:Alice.Smith@Example.com', name: 'Alice Smyth' },
          agent,
        ],
        dialog: [text('Hello, how can I help?', [1, 0])],
      }),
    ],
    [
      dialogText,
      vcon(dialogText, {
        parties: [{ name: 'Carol', tel: '+15557770000' }, agent],
        dialog: [text("My friend's number is +1 (555) 0100, call her.")],
      }),
    ],
    [
      transcript,
      vcon(transcript, {
        parties: [{ name: 'Caller' }, agent],
        dialog: [text('(call audio transcribed below)')],
        analysis: [transcriptAnalysis],
      }),
    ],
    [
      redacted,
      vcon(redacted, {
        parties: [{ name: 'Carol', tel: '+15557770000' }, agent],
        dialog: [text("My friend's number is [redacted], call her.")],
        redacted: { uuid: dialogText, type: 'pii' },
      }),
    ],
    [
      amended,
      vcon(amended, {
        parties: [{ name: 'Caller' }, agent],
        dialog: [text('(call audio transcribed below)')],
        amended: { uuid: transcript },
      }),
    ],
    [
      signed,
      JSON.stringify({
        payload: b64(
          JSON.stringify(
            vcon(signed, { parties: [{ tel: '+15550100' }], dialog: [text('signed hello')] }),
          ),
        ),
        signatures: [
          { protected: b64(JSON.stringify({ alg: 'ES256', uuid: signed })), signature: b64('sig') },
        ],
      }),
    ],
    [encrypted, encryptedText(encrypted)],
    [
      amendedFromEncrypted,
      vcon(amendedFromEncrypted, {
        parties: [{ mailto: 'alice.smith@example.com' }],
        dialog: [text('Follow-up by email.')],
        amended: { uuid: encrypted },
      }),
    ],
    [
      other,
      vcon(other, {
        parties: [{ sip: 'sip:dave@Example.ORG', did: 'did:example:dave1' }, agent],
        dialog: [text('Alice Smithson asked about her order; reach me at sip:dave@example.org.')],
      }),
    ],
  ]
  return {
    party,
    dialogText,
    transcript,
    redacted,
    amended,
    signed,
    encrypted,
    amendedFromEncrypted,
    other,
    bodies: bodies.map(
      ([uuid, body]) => [uuid, typeof body === 'string' ? body : JSON.stringify(body)] as const,
    ),
  }
}
