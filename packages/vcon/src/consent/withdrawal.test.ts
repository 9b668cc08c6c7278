import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { deepFreeze } from '../../test/support/extension-harness.js'
import { isVconError } from '../errors/vcon-error.js'
import {
  checkLawfulBasisHash,
  type LawfulBasisContentHash,
} from '../extensions/lawful-basis-hash.js'
import type { Vcon } from '../model/vcon.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { isPermitted } from './is-permitted.js'
import { lawfulBasisAttachment } from './lawful-basis-attachment.js'
import { createPurposeVocabulary } from './purposes.js'
import { withdrawalAttachment, withdrawConsent } from './withdrawal.js'

const GRANTED = new Date('2025-06-01T12:00:00Z')
const WITHDRAWN = new Date('2025-07-01T09:30:00Z')
const LATER = new Date('2025-08-01T00:00:00Z')
const PRIOR_UUID = '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b'
const NEW_UUID = '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6c'

/** A strict-valid vCon whose party 1 consented to recording, transcription and text-and-data mining. */
function consentedVcon(): Vcon {
  return {
    vcon: '0.4.0',
    uuid: PRIOR_UUID,
    created_at: GRANTED.toISOString(),
    extensions: ['lawful_basis'],
    parties: [
      { tel: '+12025550123', name: 'Alice', validation: 'none' },
      { mailto: 'bob@example.com', name: 'Bob', validation: 'none' },
    ],
    dialog: [
      {
        type: 'text',
        start: GRANTED.toISOString(),
        parties: [0, 1],
        originator: 1,
        mediatype: 'text/plain',
        encoding: 'none',
        body: 'Yes, you may record this.',
      },
    ],
    attachments: [
      lawfulBasisAttachment({
        basis: 'consent',
        party: 1,
        dialog: 0,
        expiration: null,
        at: GRANTED,
        grants: [
          { purpose: 'recording', granted: true },
          { purpose: 'transcription', granted: true },
          { purpose: 'tdm', granted: true, conditions: ['aggregate results only'] },
        ],
      }),
    ],
  }
}

function strictErrors(vcon: unknown): string[] {
  return validateVcon(vcon, { mode: 'strict' })
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.code} ${i.pointer}`)
}

function badArgument(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (err: unknown) =>
      isVconError(err) && err.code === 'VCON_BAD_ARGUMENT' && pattern.test(err.message),
  )
}

describe('withdrawalAttachment', () => {
  test('records denials at the time of withdrawal, indefinitely, marked as a withdrawal', () => {
    const a = withdrawalAttachment({
      party: 1,
      purposes: ['ai', 'marketing', 'ai'],
      at: WITHDRAWN,
      reason: 'requested by phone',
    })
    const body = a.body as Record<string, unknown>
    assert.equal(a.party, 1)
    assert.equal(a.start, WITHDRAWN.toISOString())
    assert.equal(body.lawful_basis, 'consent')
    assert.equal(body.expiration, null)
    assert.deepEqual(body.purpose_grants, [
      { purpose: 'ai', granted: false, granted_at: WITHDRAWN.toISOString() },
      { purpose: 'marketing', granted: false, granted_at: WITHDRAWN.toISOString() },
    ])
    assert.deepEqual(body.metadata, { withdrawal: true, reason: 'requested by phone' })
    assert.equal(
      checkLawfulBasisHash(body, body.content_hash as LawfulBasisContentHash).kind,
      'match',
    )
  })

  test('refuses purposes outside the vocabulary, an empty list, a bad party or time', () => {
    badArgument(
      () => withdrawalAttachment({ party: 0, purposes: ['publication'], at: WITHDRAWN }),
      /purposes\[0\]/,
    )
    badArgument(
      () => withdrawalAttachment({ party: 0, purposes: [], at: WITHDRAWN }),
      /at least one/,
    )
    badArgument(
      () => withdrawalAttachment({ party: 0.5, purposes: ['ai'], at: WITHDRAWN }),
      /`party`/,
    )
    badArgument(
      () => withdrawalAttachment({ party: 0, purposes: ['ai'], at: new Date('x') }),
      /`at`/,
    )
    const vocabulary = createPurposeVocabulary(['publication'])
    const ok = withdrawalAttachment({
      party: 0,
      purposes: ['publication'],
      at: WITHDRAWN,
      vocabulary,
    })
    assert.equal(ok.party, 0)
  })
})

describe('withdrawConsent', () => {
  test('denies the withdrawn purposes and their narrower ones; the others stay granted', () => {
    const prior = deepFreeze(consentedVcon())
    assert.equal(isPermitted(prior, { purpose: 'genai', party: 1, at: LATER }).code, 'granted')

    const next = withdrawConsent(prior, {
      party: 1,
      purposes: ['ai', 'recording'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
      now: () => WITHDRAWN,
    })
    const ask = (purpose: string) => isPermitted(next, { purpose, party: 1, at: LATER })
    for (const purpose of ['ai', 'genai', 'recording']) {
      const d = ask(purpose)
      assert.equal(d.code, 'denied', purpose)
      assert.deepEqual(d.attachments, [1])
    }
    assert.equal(
      ask('genai').reason,
      'purpose "genai" is denied for party 1 by attachment 1 (denial of "ai")',
    )
    for (const purpose of ['transcription', 'search', 'inference', 'tdm']) {
      assert.equal(ask(purpose).code, 'granted', purpose)
    }
    assert.deepEqual(ask('search').conditions, ['aggregate results only'])
    // The whole vCon counts every party's records, so it is refused too; party 0 has no record either way.
    assert.equal(isPermitted(next, { purpose: 'genai', at: LATER }).code, 'denied')
    assert.equal(
      isPermitted(next, { purpose: 'genai', party: 0, at: LATER }).code,
      'no-lawful-basis',
    )
  })

  test('makes a strict-valid new version whose `amended` points at the prior', () => {
    const prior = deepFreeze(consentedVcon())
    assert.deepEqual(strictErrors(prior), [])
    const next = withdrawConsent(prior, {
      party: 1,
      purposes: ['marketing'],
      at: WITHDRAWN,
      newUuid: () => NEW_UUID,
      now: () => WITHDRAWN,
    })
    assert.deepEqual(strictErrors(next), [])
    assert.equal(next.uuid, NEW_UUID)
    assert.deepEqual(next.amended, { uuid: PRIOR_UUID })
    assert.equal(next.updated_at, WITHDRAWN.toISOString())
    assert.equal(next.attachments?.length, 2)
    assert.equal(next.attachments?.[1]?.dialog, 0, 'the dialog of the party’s consent record')
    assert.equal(prior.attachments?.length, 1, 'the prior is unchanged')
  })

  test('declares lawful_basis in extensions when the prior did not', () => {
    const { extensions: _, ...undeclared } = consentedVcon()
    const next = withdrawConsent(undeclared, {
      party: 1,
      purposes: ['ai'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
    })
    assert.deepEqual(next.extensions, ['lawful_basis'])
    assert.deepEqual(strictErrors(next), [])
    const declared = withdrawConsent(consentedVcon(), {
      party: 1,
      purposes: ['ai'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
    })
    assert.deepEqual(declared.extensions, ['lawful_basis'])
  })

  test('works on a vCon with no prior lawful basis when a dialog is given', () => {
    const { attachments: _, ...bare } = consentedVcon()
    const next = withdrawConsent(bare, {
      party: 0,
      purposes: ['training'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
      dialog: 0,
    })
    assert.deepEqual(strictErrors(next), [])
    assert.equal(isPermitted(next, { purpose: 'training', party: 0, at: LATER }).code, 'denied')
  })

  test('without a dialog or a prior record, attaches to the first dialog the party takes part in', () => {
    const { attachments: _, ...bare } = consentedVcon()
    const next = withdrawConsent(bare, {
      party: 1,
      purposes: ['training'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
    })
    assert.deepEqual(strictErrors(next), [])
    assert.equal(next.attachments?.[0]?.dialog, 0)
  })

  test('one version records the withdrawal of every party the person appears as', () => {
    const next = withdrawConsent(consentedVcon(), {
      party: [0, 1],
      purposes: ['transcription'],
      at: WITHDRAWN,
      newUuid: NEW_UUID,
    })
    assert.deepEqual(strictErrors(next), [])
    assert.equal(next.attachments?.length, 3)
    for (const party of [0, 1]) {
      assert.equal(isPermitted(next, { purpose: 'transcription', party, at: LATER }).code, 'denied')
    }
    badArgument(
      () =>
        withdrawConsent(consentedVcon(), {
          party: [],
          purposes: ['ai'],
          at: WITHDRAWN,
          newUuid: NEW_UUID,
        }),
      /at least one/,
    )
  })

  test('refuses a party or dialog the vCon does not have, and a reused uuid', () => {
    const prior = consentedVcon()
    const input = { purposes: ['ai'], at: WITHDRAWN, newUuid: NEW_UUID }
    badArgument(() => withdrawConsent(prior, { ...input, party: 2 }), /party.*has 2/)
    badArgument(() => withdrawConsent(prior, { ...input, party: 1, dialog: 1 }), /dialog.*has 1/)
    badArgument(
      () => withdrawConsent(prior, { ...input, party: 1, newUuid: PRIOR_UUID }),
      /newUuid/,
    )
  })
})
