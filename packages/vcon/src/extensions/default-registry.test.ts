import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadCorpus } from '../../test/support/extension-harness.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { defaultRegistry } from './default-registry.js'

const AGENT_EXAMPLE =
  'real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'

function minimal(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    vcon: '0.4.0',
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    created_at: '2025-01-02T12:15:30Z',
    parties: [{ name: 'Alice' }],
    dialog: [
      {
        type: 'text',
        start: '2025-01-02T12:15:30Z',
        parties: [0],
        mediatype: 'text/plain',
        encoding: 'none',
        body: 'hi',
        sip_call_id: 'c1@example.com',
      },
    ],
    ...extra,
  }
}

describe('defaultRegistry', () => {
  test('holds the five modules, with the wtf alias', () => {
    assert.deepEqual(
      defaultRegistry.list().map((e) => e.name),
      ['lawful_basis', 'wtf_transcription', 'agent_session', 'sip-signaling', 'consent'],
    )
    assert.equal(defaultRegistry.get('wtf')?.name, 'wtf_transcription')
    assert.equal(defaultRegistry.has('Lawful_Basis'), false)
    assert.deepEqual(
      defaultRegistry
        .list()
        .filter((e) => !e.mayBeCritical)
        .map((e) => e.name),
      ['sip-signaling', 'consent'],
    )
  })
})

describe('defaultRegistry through validateVcon', () => {
  const codes = (vcon: unknown) =>
    validateVcon(vcon).issues.map((i) => `${i.severity} ${i.code} ${i.pointer}`)

  test('sip-signaling listed in critical is an error at its pointer', () => {
    const vcon = minimal({ extensions: ['sip-signaling'], critical: ['sip-signaling'] })
    assert.ok(codes(vcon).includes('error extension-invalid /critical/0'), codes(vcon).join('\n'))
    assert.equal(validateVcon(vcon).valid, false)
    assert.equal(validateVcon(minimal({ extensions: ['sip-signaling'] })).valid, true)
  })

  test('supported critical names (and the wtf alias) are accepted; unknown ones are refused', () => {
    const ok = minimal({ extensions: ['lawful_basis', 'wtf'], critical: ['lawful_basis', 'wtf'] })
    assert.equal(validateVcon(ok).valid, true, codes(ok).join('\n'))
    const unknown = minimal({ extensions: ['x_custom'], critical: ['x_custom'] })
    assert.ok(codes(unknown).includes('error critical-unsupported /critical/0'))
  })

  test('the agent_session example has no extension issue in lenient mode', () => {
    const result = validateVcon(loadCorpus(AGENT_EXAMPLE), { mode: 'lenient' })
    const extensionIssues = result.issues.filter(
      (i) =>
        i.code.startsWith('extension') ||
        i.code.startsWith('lawful-basis') ||
        i.code.startsWith('critical'),
    )
    assert.deepEqual(extensionIssues, [])
    assert.equal(result.valid, true)
  })
})
