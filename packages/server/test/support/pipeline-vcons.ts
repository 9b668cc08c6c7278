/**
 * @module Small valid vCons for pipeline tests, and a StepContext for calling a step directly.
 */
import type { Vcon } from '@vconkit/vcon'
import type { StepContext } from '../../src/pipeline/step.js'
import { createCollectingLogger } from './collecting-logger.js'

/** A fixed clock: 2025-03-01T12:00:00Z. */
export const FIXED_NOW = Date.parse('2025-03-01T12:00:00.000Z')

/** Deterministic "audio" bytes of a given length. */
export function fakeAudio(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    bytes[i] = x & 0xff
  }
  return bytes
}

/** A call with two recording dialogs (inline audio) and two parties. */
export function callVcon(uuid = '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6'): Vcon {
  return {
    vcon: '0.4.0',
    uuid,
    created_at: '2025-03-01T10:00:00.000Z',
    subject: 'Order 1234',
    parties: [
      { tel: '+15551230001', name: 'Alice Agent' },
      { tel: '+15551230002', name: 'Bob Customer', mailto: 'bob@example.com' },
    ],
    dialog: [
      {
        type: 'recording',
        start: '2025-03-01T10:00:00.000Z',
        duration: 4,
        parties: [0, 1],
        mediatype: 'audio/wav',
        encoding: 'base64url',
        body: Buffer.from(fakeAudio(400, 1)).toString('base64url'),
      },
      {
        type: 'recording',
        start: '2025-03-01T10:05:00.000Z',
        duration: 3,
        parties: [0, 1],
        mediatype: 'audio/mpeg',
        encoding: 'base64url',
        body: Buffer.from(fakeAudio(300, 2)).toString('base64url'),
      },
    ],
  }
}

/** A chat: one text dialog (so it has a transcript without any vendor). */
export function chatVcon(uuid = '0195e1c2-3b4a-8d5e-9f60-000000000001'): Vcon {
  return {
    vcon: '0.4.0',
    uuid,
    created_at: '2025-03-01T09:00:00.000Z',
    parties: [{ mailto: 'carol@example.com', name: 'Carol' }],
    dialog: [
      {
        type: 'text',
        start: '2025-03-01T09:00:00.000Z',
        parties: 0,
        mediatype: 'text/plain',
        encoding: 'none',
        body: 'My parcel arrived broken and I would like a refund.',
      },
    ],
  }
}

/** A context for calling `step.run` directly. */
export function stepContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    chain: 'test',
    step: 'step',
    attempt: 1,
    log: createCollectingLogger(),
    signal: new AbortController().signal,
    now: () => FIXED_NOW,
    ...overrides,
  }
}
