/**
 * @module vCons for the black-box HTTP tests: a small valid 0.4.0 vCon with a fresh uuid, its exact JSON text
 * (with deliberate whitespace, so a byte-for-byte read-back proves the server stores the body as sent), a legacy
 * vCon the server must upgrade, and structurally valid signed (JWS) and encrypted (JWE) envelopes.
 */
import { randomBytes, randomUUID } from 'node:crypto'

/** A valid 0.4.0 vCon object. */
export function sampleVcon(
  uuid: string = randomUUID(),
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    vcon: '0.4.0',
    uuid,
    created_at: '2025-03-01T10:00:00.000Z',
    subject: 'Order 1234 refund',
    parties: [
      { tel: '+15551230001', name: 'Alice Agent' },
      { tel: '+15551230002', name: 'Bob Customer', mailto: 'bob@example.com' },
    ],
    dialog: [
      {
        type: 'text',
        start: '2025-03-01T10:00:00.000Z',
        parties: [1, 0],
        originator: 1,
        mediatype: 'text/plain',
        encoding: 'none',
        body: 'Hello, I would like a refund for my blue kettle.',
      },
    ],
    ...extra,
  }
}

/** The vCon as text with an unusual layout (2-space indent, trailing newline): what the server must echo. */
export function sampleText(
  uuid: string = randomUUID(),
  extra: Record<string, unknown> = {},
): string {
  return `${JSON.stringify(sampleVcon(uuid, extra), null, 2)}\n`
}

/** A legacy 0.0.1 vCon (mimetype, no created_at zone): the server stores its 0.4.0 upgrade. */
export function legacyText(uuid: string = randomUUID()): string {
  return JSON.stringify({
    vcon: '0.0.1',
    uuid,
    created_at: '2024-01-02T03:04:05.000Z',
    parties: [{ tel: '+15550001111', name: 'Carol' }],
    dialog: [
      {
        type: 'text',
        start: '2024-01-02T03:04:05.000Z',
        parties: [0],
        mimetype: 'text/plain',
        body: 'legacy hello',
      },
    ],
  })
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** A signed vCon (General JWS JSON); the signature is random bytes: the server does not verify on ingest. */
export function signedText(uuid: string = randomUUID(), withUuidHeader = true): string {
  const header = { alg: 'ES256', ...(withUuidHeader ? { uuid } : {}) }
  return JSON.stringify({
    payload: b64(JSON.stringify(sampleVcon(uuid))),
    signatures: [{ protected: b64(JSON.stringify(header)), signature: b64(randomBytes(64)) }],
  })
}

/** An encrypted vCon (General JWE JSON) with random ciphertext. */
export function encryptedText(uuid: string = randomUUID()): string {
  return JSON.stringify({
    protected: b64(JSON.stringify({ enc: 'A256CBC-HS512' })),
    unprotected: { uuid, cty: 'application/vcon+json' },
    recipients: [{ header: { alg: 'RSA-OAEP' }, encrypted_key: b64(randomBytes(256)) }],
    iv: b64(randomBytes(16)),
    ciphertext: b64(randomBytes(512)),
    tag: b64(randomBytes(32)),
  })
}

export const VCON_JSON = { 'content-type': 'application/vcon+json' } as const
