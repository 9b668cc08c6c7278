import assert from 'node:assert/strict'
import { test } from 'node:test'
import { textFields } from './text-fields.js'

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url')

test('text fields: subject, plain, base64url and JSON bodies with pointers; media skipped', () => {
  const vcon = {
    subject: 'Refund',
    dialog: [
      { type: 'text', mediatype: 'text/plain', encoding: 'none', body: 'plain words' },
      { type: 'text', mediatype: 'text/plain', encoding: 'base64url', body: b64('encoded words') },
      {
        type: 'recording',
        mediatype: 'audio/wav',
        encoding: 'base64url',
        body: b64('RIFF 5550100100'),
      },
      {
        type: 'recording',
        encoding: 'base64url',
        body: b64(Buffer.from([0xff, 0xfe, 0x00, 0x81])),
      },
    ],
    analysis: [
      {
        type: 'transcript',
        encoding: 'json',
        body: { transcript: { 'a/b': 'nested words' }, n: 3 },
      },
      {
        type: 'summary',
        mediatype: 'application/json',
        encoding: 'json',
        body: '{"text":"string json"}',
      },
      { type: 'summary', encoding: 'json', body: 'not json at all' },
    ],
    attachments: [{ purpose: 'note', encoding: 'none', body: 'attached words' }, 'not an object'],
  }
  assert.deepEqual(textFields(vcon), [
    { pointer: '/subject', text: 'Refund' },
    { pointer: '/dialog/0/body', text: 'plain words' },
    { pointer: '/dialog/1/body', text: 'encoded words' },
    { pointer: '/analysis/0/body/transcript/a~1b', text: 'nested words' },
    { pointer: '/analysis/1/body', text: 'string json' },
    { pointer: '/analysis/2/body', text: 'not json at all' },
    { pointer: '/attachments/0/body', text: 'attached words' },
  ])
  assert.deepEqual(textFields({ uuid: 'x' }), [])
})
