import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  brief,
  copy,
  deepFreeze,
  loadCorpus,
  runExtension,
} from '../../test/support/extension-harness.js'
import { agentSessionExtension } from './agent-session.js'

const AGENT_EXAMPLE =
  'real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'

type Obj = Record<string, unknown>

/** The real example, as a mutable copy. */
function example(): Obj & { parties: Obj[]; analysis: Obj[]; attachments: Obj[]; dialog: Obj[] } {
  return copy(loadCorpus(AGENT_EXAMPLE)) as ReturnType<typeof example>
}

describe('agent_session: recognition', () => {
  test('module flags', () => {
    assert.equal(agentSessionExtension.name, 'agent_session')
    assert.equal(agentSessionExtension.mayBeCritical, true)
  })

  test('detect: meta.agent_session, agent_trace, agent_* purposes, jwe bodies; not role "agent" alone', () => {
    const d = (v: unknown) => agentSessionExtension.detect(v as Obj)
    assert.equal(d({ parties: [{ meta: { agent_session: {} } }] }), true)
    assert.equal(d({ analysis: [{ type: 'agent_trace' }] }), true)
    assert.equal(d({ attachments: [{ purpose: 'agent_artifact' }] }), true)
    assert.equal(d({ dialog: [{ encoding: 'jwe' }] }), true)
    assert.equal(d({ parties: [{ role: 'agent' }] }), false)
    assert.equal(d({ attachments: [{ purpose: 'scitt_receipt' }] }), false)
    assert.equal(d({ parties: 'x', analysis: 5 }), false)
  })
})

describe('agent_session: the real example', () => {
  test('paired-agent-session.json has no agent_session issue', () => {
    const vcon = deepFreeze(loadCorpus(AGENT_EXAMPLE))
    assert.equal(agentSessionExtension.detect(vcon), true)
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [])
  })
})

describe('agent_session: party meta', () => {
  test('model_id and provider are required, recording_agent recommended, the party must be an agent', () => {
    const vcon = example()
    vcon.parties[1] = { name: 'Bot', meta: { agent_session: { provider: 7, environment: 'prod' } } }
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'error extension-invalid /parties/1',
      'error missing-field /parties/1/meta/agent_session/model_id',
      'error wrong-type /parties/1/meta/agent_session/provider',
      'warning missing-field /parties/1/meta/agent_session/recording_agent',
      'error wrong-type /parties/1/meta/agent_session/environment',
      // party 1 is no longer an agent party, so the file changes it made are misattributed.
      'error extension-invalid /attachments/0/party',
      'error extension-invalid /attachments/1/party',
    ])
  })

  test('type "bot" also marks an agent party; meta.agent_session must be an object', () => {
    const vcon = example()
    vcon.parties[1] = { name: 'Bot', type: 'bot', meta: { agent_session: 'claude' } }
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'error wrong-type /parties/1/meta/agent_session',
    ])
  })
})

describe('agent_session: agent_trace analysis', () => {
  test('dialog, product, schema and encoding are required', () => {
    const vcon = example()
    const trace = vcon.analysis[0] as Obj
    delete trace.dialog
    delete trace.product
    delete trace.schema
    trace.encoding = 'none'
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'error missing-field /analysis/0/dialog',
      'error missing-field /analysis/0/product',
      'error missing-field /analysis/0/schema',
      'error extension-invalid /analysis/0/encoding',
    ])
  })

  test('a single dialog index is a warning, other shapes an error', () => {
    const vcon = example()
    ;(vcon.analysis[0] as Obj).dialog = 3
    vcon.analysis.push({ ...(vcon.analysis[0] as Obj), dialog: ['a'] })
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /analysis/0/dialog',
      'error wrong-type /analysis/1/dialog',
    ])
  })

  test('the body: a JSON string (native object accepted with a warning), VAC shape expected', () => {
    const vcon = example()
    const trace = vcon.analysis[0] as Obj
    const record = JSON.parse(trace.body as string) as Obj
    vcon.analysis.push({ ...trace, body: record })
    vcon.analysis.push({ ...trace, body: '{"version": ' })
    vcon.analysis.push({ ...trace, body: '{"version":"1.0"}' })
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /analysis/1/body',
      'error extension-invalid /analysis/2/body',
      'warning extension-invalid /analysis/3/body/session-trace',
    ])
  })

  test('vendor and product should mirror the agent party; CBOR needs the schema suffix', () => {
    const vcon = example()
    const trace = vcon.analysis[0] as Obj
    trace.vendor = 'openai'
    trace.product = 'gpt-5'
    vcon.analysis.push({
      ...trace,
      vendor: 'anthropic',
      product: 'claude-opus-4-6',
      encoding: 'base64url',
      body: 'oWE',
    })
    vcon.analysis.push({
      ...trace,
      vendor: 'anthropic',
      product: 'claude-opus-4-6',
      encoding: 'base64url',
      schema: 'https://example.com/vac?encoding=cbor',
      body: 'oWE',
    })
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /analysis/0/vendor',
      'warning extension-invalid /analysis/0/product',
      'error extension-invalid /analysis/1/schema',
    ])
  })
})

describe('agent_session: attachments', () => {
  test('agent_file_change: agent party, body fields', () => {
    const vcon = example()
    const change = vcon.attachments[0] as Obj & { body: Obj }
    change.party = 0
    change.body.line_range = [52, 47]
    change.body.content_hash = 'sha512:abc'
    delete change.body.path
    vcon.attachments[1] = { ...(vcon.attachments[1] as Obj), body: '[1]' }
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'error extension-invalid /attachments/0/party',
      'error missing-field /attachments/0/body/path',
      'error extension-invalid /attachments/0/body/line_range',
      'error bad-content-hash /attachments/0/body/content_hash',
      'error extension-invalid /attachments/1/body',
    ])
  })

  test('an agent_file_change by reference needs no body; a COSE_Sign1 should be base64url', () => {
    const vcon = example()
    vcon.attachments[0] = {
      purpose: 'agent_file_change',
      party: 1,
      url: 'https://e.x/f',
      content_hash: 'sha512-x',
    }
    vcon.attachments.push({
      purpose: 'agent_trace_cose_sign1',
      party: 1,
      encoding: 'none',
      body: 'x',
    })
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /attachments/4/encoding',
    ])
  })

  test('jwe is allowed only when agent_session is declared', () => {
    const vcon = example()
    vcon.dialog[2] = { ...(vcon.dialog[2] as Obj), encoding: 'jwe', body: 'eyJ...' }
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [])
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon, { declared: false })), [
      'warning extension-invalid /dialog/2/encoding',
    ])
  })

  test('a lawful basis covering the agent purposes should be present', () => {
    const vcon = example()
    const lawful = vcon.attachments[3] as Obj & { body: { purpose_grants: Obj[] } }
    lawful.body.purpose_grants = lawful.body.purpose_grants.slice(0, 1)
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /attachments/3',
    ])
    vcon.attachments.pop()
    assert.deepEqual(brief(runExtension(agentSessionExtension, vcon)), [
      'warning extension-invalid /attachments',
    ])
  })
})
