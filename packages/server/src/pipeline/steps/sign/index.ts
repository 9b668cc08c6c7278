/**
 * @module The `sign` step: signs the vCon as a JWS (core draft §5.2; signVcon in @vconkit/vcon) with the
 * organisation's key and its x5c certificate chain, both read from environment variables so that no secret is
 * in the configuration. The signed form is what is stored and handed on. A signed vCon cannot change without
 * breaking its signature, so `sign` must be the chain's last step (build-chains.ts checks it), and a chain that
 * meets a vCon already signed passes it through untouched (run-job.ts): the step is idempotent.
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto'
import { isVconError, loadTrustAnchors, type SigningAlgorithm, signVcon } from '@vconkit/vcon'
import {
  checkKeys,
  type Env,
  optEnum,
  optEnvSecret,
  optionError,
} from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

const KEYS = ['keyEnv', 'chainEnv', 'alg'] as const
const ALGS = ['RS256', 'ES256', 'ES384', 'EdDSA', 'PS256'] as const

/** The checked options: the key and its chain (leaf first), and an algorithm when not the key's default. */
export interface SignStepOptions {
  readonly key: KeyObject
  readonly chain: readonly X509Certificate[]
  readonly alg: SigningAlgorithm | undefined
}

export function readSignOptions(
  options: Readonly<Record<string, unknown>>,
  env: Env,
): SignStepOptions {
  checkKeys('sign', options, KEYS)
  const keyPem = optEnvSecret(options, 'keyEnv', env, { required: true }) as string
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem)
  } catch {
    throw optionError('keyEnv', 'names a variable that does not hold a PEM private key')
  }
  const chainPem = optEnvSecret(options, 'chainEnv', env, { required: true }) as string
  let chain: X509Certificate[]
  try {
    chain = loadTrustAnchors(chainPem)
  } catch {
    throw optionError(
      'chainEnv',
      'names a variable that does not hold PEM certificates (the signing certificate first, then its issuers)',
    )
  }
  const alg = options.alg === undefined ? undefined : optEnum(options, 'alg', ALGS)
  return { key, chain, alg }
}

/** Makes the sign step type. */
export function signStepFactory(deps: { readonly env: Env }): StepFactory {
  return {
    type: 'sign',
    create(name, raw) {
      const options = readSignOptions(raw, deps.env)
      // Fail at start, not on the first vCon: the key must fit the certificate and the algorithm.
      try {
        signVcon(
          { vcon: '0.4.0', uuid: '00000000-0000-8000-8000-000000000000', parties: [] },
          {
            key: options.key,
            chain: options.chain,
            ...(options.alg === undefined ? {} : { alg: options.alg }),
          },
        )
      } catch (error) {
        const why = isVconError(error) ? error.message : String(error)
        throw optionError('keyEnv', `cannot sign with this key and chain: ${why}`)
      }
      return {
        name,
        type: 'sign',
        last: true,
        async run(vcon, ctx) {
          try {
            const signed = signVcon(vcon, {
              key: options.key,
              chain: options.chain,
              ...(options.alg === undefined ? {} : { alg: options.alg }),
              now: () => new Date(ctx.now()),
            })
            return { kind: 'continue', vcon, changed: true, stored: JSON.stringify(signed) }
          } catch (error) {
            // An expired certificate or a vCon the library refuses: retrying will not help.
            const why = isVconError(error) ? error.message : String(error)
            return { kind: 'fail', reason: `cannot sign the vCon: ${why}`, permanent: true }
          }
        },
      }
    },
  }
}
