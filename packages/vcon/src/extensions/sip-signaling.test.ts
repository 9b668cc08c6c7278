import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { brief, deepFreeze, runExtension } from '../../test/support/extension-harness.js'
import { SIP_PURPOSES, sipSignalingExtension } from './sip-signaling.js'

type Obj = Record<string, unknown>

const CALL_ID = 'a84b4c76e66710@pc33.example.com'

const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776',
  'To: Bob <sip:bob@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  `Call-ID: ${CALL_ID}`,
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.example.com>',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0',
].join('\r\n')

/** The draft's examples (sip-signaling §4-§7), assembled into one vCon. */
function sipVcon(
  attachments: Obj[] = [],
): Obj & { attachments: Obj[]; parties: Obj[]; dialog: Obj[] } {
  return {
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    extensions: ['sip-signaling'],
    parties: [
      {
        tel: '+12125551234',
        sip_contact: 'sip:alice@pc33.example.com',
        sip_user_agent: 'Acme/1.0',
        sip_display_name: 'Alice',
      },
      { tel: '+12125559876' },
    ],
    dialog: [
      {
        type: 'recording',
        start: '2026-01-15T14:30:00.000+00:00',
        parties: [0, 1],
        sip_call_id: CALL_ID,
        sip_from_tag: '1928301774',
        sip_to_tag: 'a6c85cf',
        sip_cseq: 314159,
      },
    ],
    attachments,
  }
}

const MESSAGES: Obj[] = [
  {
    purpose: 'sip-invite',
    party: 0,
    dialog: 0,
    mediatype: 'message/sip',
    encoding: 'none',
    body: INVITE,
  },
  {
    purpose: 'sip-response',
    party: 1,
    dialog: 0,
    mediatype: 'message/sip',
    encoding: 'base64url',
    body: Buffer.from('SIP/2.0 200 OK\r\nCSeq: 314159 INVITE\r\n\r\n').toString('base64url'),
  },
]

const TRACE: Obj = {
  purpose: 'sip-message-trace',
  dialog: 0,
  mediatype: 'application/json',
  encoding: 'json',
  body: {
    version: '1.0',
    call_id: CALL_ID,
    messages: [
      {
        timestamp: '2026-01-15T14:30:00.001+00:00',
        direction: 'sent',
        party: 0,
        method: 'INVITE',
        headers: { From: '<sip:alice@example.com>;tag=1928301774', CSeq: '314159 INVITE' },
      },
      {
        timestamp: '2026-01-15T14:30:05.200+00:00',
        direction: 'received',
        party: 1,
        status_code: 200,
        status_text: 'OK',
        headers: { To: '<sip:bob@example.com>;tag=a6c85cf' },
      },
    ],
  },
}

const OTHERS: Obj[] = [
  {
    purpose: 'sip-sdp',
    dialog: 0,
    mediatype: 'application/sdp',
    encoding: 'none',
    body: 'v=0\r\n',
  },
  {
    purpose: 'sip-headers',
    dialog: 0,
    mediatype: 'application/json',
    encoding: 'json',
    body: {
      'Call-ID': CALL_ID,
      'History-Info': ['<sip:a@example.com>;index=1', '<sip:b@example.com>;index=1.1'],
    },
  },
  {
    purpose: 'stir-certificate',
    party: 0,
    dialog: 0,
    mediatype: 'application/pem-certificate-chain',
    encoding: 'none',
    body: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  },
  {
    purpose: 'stir-verification-report',
    party: 0,
    dialog: 0,
    mediatype: 'application/json',
    encoding: 'json',
    body: {
      verifier: 'example-telco-verification-service',
      timestamp: '2026-01-15T14:30:00.100+00:00',
      result: 'verified',
      attestation: 'A',
      orig_tn: '+12125551234',
      dest_tn: ['+12125559876'],
    },
  },
  {
    purpose: 'stir-passport-extended',
    party: 0,
    dialog: 0,
    mediatype: 'application/passport',
    encoding: 'none',
    body: '{}',
  },
]

describe('sip-signaling: recognition', () => {
  test('module flags: hyphenated token, never critical', () => {
    assert.equal(sipSignalingExtension.name, 'sip-signaling')
    assert.equal(sipSignalingExtension.mayBeCritical, false)
    assert.equal(SIP_PURPOSES.length, 13)
  })

  test('detect: sip_* party or dialog fields, sip-*/stir-* purposes', () => {
    const d = (v: unknown) => sipSignalingExtension.detect(v as Obj)
    assert.equal(d({ parties: [{ sip_user_agent: 'x' }] }), true)
    assert.equal(d({ dialog: [{ sip_cseq: 1 }] }), true)
    assert.equal(d({ attachments: [{ purpose: 'stir-certificate' }] }), true)
    assert.equal(d({ attachments: [{ purpose: 'sip-unknown' }] }), false)
    assert.equal(d({ parties: [{ sip: 'sip:a@example.com' }] }), false)
  })
})

describe('sip-signaling: validation', () => {
  test('the draft examples are valid', () => {
    const vcon = deepFreeze(sipVcon([...MESSAGES, TRACE, ...OTHERS]))
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [])
  })

  test('party and dialog fields have the right types', () => {
    const vcon = sipVcon()
    vcon.parties[0] = {
      sip_contact: 'alice@pc33.example.com',
      sip_user_agent: 5,
      sip_display_name: '',
    }
    vcon.dialog[0] = { type: 'incomplete', sip_call_id: '', sip_to_tag: ['x'], sip_cseq: -1 }
    vcon.dialog.push({ type: 'text', sip_cseq: 1.5 })
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [
      'warning extension-invalid /parties/0/sip_contact',
      'error wrong-type /parties/0/sip_user_agent',
      'error empty-string /dialog/0/sip_call_id',
      'error wrong-type /dialog/0/sip_to_tag',
      'error negative-number /dialog/0/sip_cseq',
      'error wrong-type /dialog/1/sip_cseq',
    ])
  })

  test('media types are checked per purpose', () => {
    const vcon = sipVcon([
      { ...MESSAGES[0], mediatype: 'text/plain' },
      { ...(OTHERS[0] as Obj), mediatype: 'application/json' },
      { ...TRACE, mediatype: 'text/json' },
      { ...(OTHERS[2] as Obj), mediatype: 'Application/PKIX-Cert; x=y' },
    ])
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [
      'error extension-invalid /attachments/0/mediatype',
      'error extension-invalid /attachments/1/mediatype',
      'warning extension-invalid /attachments/2/mediatype',
    ])
  })

  test('SIP messages: encoding none or base64url, a matching start line, no credentials', () => {
    const withAuth = INVITE.replace(
      'Contact:',
      'Proxy-Authorization: Digest username="alice"\r\nContact:',
    )
    const vcon = sipVcon([
      { ...MESSAGES[0], body: withAuth },
      { ...MESSAGES[0], purpose: 'sip-bye' },
      { ...MESSAGES[0], encoding: 'json', body: { a: 1 } },
    ])
    const issues = runExtension(sipSignalingExtension, vcon)
    assert.deepEqual(brief(issues), [
      'warning sip-credentials-present /attachments/0/body',
      'warning extension-invalid /attachments/1/body',
      'error extension-invalid /attachments/2/encoding',
    ])
    assert.match(issues[0]?.message ?? '', /Proxy-Authorization/)
  })

  test('a credential in the message body (after the blank line) is not a header', () => {
    const vcon = sipVcon([{ ...MESSAGES[0], body: `${INVITE}\r\nAuthorization: not a header` }])
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [])
  })

  test('message trace: call_id must match the dialog; request XOR response', () => {
    const body = {
      version: '2.0',
      call_id: 'other@example.com',
      messages: [
        { timestamp: 'now', direction: 'up', method: 'INVITE', status_code: 200 },
        { timestamp: '2026-01-15T14:30:00Z', direction: 'sent' },
        {
          timestamp: '2026-01-15T14:30:00Z',
          direction: 'sent',
          method: 'BYE',
          status_text: 'OK',
          party: 9,
        },
        {
          timestamp: '2026-01-15T14:30:00Z',
          direction: 'received',
          status_code: 99,
          headers: { authorization: 'Basic abc', Via: 5 },
        },
      ],
    }
    const vcon = sipVcon([{ ...TRACE, body }])
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [
      'warning extension-invalid /attachments/0/body/version',
      'error extension-invalid /attachments/0/body/call_id',
      'error bad-date /attachments/0/body/messages/0/timestamp',
      'error extension-invalid /attachments/0/body/messages/0/direction',
      'error extension-invalid /attachments/0/body/messages/0',
      'error extension-invalid /attachments/0/body/messages/1',
      'error party-index-out-of-range /attachments/0/body/messages/2/party',
      'error extension-invalid /attachments/0/body/messages/2/status_text',
      'error extension-invalid /attachments/0/body/messages/3/status_code',
      'warning sip-credentials-present /attachments/0/body/messages/3/headers/authorization',
    ])
  })

  test('message trace without its required members', () => {
    const vcon = sipVcon([
      { ...TRACE, body: JSON.stringify({}) },
      { ...TRACE, body: [] },
    ])
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [
      'error missing-field /attachments/0/body/version',
      'error missing-field /attachments/0/body/call_id',
      'error missing-field /attachments/0/body/messages',
      'error extension-invalid /attachments/1/body',
    ])
  })

  test('header summary and verification report', () => {
    const vcon = sipVcon([
      { ...(OTHERS[1] as Obj), body: { Authorization: 'Digest x', Via: 5 } },
      { ...(OTHERS[3] as Obj), body: { result: 'great', attestation: 'D', dest_tn: '+1' } },
    ])
    assert.deepEqual(brief(runExtension(sipSignalingExtension, vcon)), [
      'warning sip-credentials-present /attachments/0/body/Authorization',
      'error wrong-type /attachments/0/body/Via',
      'warning missing-field /attachments/1/body/verifier',
      'warning missing-field /attachments/1/body/timestamp',
      'warning missing-field /attachments/1/body/orig_tn',
      'error extension-invalid /attachments/1/body/result',
      'error extension-invalid /attachments/1/body/attestation',
      'error wrong-type /attachments/1/body/dest_tn',
    ])
  })
})
