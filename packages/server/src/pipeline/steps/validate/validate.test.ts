import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { serializeVcon, type Vcon, validateVcon } from '@vconkit/vcon'
import { callVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { validateStepFactory } from './index.js'

describe('validate step', () => {
  test('a valid 0.4.0 vCon continues unchanged (the same object)', async () => {
    const vcon = callVcon()
    const result = await validateStepFactory
      .create('v', { mode: 'strict' })
      .run(vcon, stepContext())
    assert.equal(result.kind, 'continue')
    assert.ok(result.kind === 'continue')
    assert.equal(result.changed, false)
    assert.equal(result.vcon, vcon)
  })

  test('a legacy vCon is upgraded, reported as changed, and valid afterwards', async () => {
    const legacy = {
      vcon: '0.0.1',
      uuid: '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6',
      created_at: '2025-03-01T10:00:00.000Z',
      parties: [{ tel: '+15551230001' }],
      dialog: [
        {
          type: 'text',
          start: '2025-03-01T10:00:00.000Z',
          parties: [0],
          mimetype: 'text/plain',
          body: 'hi',
          encoding: 'none',
        },
      ],
    } as unknown as Vcon
    const step = validateStepFactory.create('v', {})
    const result = await step.run(legacy, stepContext())
    assert.ok(result.kind === 'continue')
    assert.equal(result.changed, true)
    assert.equal(result.vcon.vcon, '0.4.0')
    assert.equal(result.vcon.dialog?.[0]?.mediatype, 'text/plain')
    assert.equal(validateVcon(result.vcon).valid, true)
    // Idempotent: the upgraded vCon goes through unchanged.
    const again = await step.run(result.vcon, stepContext())
    assert.ok(again.kind === 'continue')
    assert.equal(again.changed, false)
    assert.equal(serializeVcon(again.vcon), serializeVcon(result.vcon))
  })

  test('an invalid vCon fails permanently, naming the pointer', async () => {
    const bad = {
      ...callVcon(),
      dialog: [{ type: 'incomplete', start: '2025-03-01T10:00:00Z', parties: [0] }],
    } as Vcon
    const result = await validateStepFactory.create('v', {}).run(bad, stepContext())
    assert.equal(result.kind, 'fail')
    assert.ok(result.kind === 'fail')
    assert.equal(result.permanent, true)
    assert.match(result.reason, /\/dialog\/0\/disposition/)
  })

  test('strict mode refuses what lenient mode accepts', async () => {
    // An attachment without start, party and dialog: an error only in strict mode (notes §a.6).
    const vcon: Vcon = {
      ...callVcon(),
      attachments: [{ purpose: 'note', encoding: 'none', body: 'x' }],
    }
    const lenient = await validateStepFactory
      .create('v', { mode: 'lenient' })
      .run(vcon, stepContext())
    const strict = await validateStepFactory
      .create('v', { mode: 'strict' })
      .run(vcon, stepContext())
    assert.equal(lenient.kind, 'continue')
    assert.equal(strict.kind, 'fail')
  })

  test('options are checked, naming the key', () => {
    assert.throws(
      () => validateStepFactory.create('v', { mode: 'loose' }),
      /options\.mode must be one of strict, lenient/,
    )
    assert.throws(
      () => validateStepFactory.create('v', { strict: true }),
      /options\.strict is not an option of the validate step/,
    )
    assert.throws(
      () => validateStepFactory.create('v', { upgrade: 'yes' }),
      /options\.upgrade must be true or false/,
    )
  })
})
