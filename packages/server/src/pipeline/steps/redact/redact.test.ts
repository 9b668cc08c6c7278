import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Vcon, validateVcon } from '@vconkit/vcon'
import { oneJob } from '../../../../test/support/one-job.js'
import { chatVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { ServerError } from '../../../errors/server-error.js'
import { runJob } from '../../run-job.js'
import { derivedUuid, redactStepFactory } from './index.js'

const policy = { partyFields: ['tel', 'mailto', 'name'], text: { kinds: ['email', 'phone'] } }

function configError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (e: unknown) =>
      e instanceof ServerError && e.code === 'CONFIG_INVALID' && pattern.test(e.message),
  )
}

describe('redact step', () => {
  test('makes a redacted version with its own uuid, pointing at the original, which is left unchanged', async () => {
    const vcon = chatVcon()
    const result = await redactStepFactory
      .create('redact', { policy, to: 'shared' })
      .run(vcon, stepContext())
    assert.ok(result.kind === 'continue' && result.derived !== undefined)
    assert.equal(result.changed, false)
    assert.equal(result.vcon, vcon)
    const redacted = result.derived.vcon
    assert.equal(redacted.uuid, derivedUuid(vcon.uuid, stepContext().chain, 'redact'))
    assert.equal((redacted.redacted as { uuid?: string } | undefined)?.uuid, vcon.uuid)
    assert.deepEqual(result.derived.to, ['shared'])
    assert.equal(validateVcon(redacted, { mode: 'lenient' }).valid, true)
    for (const party of vcon.parties ?? []) {
      for (const value of [party.tel, party.mailto, party.name]) {
        if (value !== undefined)
          assert.ok(!result.derived.json.includes(value), `${value} is still there`)
      }
    }
  })

  test('the derived uuid is a UUIDv8, the same for the same original, chain and step', () => {
    const a = derivedUuid('0195e1c2-3b4a-8d5e-9f60-000000000001', 'c', 'redact')
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(derivedUuid('0195e1c2-3b4a-8d5e-9f60-000000000001', 'c', 'redact'), a)
    assert.notEqual(derivedUuid('0195e1c2-3b4a-8d5e-9f60-000000000001', 'c', 'redact-2'), a)
  })

  test('a bad policy or list is a configuration error naming the option', () => {
    configError(
      () => redactStepFactory.create('r', { policy: { partyfields: ['tel'] } }),
      /options\.policy.*partyfields/,
    )
    configError(() => redactStepFactory.create('r', { policy, to: [3] }), /options\.to/)
    configError(() => redactStepFactory.create('r', {}), /options\.policy/)
  })

  test('through the runner: stored once, sent to its list, a rerun adds nothing', async () => {
    const vcon: Vcon = chatVcon()
    const t = await oneJob(vcon, [
      {
        name: 'calls',
        ingress: ['in'],
        egress: [],
        concurrency: 1,
        steps: [
          { use: 'redact', name: 'redact', options: { policy, to: ['shared'] }, timeoutMs: 5000 },
        ],
      },
      {
        name: 'share',
        ingress: ['shared'],
        egress: [],
        concurrency: 1,
        steps: [{ use: 'validate', name: 'validate', options: {}, timeoutMs: 5000 }],
      },
    ])
    assert.deepEqual(await runJob(t.job('calls'), t.deps), { kind: 'done' })
    const newUuid = derivedUuid(vcon.uuid, 'calls', 'redact')
    const stored = await t.store.get(newUuid)
    assert.ok(stored !== undefined, 'the redacted version is not stored')
    assert.deepEqual(t.queue.enqueued, [
      { vconUuid: newUuid, chain: 'share', step: 0, list: 'shared' },
    ])
    assert.equal((await t.store.get(vcon.uuid))?.version, 1, 'the original was changed')
    assert.deepEqual(await runJob(t.job('calls'), t.deps), { kind: 'done' })
    assert.equal(
      (await t.store.get(newUuid))?.version,
      1,
      'the rerun stored the redacted version again',
    )
  })
})
