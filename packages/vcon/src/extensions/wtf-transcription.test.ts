import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { brief, copy, deepFreeze, runExtension } from '../../test/support/extension-harness.js'
import { defaultRegistry } from './default-registry.js'
import { isWtfAnalysis, wtfTranscriptionExtension } from './wtf-transcription.js'

/** The body of the WTF draft's "Basic Two-Party Call Transcription" example, trimmed to two words. */
const BODY = {
  transcript: {
    text: 'Hello, this is Alice from customer service. How can I help you today? Hi Alice.',
    language: 'en-US',
    duration: 65.2,
    confidence: 0.92,
  },
  segments: [
    {
      id: 0,
      start: 0.5,
      end: 4.8,
      text: 'Hello, this is Alice.',
      confidence: 0.95,
      speaker: 0,
      words: [0, 1],
    },
    { id: 1, start: 5.2, end: 9.1, text: 'Hi Alice.', confidence: 0.88, speaker: 1 },
  ],
  words: [
    {
      id: 0,
      start: 0.5,
      end: 0.8,
      text: 'Hello',
      confidence: 0.98,
      speaker: 0,
      is_punctuation: false,
    },
    { id: 1, start: 0.9, end: 1.1, text: ',', confidence: 0.95, speaker: 0, is_punctuation: true },
  ],
  speakers: {
    '0': {
      id: 0,
      label: 'Alice (Customer Service)',
      segments: [0],
      total_time: 4.3,
      confidence: 0.95,
    },
    '1': { id: 1, label: 'Bob (Customer)', segments: [1], total_time: 3.9, confidence: 0.88 },
  },
  metadata: {
    created_at: '2025-01-02T12:15:30Z',
    processed_at: '2025-01-02T12:16:35Z',
    provider: 'deepgram',
    model: 'nova-2',
    processing_time: 12.5,
    audio: { duration: 65.2, sample_rate: 8000, channels: 1, format: 'wav', bitrate: 128 },
    options: { punctuate: true, diarize: true },
  },
  quality: {
    audio_quality: 'high',
    background_noise: 0.1,
    multiple_speakers: true,
    overlapping_speech: false,
    silence_ratio: 0.15,
    average_confidence: 0.92,
    low_confidence_words: 0,
    processing_warnings: [],
  },
  alternatives: [
    { rank: 1, confidence: 0.9, transcript: { text: 'Hello', confidence: 0.9 }, segments: [] },
  ],
  enrichments: {
    sentiment: { overall: 'positive', score: 0.4 },
    entities: [{ text: 'Alice', type: 'PERSON', start: 0.5, end: 4.8 }],
    topics: ['account'],
    summary: 'Password reset.',
  },
  streaming: { session_id: 's1', is_final: true, stability: 0.9, latency_ms: 120 },
  extensions: { deepgram: { utterances: [] } },
}

function analysis(body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'wtf_transcription',
    dialog: 0,
    vendor: 'deepgram',
    encoding: 'json',
    body,
    ...extra,
  }
}

function vconWith(entries: { analysis?: unknown[]; attachments?: unknown[]; duration?: number }) {
  return {
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    extensions: ['wtf_transcription'],
    parties: [{ name: 'Alice' }, { name: 'Bob' }],
    dialog: [
      {
        type: 'recording',
        start: '2025-01-02T12:15:30Z',
        duration: entries.duration ?? 65.2,
        parties: [0, 1],
        url: 'https://example.com/a.wav',
        content_hash: 'sha512-x',
      },
    ],
    analysis: entries.analysis ?? [],
    attachments: entries.attachments ?? [],
  }
}

describe('wtf_transcription: recognition', () => {
  test('name, alias and registry lookup', () => {
    assert.equal(wtfTranscriptionExtension.name, 'wtf_transcription')
    assert.equal(defaultRegistry.get('wtf'), wtfTranscriptionExtension)
    assert.equal(defaultRegistry.get('wtf_transcription'), wtfTranscriptionExtension)
  })

  test('the analysis forms that are WTF', () => {
    assert.equal(isWtfAnalysis({ type: 'wtf_transcription' }), true)
    assert.equal(isWtfAnalysis({ type: 'transcript', schema: 'wtf-1.0' }), true)
    assert.equal(
      isWtfAnalysis({
        type: 'transcript',
        schema: 'https://datatracker.ietf.org/doc/draft-howe-vcon-wtf-extension/',
      }),
      true,
    )
    assert.equal(isWtfAnalysis({ type: 'transcript' }), false)
    assert.equal(isWtfAnalysis({ type: 'transcript', schema: 'whisper' }), false)
    assert.equal(wtfTranscriptionExtension.detect(vconWith({ analysis: [analysis(BODY)] })), true)
    assert.equal(
      wtfTranscriptionExtension.detect(vconWith({ attachments: [{ type: 'wtf_transcription' }] })),
      true,
    )
    assert.equal(
      wtfTranscriptionExtension.detect(vconWith({ analysis: [{ type: 'summary' }] })),
      false,
    )
  })
})

describe('wtf_transcription: validation', () => {
  test('the draft example is valid, natively or as a JSON string', () => {
    const vcon = deepFreeze(
      vconWith({ analysis: [analysis(BODY), analysis(JSON.stringify(BODY))] }),
    )
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [])
  })

  test('transcript + schema form is validated the same way', () => {
    const bad = copy(BODY)
    bad.transcript.confidence = 92
    const vcon = vconWith({
      analysis: [
        { type: 'transcript', schema: 'wtf-1.0', vendor: 'x', encoding: 'json', body: bad },
      ],
    })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'error extension-invalid /analysis/0/body/transcript/confidence',
    ])
  })

  test('segment end before start is reported at the exact pointer', () => {
    const bad = copy(BODY)
    bad.segments.push({ id: 2, start: 12, end: 11.5, text: 'x', confidence: 0.5, speaker: 0 })
    const other = { type: 'summary', vendor: 'x', encoding: 'none', body: 's' }
    const vcon = vconWith({ analysis: [other, other, other, analysis(bad)] })
    const issues = runExtension(wtfTranscriptionExtension, vcon)
    assert.deepEqual(brief(issues), ['error extension-invalid /analysis/3/body/segments/2/end'])
    assert.match(issues[0]?.message ?? '', /"end" \(11\.5\) must be greater than "start" \(12\)/)
  })

  test('required sections and ranges', () => {
    const bad = copy(BODY) as Record<string, unknown> & typeof BODY
    bad.transcript = { text: 'x', language: 'en_US', duration: -1, confidence: 1.5 }
    bad.segments = [
      { id: 0, start: 0, end: 1, text: 'a', confidence: 0.5, speaker: 0, words: [0, 7] },
      { id: 0, start: 1, end: 2, text: 'b', confidence: -0.1, speaker: [1] },
    ] as typeof BODY.segments
    bad.metadata = {
      created_at: 'yesterday',
      processed_at: '2025-01-02T12:16:35',
      provider: 'Deepgram',
    } as typeof BODY.metadata
    bad.enrichments = { sentiment: { overall: 'happy', score: 2 } } as typeof BODY.enrichments
    bad.alternatives = [{ rank: 0, confidence: 0.5 }] as typeof BODY.alternatives
    bad.speakers = { A: { segments: [0, 9] } } as unknown as typeof BODY.speakers
    const vcon = vconWith({ analysis: [analysis(bad)] })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'error extension-invalid /analysis/0/body/transcript/language',
      'error negative-number /analysis/0/body/transcript/duration',
      'error extension-invalid /analysis/0/body/transcript/confidence',
      'warning extension-invalid /analysis/0/body/segments/0/words/1',
      'error extension-invalid /analysis/0/body/segments/1/id',
      'error extension-invalid /analysis/0/body/segments/1/confidence',
      'error wrong-type /analysis/0/body/segments/1/speaker',
      'error bad-date /analysis/0/body/metadata/created_at',
      'warning extension-invalid /analysis/0/body/metadata/provider',
      'error missing-field /analysis/0/body/metadata/model',
      'warning missing-field /analysis/0/body/metadata/audio',
      'warning extension-invalid /analysis/0/body/speakers/A/segments/1',
      'error extension-invalid /analysis/0/body/alternatives/0/rank',
      'warning extension-invalid /analysis/0/body/enrichments/sentiment/overall',
      'error extension-invalid /analysis/0/body/enrichments/sentiment/score',
    ])
  })

  test('an empty object misses the three required sections', () => {
    const vcon = vconWith({ analysis: [analysis({})] })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'error missing-field /analysis/0/body/transcript',
      'error missing-field /analysis/0/body/segments',
      'error missing-field /analysis/0/body/metadata',
    ])
  })

  test('encoding must be json and the body an object', () => {
    const vcon = vconWith({
      analysis: [analysis(BODY, { encoding: 'none' }), analysis('{oops'), analysis(undefined)],
    })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'error extension-invalid /analysis/0/encoding',
      'error extension-invalid /analysis/1/body',
      'error missing-field /analysis/2/body',
    ])
  })

  test('timestamps should agree with the dialog and the transcript duration', () => {
    const bad = copy(BODY)
    const segment = bad.segments[1]
    if (segment !== undefined) segment.end = 70
    const vcon = vconWith({ analysis: [analysis(bad, { dialog: [0] })], duration: 30 })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'warning extension-invalid /analysis/0/body/transcript/duration',
      'warning extension-invalid /analysis/0/body/segments/1/end',
    ])
  })

  test('the attachment form of drafts -00/-01 is read with a warning', () => {
    const vcon = vconWith({
      attachments: [
        { type: 'wtf_transcription', dialog: 0, party: 0, encoding: 'json', body: BODY },
      ],
    })
    assert.deepEqual(brief(runExtension(wtfTranscriptionExtension, vcon)), [
      'warning extension-invalid /attachments/0',
    ])
  })
})
