import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createPurposeVocabulary, lawfulBasisAttachment, type Vcon } from '@vconkit/vcon'
import type { Withdrawal } from '../ports/privacy-state.js'
import { decideStep, type GateFacts } from './consent-gate.js'
import type { ConsentPolicy } from './consent-policy.js'
import { partyKeysByIndex } from './party-key.js'

const AT = Date.parse('2025-06-01T00:00:00Z')

const base: Vcon = {
  vcon: '0.4.0',
  uuid: '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6',
  created_at: '2025-03-01T10:00:00Z',
  parties: [{ tel: '+1 555 123 0001', name: 'Alice Agent' }, { mailto: 'Bob@Example.com' }],
}

const allow: ConsentPolicy = {
  vocabulary: createPurposeVocabulary(),
  noLawfulBasis: 'allow',
  allowedWithoutBasis: [],
}

function facts(vcon: Vcon, withdrawals: Withdrawal[] = [], restricted = false): GateFacts {
  return {
    vcon,
    partyKeys: partyKeysByIndex(vcon),
    restrictions: restricted
      ? [{ id: 'r1', target: { uuid: vcon.uuid }, reason: undefined, createdAt: '' }]
      : [],
    withdrawals,
  }
}

function granting(purposes: string[], party?: number): Vcon {
  return {
    ...base,
    attachments: [
      lawfulBasisAttachment({
        basis: 'consent',
        ...(party === undefined ? {} : { party }),
        expiration: null,
        grants: purposes.map((purpose) => ({ purpose, granted: true })),
        at: new Date('2025-03-01T09:00:00Z'),
      }),
    ],
  }
}

test('a step with no purposes runs unless processing is restricted', () => {
  assert.deepEqual(decideStep(facts(base), [], allow, AT), { run: true })
  const stopped = decideStep(facts(base, [], true), [], allow, AT)
  assert.equal(stopped.run, false)
  assert.equal(!stopped.run && stopped.code, 'restricted')
})

test('without a lawful basis the configured default decides', () => {
  assert.deepEqual(decideStep(facts(base), ['analytics'], allow, AT), { run: true })
  const deny: ConsentPolicy = { ...allow, noLawfulBasis: 'deny', allowedWithoutBasis: ['ai'] }
  const denied = decideStep(facts(base), ['analytics'], deny, AT)
  assert.equal(!denied.run && denied.code, 'no-lawful-basis')
  // "genai" falls under "ai", which is allowed without a basis.
  assert.deepEqual(decideStep(facts(base), ['genai'], deny, AT), { run: true })
})

test('every party must be covered: a grant for one party does not cover the other', () => {
  const vcon = granting(['analytics'], 0)
  const deny: ConsentPolicy = { ...allow, noLawfulBasis: 'deny' }
  const decision = decideStep(facts(vcon), ['analytics'], deny, AT)
  assert.equal(decision.run, false)
  assert.equal(!decision.run && decision.party, 1)
  assert.deepEqual(decideStep(facts(granting(['analytics'])), ['analytics'], deny, AT), {
    run: true,
  })
})

test('a recorded grant that lacks the purpose denies it even when the default allows', () => {
  const decision = decideStep(
    facts(granting(['transcription'])),
    ['transcription', 'analytics'],
    allow,
    AT,
  )
  assert.equal(!decision.run && decision.purpose, 'analytics')
  assert.equal(!decision.run && decision.code, 'no-grant')
})

test('a withdrawal of a broader purpose denies the narrower one, naming the party and not its identifiers', () => {
  const withdrawal: Withdrawal = {
    id: 'w1',
    party: { kind: 'mailto', value: 'bob@example.com' },
    purposes: ['ai'],
    reason: undefined,
    createdAt: '',
  }
  const vcon = granting(['genai', 'analytics'])
  const decision = decideStep(facts(vcon, [withdrawal]), ['analytics', 'genai'], allow, AT)
  assert.equal(decision.run, false)
  if (decision.run) return
  assert.deepEqual([decision.code, decision.purpose, decision.party], ['withdrawn', 'genai', 1])
  assert.doesNotMatch(decision.reason, /bob|example/i)
  assert.deepEqual(decideStep(facts(vcon, [withdrawal]), ['analytics'], allow, AT), { run: true })
})
