import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { detectForm, loadTrustAnchors, type SignedVcon, verifySignedVcon } from '@vconkit/vcon'
import { oneJob } from '../../../../test/support/one-job.js'
import { callVcon, FIXED_NOW, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { ServerError } from '../../../errors/server-error.js'
import { buildChains } from '../../build-chains.js'
import { runJob } from '../../run-job.js'
import { builtinStepRegistry } from '../../step-registry.js'
import { signStepFactory } from './index.js'

/** The project's test PKI (packages/vcon/test/fixtures/pki, made by make-pki.sh): root → intermediate → leaves. */
const pki = (file: string) =>
  readFileSync(new URL(`../../../../../vcon/test/fixtures/pki/${file}`, import.meta.url), 'utf8')
const env = {
  SIGN_KEY: pki('p256.key.pem'),
  SIGN_CHAIN: pki('p256.crt.pem') + pki('intermediate.crt.pem'),
  OTHER_KEY: pki('rsa.key.pem'),
}
const options = { keyEnv: 'SIGN_KEY', chainEnv: 'SIGN_CHAIN' }

function configError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (e: unknown) =>
      e instanceof ServerError && e.code === 'CONFIG_INVALID' && pattern.test(e.message),
  )
}

describe('sign step', () => {
  test('signs with the x5c chain; the JWS verifies against the root and carries the same vCon', async () => {
    const vcon = callVcon()
    const step = signStepFactory({ env }).create('sign', options)
    const result = await step.run(vcon, stepContext())
    assert.ok(result.kind === 'continue' && result.stored !== undefined)
    const jws = JSON.parse(result.stored) as SignedVcon
    assert.equal(detectForm(jws), 'signed')
    const verified = await verifySignedVcon(jws, {
      anchors: loadTrustAnchors(pki('root.crt.pem')),
      at: new Date(FIXED_NOW),
    })
    assert.equal(verified.vcon.uuid, vcon.uuid)
    assert.deepEqual(verified.vcon.parties, vcon.parties)
  })

  test('bad options name the key: missing, unset, not PEM, key not matching the certificate', () => {
    const make = (o: Record<string, unknown>, e: Record<string, string> = env) =>
      signStepFactory({ env: e }).create('sign', o)
    configError(() => make({ chainEnv: 'SIGN_CHAIN' }), /keyEnv/)
    configError(() => make({ ...options, keyEnv: 'NOT_SET' }), /keyEnv.*NOT_SET.*not set/)
    configError(() => make(options, { ...env, SIGN_KEY: 'not a key' }), /keyEnv.*PEM private key/)
    configError(
      () => make(options, { ...env, SIGN_CHAIN: 'nothing' }),
      /chainEnv.*PEM certificates/,
    )
    configError(() => make({ ...options, keyEnv: 'OTHER_KEY' }), /keyEnv cannot sign with this key/)
    configError(() => make({ ...options, extra: 1 }), /extra/)
  })

  test('must be the last step of its chain', () => {
    const registry = builtinStepRegistry({ env })
    const step = (use: string, o: Record<string, unknown> = {}) => ({
      use,
      name: use,
      options: o,
      timeoutMs: 5000,
    })
    const chain = (steps: ReturnType<typeof step>[]) => [
      { name: 'c', ingress: ['in'], egress: [], steps, concurrency: 1 },
    ]
    configError(
      () =>
        buildChains(chain([step('sign', options), step('tag', { tags: { a: 'b' } })]), registry),
      /steps\[0\].*sign step must be the last/,
    )
    assert.ok(
      buildChains(chain([step('tag', { tags: { a: 'b' } }), step('sign', options)]), registry),
    )
  })

  test('through the runner: the signed form is stored; running the job again leaves it as it is', async () => {
    const vcon = callVcon()
    const t = await oneJob(
      vcon,
      [
        {
          name: 'c',
          ingress: ['in'],
          egress: ['out'],
          concurrency: 1,
          steps: [
            { use: 'tag', name: 'tag', options: { tags: { signed: 'yes' } }, timeoutMs: 5000 },
            { use: 'sign', name: 'sign', options, timeoutMs: 5000 },
          ],
        },
      ],
      env,
    )
    assert.deepEqual(await runJob(t.job('c'), t.deps), { kind: 'done' })
    const stored = await t.store.get(vcon.uuid)
    assert.equal(detectForm(JSON.parse(stored?.json ?? '{}')), 'signed')
    assert.deepEqual(await runJob(t.job('c'), t.deps), { kind: 'done' })
    assert.equal((await t.store.get(vcon.uuid))?.json, stored?.json)
    assert.equal((await t.store.get(vcon.uuid))?.version, stored?.version)
  })
})
