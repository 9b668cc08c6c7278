import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { VconBuilder } from '../build/vcon-builder.js'
import { upgradeVcon } from '../upgrade/upgrade-vcon.js'
import { plainTranscript } from './plain-transcript.js'
import { transcriptPieces } from './transcript-shapes.js'

function corpus(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(corpusPath(path), 'utf8'))
}

describe('plainTranscript on corpus files', () => {
  test('the draft example ab_call_ext_rec_analysis.vcon (Deepgram paragraphs)', () => {
    const t = plainTranscript(corpus('spec-examples/ab_call_ext_rec_analysis.vcon'))
    assert.equal(t.lines.length, 4)
    assert.deepEqual(t.lines[0], {
      dialog: 0,
      speaker: 'Speaker 0',
      start: '2022-06-21T17:53:27.200Z', // dialog start + 1.1999999 s
      text: 'Hello. This is example.com. My name is Bob. How can I help you? Hi.',
      source: 'transcript',
    })
    assert.equal(t.lines[3]?.text, 'Goodbye. Goodbye. Have a nice day.')
    assert.ok(t.text.startsWith('Speaker 0: Hello. This is example.com.'))
    assert.equal(t.text.split('\n').length, 4)
  })

  test('a fake-vcons text-dialog file (0.0.1, mimetype, no encoding), raw and upgraded', () => {
    const raw = corpus(
      'real/vcon-dev+fake-vcons/2025/03/04/37a008ab-58bd-476f-9201-f91847d610e7.vcon.json',
    )
    const t = plainTranscript(raw)
    assert.equal(t.lines.length, 10)
    assert.deepEqual(t.lines[0], {
      dialog: 0,
      party: 0,
      start: '2025-03-04T09:56:28-05:00',
      text: 'Hello, thank you for contacting Old Stone Auto Insurance. My name is Carl Price. May I have your name, please?',
      source: 'text-dialog',
    })
    assert.equal(
      t.text.split('\n')[1],
      '+17678112590: Hello, my name is Amber Hall.', // that party's name is its number
    )
    assert.deepEqual(plainTranscript(upgradeVcon(raw).vcon), t)
  })

  test('email threads: the text/plain part of multipart bodies, From party first', () => {
    const t = plainTranscript(corpus('spec-examples/ab_email_acct_prob_thread.vcon'))
    assert.deepEqual(
      t.lines.map((l) => [l.party, l.text.split('\n')[0]]),
      [
        [0, 'Alice:Please find the image attached.'],
        [1, 'Hi Bob:Got it. Thanks.'],
      ],
    )
    assert.ok(
      t.text.startsWith(
        'Bob: Alice:Please find the image attached.\n\nRegards,Bob\nAlice: Hi Bob:',
      ),
    )
  })

  test('OpenAI-style turns ([{speaker, message}]) and a vcon-server Deepgram alternative', () => {
    const turns = plainTranscript(
      corpus(
        'real/vcon-dev+vcon-server/tests/dataset/9a752af2-ddf0-4eb8-91d6-3e79d2457284.vcon.json',
      ),
    )
    assert.equal(turns.lines[1]?.speaker, 'Customer')
    assert.ok(turns.text.startsWith('Agent: Good day! My name is Kyle Watson'))
    const dg = plainTranscript(
      corpus('real/vcon-dev+vcon-server/common/tests/fixtures/cat1_vcon.json'),
    )
    assert.equal(dg.lines.length, 39)
    assert.equal(dg.lines[0]?.start, '2023-12-19T02:01:49.120Z')
  })

  test('agent_session markdown text dialogs name the agent party', () => {
    const t = plainTranscript(
      corpus('real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'),
    )
    assert.equal(t.lines.length, 5)
    assert.ok(t.text.split('\n')[1]?.startsWith('Claude Opus 4.6: Looking at `src/invoice.py`'))
  })
})

describe('plainTranscript sources and order', () => {
  const now = () => new Date('2025-01-01T00:00:00Z')
  const wtf = {
    transcript: { text: 'hi there bye', language: 'en', duration: 9, confidence: 0.9 },
    segments: [
      { id: 1, start: 5, end: 6, text: 'bye', confidence: 0.9, speaker: 1 },
      { id: 0, start: 0.5, end: 2, text: 'hi there', confidence: 0.9, speaker: 0 },
    ],
    speakers: { '0': { id: 0, label: 'Caller' } },
    metadata: {
      created_at: '2025-01-01T10:01:00Z',
      processed_at: '2025-01-01T10:01:02Z',
      provider: 'whisper',
      model: 'large-v3',
      audio: { duration: 9 },
      options: {},
    },
  }

  function call() {
    const b = new VconBuilder({ now })
    const a = b.addParty({ name: 'Ann' })
    const c = b.addParty({ name: 'Cid' })
    const rec = b.addRecordingDialog({
      parties: [a, c],
      start: '2025-01-01T10:00:00Z',
      mediatype: 'audio/wav',
      body: 'AA',
    })
    b.addTextDialog({ parties: [c, a], start: '2025-01-01T10:00:03Z', body: 'typed while talking' })
    return { b, rec }
  }

  test('wtf_transcription wins over a transcript of the same dialog; lines are merged by time', () => {
    const { b, rec } = call()
    b.addAnalysis({
      type: 'transcript',
      dialog: rec,
      vendor: 'openai',
      body: { text: 'hi there bye' },
    })
    b.addAnalysis({ type: 'wtf_transcription', dialog: rec, vendor: 'wtf', body: wtf })
    const t = plainTranscript(b.build())
    assert.deepEqual(
      t.lines.map((l) => [l.source, l.start, l.text]),
      [
        ['wtf_transcription', '2025-01-01T10:00:00.500Z', 'hi there'],
        ['text-dialog', '2025-01-01T10:00:03Z', 'typed while talking'],
        ['wtf_transcription', '2025-01-01T10:00:05.000Z', 'bye'],
      ],
    )
    assert.equal(t.text, 'Caller: hi there\nCid: typed while talking\nSpeaker 1: bye')
  })

  test('without WTF the transcript is used; a transcript with no dialog comes last', () => {
    const { b, rec } = call()
    b.addAnalysis({
      type: 'transcript',
      dialog: rec,
      vendor: 'openai',
      body: { text: 'x', segments: [{ start: 1, end: 2, text: 'hello' }] },
    })
    b.addAnalysis({ type: 'transcript', vendor: 'manual', body: 'an undated note' })
    b.addAnalysis({ type: 'summary', dialog: rec, vendor: 'llm', body: 'not a transcript' })
    const t = plainTranscript(b.build())
    assert.deepEqual(
      t.lines.map((l) => l.text),
      ['hello', 'typed while talking', 'an undated note'],
    )
    assert.equal(t.lines[2]?.start, undefined)
  })

  test('vendor shapes', () => {
    assert.deepEqual(transcriptPieces('  plain  '), [{ text: 'plain' }])
    assert.deepEqual(transcriptPieces({ transcript: 'bare', confidence: 1, words: [] }), [
      { text: 'bare' },
    ])
    assert.deepEqual(transcriptPieces({ text: 'whisper text' }), [{ text: 'whisper text' }])
    assert.deepEqual(transcriptPieces([{ speaker: 'A', text: 'x' }]), [{ text: 'x', speaker: 'A' }])
    assert.deepEqual(transcriptPieces({ unknown: 1 }), undefined)
    assert.deepEqual(transcriptPieces(wtf), [
      { text: 'bye', offset: 5, speaker: 'Speaker 1' },
      { text: 'hi there', offset: 0.5, speaker: 'Caller' },
    ])
  })
})
