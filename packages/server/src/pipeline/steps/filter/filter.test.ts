import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { callVcon, chatVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { filterStepFactory } from './index.js'

describe('filter step', () => {
  const step = filterStepFactory.create('only-calls', {
    when: { pointer: '/dialog/*/type', equals: 'recording' },
  })

  test('continues unchanged when the condition holds', async () => {
    const vcon = callVcon()
    const result = await step.run(vcon, stepContext())
    assert.deepEqual(result, { kind: 'continue', vcon, changed: false })
  })

  test('stops with a reason when it does not', async () => {
    const result = await step.run(chatVcon(), stepContext())
    assert.deepEqual(result, { kind: 'stop', reason: 'filtered out by only-calls' })
  })

  test('options are checked, naming the key', () => {
    assert.throws(() => filterStepFactory.create('f', {}), /options\.when is required/)
    assert.throws(
      () => filterStepFactory.create('f', { when: { pointer: '/x', like: 'y' } }),
      /options\.when\.like/,
    )
    assert.throws(
      () => filterStepFactory.create('f', { when: { tag: 'a' }, reason: 3 }),
      /options\.reason must be a string/,
    )
  })
})
