/**
 * @module Valid sample vCons for every built-in extension, in the 0.4.0 shape, used as seeds by the property
 * tests (mutating a valid vCon reaches the deep checks that random objects never do).
 */
import { lawfulBasisContentHash } from '../../src/extensions/lawful-basis-hash.js'

const UUID = '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b'
const T = '2025-01-02T12:15:30Z'

const LAWFUL_BODY = {
  lawful_basis: 'consent',
  expiration: '2026-01-02T12:00:00Z',
  purpose_grants: [
    { purpose: 'recording', granted: true, granted_at: T },
    { purpose: 'agent_session_analysis', granted: false, granted_at: T, conditions: ['internal'] },
  ],
  proof_mechanisms: [
    { proof_type: 'verbal_confirmation', timestamp: T, proof_data: { dialog_reference: 0 } },
  ],
  terms_of_service: 'https://example.com/terms',
  status_interval: '30d',
  registry: { type: 'scitt', url: 'https://transparency.example.com/registry' },
  metadata: { note: 'sample' },
}

/** lawful_basis (sealed with a content_hash) and consent-00 in both shapes. */
export const LAWFUL_SAMPLE = {
  uuid: UUID,
  extensions: ['lawful_basis'],
  parties: [{ name: 'Alice' }, { name: 'Bob' }],
  dialog: [{ type: 'text', start: T, parties: [0, 1], body: 'hi', encoding: 'none' }],
  attachments: [
    {
      type: 'lawful_basis',
      purpose: 'lawful_basis',
      start: T,
      party: 0,
      dialog: 0,
      encoding: 'json',
      body: { ...LAWFUL_BODY, content_hash: lawfulBasisContentHash(LAWFUL_BODY) },
    },
    {
      type: 'consent',
      start: T,
      party: 0,
      dialog: 0,
      expiration: '2026-01-02T12:00:00Z',
      consents: [{ purpose: 'recording', status: 'granted', timestamp: T }],
      proof: [{ type: 'verbal_confirmation', timestamp: T }],
    },
    {
      purpose: 'consent',
      party: 1,
      dialog: 0,
      encoding: 'json',
      body: JSON.stringify({
        expiration: null,
        party: 1,
        dialog: 0,
        status_interval: 86400,
        consents: [{ consent: 'recording', value: true }],
      }),
    },
  ],
}

const WTF_BODY = {
  transcript: { text: 'Hello. Hi.', language: 'en-US', duration: 10, confidence: 0.9 },
  segments: [
    { id: 0, start: 0.5, end: 2, text: 'Hello.', confidence: 0.95, speaker: 0, words: [0] },
    { id: 1, start: 3, end: 4, text: 'Hi.', confidence: 0.85, speaker: 'B' },
  ],
  words: [
    {
      id: 0,
      start: 0.5,
      end: 1,
      text: 'Hello',
      confidence: 0.9,
      speaker: 0,
      is_punctuation: false,
    },
  ],
  speakers: { '0': { id: 0, label: 'Alice', segments: [0], total_time: 1.5, confidence: 0.9 } },
  metadata: {
    created_at: T,
    processed_at: T,
    provider: 'whisper',
    model: 'whisper-large-v3',
    processing_time: 1,
    audio: { duration: 10, sample_rate: 8000, channels: 1, format: 'wav', bitrate: 128 },
    options: {},
  },
  alternatives: [
    { rank: 1, confidence: 0.8, transcript: { text: 'Hello', confidence: 0.8 }, segments: [] },
  ],
  enrichments: {
    sentiment: { overall: 'neutral', score: 0 },
    entities: [],
    topics: ['x'],
    summary: 's',
  },
  quality: {
    audio_quality: 'high',
    background_noise: 0.1,
    low_confidence_words: 0,
    processing_warnings: [],
  },
  streaming: { session_id: 's', is_final: true, stability: 1, latency_ms: 10 },
  extensions: { whisper: {} },
}

/** wtf_transcription, in the analysis and transcript+schema forms. */
export const WTF_SAMPLE = {
  uuid: UUID,
  extensions: ['wtf_transcription'],
  parties: [{ name: 'Alice' }],
  dialog: [
    {
      type: 'recording',
      start: T,
      duration: 10,
      parties: [0],
      url: 'https://e.x/a.wav',
      content_hash: 'sha512-x',
    },
  ],
  analysis: [
    { type: 'wtf_transcription', dialog: 0, vendor: 'whisper', encoding: 'json', body: WTF_BODY },
    {
      type: 'transcript',
      schema: 'wtf-1.0',
      dialog: [0],
      vendor: 'x',
      encoding: 'json',
      body: JSON.stringify(WTF_BODY),
    },
  ],
}

/** sip-signaling: party and dialog fields, a message, a trace, headers and a STIR report. */
export const SIP_SAMPLE = {
  uuid: UUID,
  extensions: ['sip-signaling'],
  parties: [
    { sip_contact: 'sip:a@example.com', sip_user_agent: 'UA/1', sip_display_name: 'A' },
    {},
  ],
  dialog: [
    {
      type: 'recording',
      start: T,
      parties: [0, 1],
      sip_call_id: 'c1@x',
      sip_from_tag: 'f',
      sip_to_tag: 't',
      sip_cseq: 1,
    },
  ],
  attachments: [
    {
      purpose: 'sip-invite',
      party: 0,
      dialog: 0,
      mediatype: 'message/sip',
      encoding: 'none',
      body: 'INVITE sip:b@example.com SIP/2.0\r\nCall-ID: c1@x\r\n\r\n',
    },
    {
      purpose: 'sip-message-trace',
      dialog: 0,
      mediatype: 'application/json',
      encoding: 'json',
      body: {
        version: '1.0',
        call_id: 'c1@x',
        messages: [
          {
            timestamp: T,
            direction: 'sent',
            party: 0,
            method: 'INVITE',
            headers: { Via: 'v' },
            body: 'v=0',
          },
          { timestamp: T, direction: 'received', party: 1, status_code: 200, status_text: 'OK' },
        ],
      },
    },
    {
      purpose: 'sip-headers',
      dialog: 0,
      mediatype: 'application/json',
      encoding: 'json',
      body: { To: ['a', 'b'] },
    },
    {
      purpose: 'stir-verification-report',
      dialog: 0,
      mediatype: 'application/json',
      encoding: 'json',
      body: {
        verifier: 'v',
        timestamp: T,
        result: 'verified',
        attestation: 'A',
        orig_tn: '+1',
        dest_tn: ['+2'],
      },
    },
  ],
}
