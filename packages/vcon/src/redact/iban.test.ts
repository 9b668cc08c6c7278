import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ibanMod97, isValidIban } from './iban.js'

describe('isValidIban', () => {
  test('accepts registry examples, compact, printed in groups, or lowercase', () => {
    for (const iban of [
      'DE89370400440532013000',
      'GB82WEST12345698765432',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'NO9386011117947',
      'DE89 3704 0044 0532 0130 00',
      'gb82 west 1234 5698 7654 32',
    ]) {
      assert.equal(isValidIban(iban), true, iban)
    }
  })

  test('rejects a wrong check, a wrong length for the country and unknown countries', () => {
    assert.equal(isValidIban('GB82WEST12345698765433'), false)
    assert.equal(isValidIban('DE89370400440532013001'), false)
    assert.equal(isValidIban('DE8937040044053201300'), false)
    assert.equal(isValidIban('DE893704004405320130000'), false)
    assert.equal(isValidIban('XX89370400440532013000'), false)
    assert.equal(isValidIban('DE89-3704-0044-0532-0130-00'), false)
    assert.equal(isValidIban(''), false)
  })

  test('ibanMod97 is the ISO 13616 check on the compact form only', () => {
    assert.equal(ibanMod97('GB82WEST12345698765432'), true)
    assert.equal(ibanMod97('GB28WEST12345698765432'), false)
    assert.equal(ibanMod97('gb82west12345698765432'), false)
  })
})
