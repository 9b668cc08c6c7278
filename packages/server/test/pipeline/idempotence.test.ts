/**
 * Every built-in step, run twice on the same vCon (the second time on the first run's output, as after a
 * redelivery), gives the same vCon byte for byte, reports no change the second time, and makes no second
 * vendor call.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { serializeVcon, type Vcon } from '@vconkit/vcon'
import { builtinStepRegistry } from '../../src/pipeline/step-registry.js'
import { type FakeVendor, startFakeVendor } from '../support/fake-vendor.js'
import { callVcon, chatVcon, stepContext } from '../support/pipeline-vcons.js'

describe('built-in steps are idempotent', () => {
  let fake: FakeVendor
  before(async () => {
    fake = await startFakeVendor()
  })
  after(async () => {
    await fake.close()
  })

  const vendor = () => ({ baseUrl: fake.origin, allowInsecure: true })
  const cases: [string, string, () => Record<string, unknown>, () => Vcon][] = [
    ['validate', 'validate', () => ({ mode: 'strict' }), callVcon],
    [
      'validate (upgrading)',
      'validate',
      () => ({}),
      () => ({ ...callVcon(), vcon: undefined }) as Vcon,
    ],
    ['tag', 'tag', () => ({ tags: { a: '1', b: '2' } }), callVcon],
    ['route', 'route', () => ({ routes: [{ to: 'x' }] }), callVcon],
    ['filter', 'filter', () => ({ when: { pointer: '/parties' } }), callVcon],
    ['sample', 'sample', () => ({ fraction: 1 }), callVcon],
    ['transcribe (openai)', 'transcribe', () => ({ ...vendor() }), callVcon],
    ['transcribe (deepgram)', 'transcribe', () => ({ ...vendor(), api: 'deepgram' }), callVcon],
    ['analyse (summary)', 'analyse', () => ({ ...vendor(), kind: 'summary' }), chatVcon],
    ['analyse (sentiment)', 'analyse', () => ({ ...vendor(), kind: 'sentiment' }), chatVcon],
  ]

  for (const [label, use, options, input] of cases) {
    test(label, async () => {
      const step = builtinStepRegistry({ env: {} }).get(use)?.create(use, options())
      assert.ok(step)
      const first = await step.run(input(), stepContext())
      assert.equal(first.kind, 'continue', JSON.stringify(first))
      assert.ok(first.kind === 'continue')
      const calls = fake.requests.length
      const second = await step.run(first.vcon, stepContext({ attempt: 2 }))
      assert.ok(second.kind === 'continue')
      assert.equal(second.changed, false)
      assert.equal(serializeVcon(second.vcon), serializeVcon(first.vcon))
      assert.equal(fake.requests.length, calls, 'no second vendor call')
    })
  }
})
