import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { getTags, serializeVcon, type Vcon, validateVcon } from '@vconkit/vcon'
import { callVcon, FIXED_NOW, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { tagStepFactory } from './index.js'

async function run(vcon: Vcon, options: Record<string, unknown>) {
  const result = await tagStepFactory.create('t', options).run(vcon, stepContext())
  assert.ok(result.kind === 'continue')
  return result
}

describe('tag step', () => {
  test('creates the tags attachment the way the Conserver writes it', async () => {
    const input = callVcon()
    const before = serializeVcon(input)
    const result = await run(input, { tags: { category: 'sales', priority: 'high' } })
    assert.equal(result.changed, true)
    assert.equal(serializeVcon(input), before, 'the input is not mutated')
    const attachment = result.vcon.attachments?.[0]
    assert.deepEqual(attachment, {
      purpose: 'tags',
      start: '2025-03-01T10:00:00.000Z',
      party: 0,
      dialog: 0,
      encoding: 'json',
      body: ['category:sales', 'priority:high'],
    })
    assert.equal(validateVcon(result.vcon, { mode: 'strict' }).valid, true)
  })

  test('is idempotent: a second run adds nothing and reports no change', async () => {
    const step = tagStepFactory.create('t', { tags: ['category:sales', 'reviewed'] })
    const first = await step.run(callVcon(), stepContext())
    assert.ok(first.kind === 'continue')
    const second = await step.run(first.vcon, stepContext())
    assert.ok(second.kind === 'continue')
    assert.equal(second.changed, false)
    assert.equal(second.vcon, first.vcon)
    assert.deepEqual(getTags(second.vcon), { category: 'sales', reviewed: '' })
    assert.equal(second.vcon.attachments?.length, 1)
  })

  test('adds to the last existing tags attachment and reads legacy bodies', async () => {
    const vcon: Vcon = {
      ...callVcon(),
      attachments: [
        { type: 'tags', encoding: 'none', body: '{"source":"pbx"}' },
        { purpose: 'notes', encoding: 'none', body: 'x' },
      ],
    }
    const result = await run(vcon, { tags: { source: 'pbx', category: 'support' } })
    assert.equal(result.changed, true)
    assert.equal(result.vcon.attachments?.length, 2)
    assert.deepEqual(result.vcon.attachments?.[0], {
      type: 'tags',
      purpose: 'tags',
      encoding: 'json',
      body: ['source:pbx', 'category:support'],
    })
  })

  test('a tag set to another value is replaced', async () => {
    const first = await run(callVcon(), { tags: { stage: 'new' } })
    const second = await run(first.vcon, { tags: { stage: 'done' } })
    assert.equal(second.changed, true)
    assert.deepEqual(getTags(second.vcon), { stage: 'done' })
  })

  test('a vCon without created_at dates the new attachment with the clock', async () => {
    const { created_at: _c, ...rest } = callVcon()
    const result = await run(rest as Vcon, { tags: { a: 'b' } })
    assert.equal(result.vcon.attachments?.[0]?.start, new Date(FIXED_NOW).toISOString())
  })

  test('options are checked, naming the key', () => {
    assert.throws(() => tagStepFactory.create('t', {}), /options\.tags is required/)
    assert.throws(
      () => tagStepFactory.create('t', { tags: [] }),
      /options\.tags must name at least one tag/,
    )
    assert.throws(
      () => tagStepFactory.create('t', { tags: [':x'] }),
      /options\.tags\[0\] holds the tag name ""/,
    )
    assert.throws(
      () => tagStepFactory.create('t', { tags: { a: 1 } }),
      /options\.tags\.a must be a string/,
    )
  })
})
