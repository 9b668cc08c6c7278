import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { deepFreeze, loadCorpus, runExtension } from '../../test/support/extension-harness.js'
import { LAWFUL_SAMPLE, SIP_SAMPLE, WTF_SAMPLE } from '../../test/support/extension-samples.js'
import { ISSUE_CODES } from '../validate/issue-codes.js'
import { defaultRegistry } from './default-registry.js'
import { readLawfulBasis } from './lawful-basis.js'

/** Values that steer generated objects into the modules' code paths. */
const MEANINGFUL = fc.constantFrom<unknown>(
  'lawful_basis',
  'consent',
  'wtf_transcription',
  'transcript',
  'wtf-1.0',
  'agent_trace',
  'agent_file_change',
  'agent_trace_cose_sign1',
  'scitt_receipt',
  'sip-invite',
  'sip-response',
  'sip-message-trace',
  'sip-headers',
  'stir-verification-report',
  'json',
  'none',
  'base64url',
  'jwe',
  'agent',
  'bot',
  'message/sip',
  'application/json',
  'sha-256',
  'sha-3-256',
  'blake2b-256',
  'jcs',
  'granted',
  '2025-01-02T12:15:30Z',
  '{"a":1}',
  'INVITE sip:a@b SIP/2.0\r\nAuthorization: x\r\n\r\n',
  0,
  1,
  -1,
  1.5,
  null,
  true,
  [],
  {},
)

const KEYS = [
  'type',
  'purpose',
  'encoding',
  'body',
  'url',
  'party',
  'dialog',
  'parties',
  'role',
  'meta',
  'agent_session',
  'model_id',
  'provider',
  'vendor',
  'product',
  'schema',
  'mediatype',
  'sip_contact',
  'sip_call_id',
  'sip_cseq',
  'lawful_basis',
  'expiration',
  'purpose_grants',
  'granted',
  'granted_at',
  'conditions',
  'content_hash',
  'algorithm',
  'canonicalization',
  'value',
  'proof_mechanisms',
  'consents',
  'status',
  'consent',
  'transcript',
  'segments',
  'metadata',
  'words',
  'speakers',
  'alternatives',
  'enrichments',
  'sentiment',
  'score',
  'quality',
  'streaming',
  'id',
  'start',
  'end',
  'confidence',
  'duration',
  'language',
  'text',
  'audio',
  'messages',
  'call_id',
  'method',
  'status_code',
  'headers',
  'direction',
  'line_range',
  'path',
  'session-trace',
  'entries',
  'extensions',
  'critical',
  'result',
  'attestation',
  'dest_tn',
  '__proto__',
  'constructor',
  'toString',
]

/** Any value, biased towards objects whose keys and values the modules look at. */
const { anything } = fc.letrec<{ anything: unknown; entry: unknown }>((tie) => ({
  anything: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    MEANINGFUL,
    tie('entry'),
    fc.array(tie('anything'), { maxLength: 4 }),
    tie('entry').map((e) => JSON.stringify(e)),
  ),
  entry: fc.dictionary(fc.constantFrom(...KEYS), tie('anything'), { maxKeys: 8 }),
}))

const vconArbitrary = fc.record(
  {
    uuid: fc.string(),
    extensions: fc.oneof(
      fc.array(fc.constantFrom('lawful_basis', 'wtf', 'agent_session', 'sip-signaling')),
      anything,
    ),
    critical: anything,
    parties: fc.oneof(fc.array(anything, { maxLength: 4 }), anything),
    dialog: fc.oneof(fc.array(anything, { maxLength: 4 }), anything),
    analysis: fc.oneof(fc.array(anything, { maxLength: 4 }), anything),
    attachments: fc.oneof(fc.array(anything, { maxLength: 5 }), anything),
  },
  { requiredKeys: [] },
)

const TEMPLATES: readonly unknown[] = [
  LAWFUL_SAMPLE,
  WTF_SAMPLE,
  SIP_SAMPLE,
  loadCorpus('real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'),
]

type Container = Record<string, unknown> | unknown[]

/** Every (container, key) slot of a JSON value, found without recursion. */
function slots(root: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = []
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push([node, i])
        stack.push(child)
      })
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>
      for (const key of Object.keys(obj)) {
        out.push([obj, key])
        stack.push(obj[key])
      }
    }
  }
  return out
}

interface Mutation {
  readonly at: number
  readonly op: 'set' | 'delete' | 'stringify'
  readonly value: unknown
}

/** A valid sample with a few of its members replaced, deleted or turned into JSON strings. */
function mutate(template: unknown, mutations: readonly Mutation[]): unknown {
  const root = structuredClone(template)
  for (const m of mutations) {
    const all = slots(root)
    const slot = all[m.at % Math.max(all.length, 1)]
    if (slot === undefined) break
    const [container, key] = slot
    const target = container as Record<string | number, unknown>
    if (m.op === 'delete' && !Array.isArray(container)) delete target[key]
    else if (m.op === 'stringify') target[key] = JSON.stringify(target[key]) ?? 'null'
    else target[key] = m.value
  }
  return structuredClone(root)
}

const mutatedVcon = fc
  .tuple(
    fc.constantFrom(...TEMPLATES),
    fc.array(
      fc.record({
        at: fc.nat(),
        op: fc.constantFrom('set', 'delete', 'stringify' as const),
        value: anything,
      }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([template, mutations]) => mutate(template, mutations))

describe('extension modules never throw', () => {
  test('the samples are valid, so mutations start from the deep paths', () => {
    for (const sample of TEMPLATES) {
      for (const ext of defaultRegistry.list()) {
        const issues = runExtension(ext, sample).filter(
          (i) => i.severity === 'error' || i.code !== 'superseded-extension',
        )
        assert.deepEqual(issues, [], ext.name)
      }
    }
  })

  for (const ext of defaultRegistry.list()) {
    test(`${ext.name}: mutated valid vCons never make it throw`, () => {
      fc.assert(
        fc.property(mutatedVcon, fc.boolean(), (raw, declared) => {
          const vcon = deepFreeze(raw) as Record<string, unknown>
          ext.detect(vcon)
          for (const issue of runExtension(ext, vcon, { declared })) {
            assert.ok(issue.code in ISSUE_CODES, issue.code)
            assert.ok(issue.pointer.startsWith('/'), issue.pointer)
          }
          readLawfulBasis(vcon)
        }),
        { numRuns: 500 },
      )
    })
  }

  for (const ext of defaultRegistry.list()) {
    test(`${ext.name}: detect and validate accept any shape, report known codes, mutate nothing`, () => {
      fc.assert(
        fc.property(
          vconArbitrary,
          fc.boolean(),
          fc.constantFrom('strict', 'lenient' as const),
          (raw, declared, mode) => {
            const vcon = deepFreeze(raw)
            assert.equal(typeof ext.detect(vcon), 'boolean')
            const issues = runExtension(ext, vcon, { declared, mode })
            for (const issue of issues) {
              assert.ok(issue.code in ISSUE_CODES, issue.code)
              assert.ok(issue.pointer === '' || issue.pointer.startsWith('/'), issue.pointer)
              assert.equal(typeof issue.message, 'string')
            }
          },
        ),
        { numRuns: 400 },
      )
    })
  }

  test('arbitrary JSON at the root, including non-objects', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const ext of defaultRegistry.list()) {
          ext.detect(value as Record<string, unknown>)
          runExtension(ext, value ?? {})
        }
        readLawfulBasis(value)
      }),
      { numRuns: 200 },
    )
  })

  test('readLawfulBasis returns records of the normalised shape for any input', () => {
    fc.assert(
      fc.property(vconArbitrary, (raw) => {
        for (const record of readLawfulBasis(deepFreeze(raw))) {
          assert.ok(Number.isInteger(record.attachment))
          assert.ok(record.source === 'lawful_basis' || record.source === 'consent')
          for (const grant of record.grants) {
            assert.equal(typeof grant.purpose, 'string')
            assert.equal(typeof grant.granted, 'boolean')
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  test('a body nested 100k levels deep does not overflow the stack', () => {
    let deep: unknown = 0
    for (let i = 0; i < 100_000; i++) deep = { k: deep }
    const body = { lawful_basis: 'consent', expiration: null, purpose_grants: [], metadata: deep }
    const vcon = {
      attachments: [
        {
          type: 'lawful_basis',
          encoding: 'json',
          body: {
            ...body,
            content_hash: { algorithm: 'sha-256', canonicalization: 'jcs', value: 'ab' },
          },
        },
      ],
    }
    const issues = runExtension(
      defaultRegistry.get('lawful_basis') ?? assert.fail('no module'),
      vcon,
    )
    assert.deepEqual(
      issues.map((i) => `${i.code} ${i.pointer}`),
      ['extension-invalid /attachments/0/body/content_hash'],
    )
  })
})
