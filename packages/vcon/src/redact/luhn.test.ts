import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isLuhnValid, luhnCheckDigit } from './luhn.js'

describe('isLuhnValid', () => {
  test('accepts published test card numbers and the textbook example', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '4222222222222',
      '79927398713',
    ]) {
      assert.equal(isLuhnValid(n), true, n)
    }
  })

  test('rejects a changed last digit, non-digits and too-short input', () => {
    assert.equal(isLuhnValid('4111111111111112'), false)
    assert.equal(isLuhnValid('1234567812345678'), false)
    assert.equal(isLuhnValid('79927398710'), false)
    assert.equal(isLuhnValid('4111 1111 1111 1111'), false)
    assert.equal(isLuhnValid('0'), false)
    assert.equal(isLuhnValid(''), false)
  })

  test('luhnCheckDigit completes any digit string, and exactly one digit does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,18}$/), (partial) => {
        const d = luhnCheckDigit(partial)
        assert.equal(isLuhnValid(partial + d), true)
        const valid = '0123456789'.split('').filter((c) => isLuhnValid(partial + c))
        assert.deepEqual(valid, [d])
      }),
    )
  })

  test('a single changed digit is always caught', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12,18}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (partial, at, delta) => {
          const card = partial + luhnCheckDigit(partial)
          const i = at % card.length
          const changed = (Number(card[i]) + delta) % 10
          const typo = card.slice(0, i) + String(changed) + card.slice(i + 1)
          assert.equal(isLuhnValid(typo), false)
        },
      ),
    )
  })
})
