import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import { parseRedactionPolicy, summarisePolicy } from './redaction-policy.js'

function refuses(value: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseRedactionPolicy(value),
    (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT' && pattern.test(e.message),
  )
}

describe('parseRedactionPolicy', () => {
  test('accepts a full JSON policy as is', () => {
    const policy = {
      dialogs: [0, 2],
      partyFields: ['tel', 'mailto', 'sip_display_name'],
      dropAttachments: { purposes: ['tags'] },
      dropAnalyses: [1],
      text: { kinds: ['phone', 'email'], targets: ['dialog', 'analysis'], partyNames: false },
      dropMedia: true,
      dropDerivedAnalyses: false,
      type: 'PII Redaction',
    }
    assert.equal(parseRedactionPolicy(policy), policy)
  })

  test('refuses misspelt keys, wrong types and bad indices, naming the field', () => {
    refuses({ partyfields: ['tel'] }, /unknown key `partyfields`/)
    refuses({ dialogs: [-1] }, /`dialogs` must be an array of indices/)
    refuses({ dialogs: 0 }, /`dialogs`/)
    refuses({ dropAttachments: { purposes: 'tags' } }, /dropAttachments\.purposes/)
    refuses({ dropAnalyses: { type: ['x'] } }, /dropAnalyses\.types/)
    refuses({ text: { kind: ['phone'] } }, /text\.kind/)
    refuses({ text: { targets: ['parties'] } }, /text\.targets/)
    refuses({ type: '' }, /`type`/)
    refuses([], /JSON object/)
  })
})

describe('summarisePolicy', () => {
  test('is plain JSON: functions are named, not serialised', () => {
    const summary = summarisePolicy({
      partyFields: ['tel'],
      text: { detector: { detect: () => [] }, replacement: () => 'x' },
    })
    assert.deepEqual(JSON.parse(JSON.stringify(summary)), {
      party_fields: ['tel'],
      text: { detector: 'custom', party_names: true, replacement: 'custom' },
    })
  })
})
