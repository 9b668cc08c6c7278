/**
 * @module The consent policy of a server, from its `privacy:` configuration: the purpose vocabulary (standard
 * plus configured purposes) and what a vCon recording no lawful basis may be processed for.
 */
import { createPurposeVocabulary, isVconError, type PurposeVocabulary } from '@vconkit/vcon'
import type { PrivacyConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'

export interface ConsentPolicy {
  readonly vocabulary: PurposeVocabulary
  readonly noLawfulBasis: 'allow' | 'deny'
  /** With `noLawfulBasis: 'deny'`, the purposes (and their narrower purposes) still allowed. */
  readonly allowedWithoutBasis: readonly string[]
}

/**
 * @throws ServerError CONFIG_INVALID naming the key (`privacy.purposes[…]`, `privacy.allowed_without_basis[…]`)
 */
export function consentPolicyOf(privacy: PrivacyConfig): ConsentPolicy {
  let vocabulary: PurposeVocabulary
  try {
    vocabulary = createPurposeVocabulary(privacy.purposes)
  } catch (error) {
    if (!isVconError(error)) throw error
    throw new ServerError('CONFIG_INVALID', `privacy.purposes: ${error.message}`, { cause: error })
  }
  privacy.allowedWithoutBasis.forEach((purpose, i) => {
    if (!vocabulary.has(purpose)) {
      throw new ServerError(
        'CONFIG_INVALID',
        `privacy.allowed_without_basis[${i}]: "${purpose}" is not a known purpose; add it under privacy.purposes or fix the name`,
      )
    }
  })
  return {
    vocabulary,
    noLawfulBasis: privacy.noLawfulBasis,
    allowedWithoutBasis: privacy.allowedWithoutBasis,
  }
}
