import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Vcon } from '@vconkit/vcon'
import { callVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { samplePoint, sampleStepFactory } from './index.js'

function uuidOf(i: number): string {
  return `0195e1c2-3b4a-8d5e-9f60-${i.toString(16).padStart(12, '0')}`
}

describe('sample step', () => {
  test('keeps about the configured fraction', async () => {
    const step = sampleStepFactory.create('s', { fraction: 0.3 })
    let kept = 0
    for (let i = 0; i < 2000; i++) {
      const result = await step.run({ ...callVcon(), uuid: uuidOf(i) }, stepContext())
      if (result.kind === 'continue') kept++
    }
    // Binomial(2000, 0.3): mean 600, sd about 20.5; 5 sd either side.
    assert.ok(kept > 497 && kept < 703, `kept ${kept}`)
  })

  test('makes the same decision on every delivery, and the uuid case does not matter', async () => {
    const step = sampleStepFactory.create('s', { fraction: 0.5 })
    for (let i = 0; i < 50; i++) {
      const vcon: Vcon = { ...callVcon(), uuid: uuidOf(i) }
      const a = await step.run(vcon, stepContext())
      const b = await step.run(vcon, stepContext({ attempt: 3 }))
      const c = await step.run({ ...vcon, uuid: vcon.uuid.toUpperCase() }, stepContext())
      assert.equal(a.kind, b.kind)
      assert.equal(a.kind, c.kind)
    }
  })

  test('0 keeps none, 1 keeps all; the salt changes the subset', async () => {
    const none = sampleStepFactory.create('s', { fraction: 0 })
    const all = sampleStepFactory.create('s', { fraction: 1 })
    const vcon = callVcon()
    assert.equal((await none.run(vcon, stepContext())).kind, 'stop')
    assert.equal((await all.run(vcon, stepContext())).kind, 'continue')
    let differ = 0
    for (let i = 0; i < 100; i++) {
      if (samplePoint(uuidOf(i), '') < 0.5 !== samplePoint(uuidOf(i), 'other') < 0.5) differ++
    }
    assert.ok(differ > 20 && differ < 80, `differ ${differ}`)
  })

  test('options are checked, naming the key', () => {
    assert.throws(() => sampleStepFactory.create('s', {}), /options\.fraction is required/)
    assert.throws(
      () => sampleStepFactory.create('s', { fraction: 1.5 }),
      /options\.fraction must be at most 1/,
    )
    assert.throws(
      () => sampleStepFactory.create('s', { rate: 0.5 }),
      /options\.rate is not an option of the sample step/,
    )
  })
})
