/**
 * @module The JWS signing input `ASCII(BASE64URL(protected)) || '.' || BASE64URL(payload)` (RFC 7515 §5.1
 * step 5, §5.2 step 8), written straight into one buffer.
 */

/** Both parts must already be base64url (ASCII), so writing them as latin1 is writing ASCII. */
export function signingInputOf(protectedText: string, payload: string): Buffer {
  const out = Buffer.allocUnsafe(protectedText.length + 1 + payload.length)
  out.write(protectedText, 0, 'latin1')
  out[protectedText.length] = 0x2e
  out.write(payload, protectedText.length + 1, 'latin1')
  return out
}
