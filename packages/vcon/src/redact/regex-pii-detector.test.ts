import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRegexPiiDetector } from './regex-pii-detector.js'

const detector = createRegexPiiDetector()

/** The detected pieces as `kind:text`, in order. */
function found(text: string, d = detector): string[] {
  return d.detect(text).map((s) => `${s.kind}:${text.slice(s.start, s.end)}`)
}

describe('createRegexPiiDetector: phones', () => {
  test('E.164 and national formats with separators', () => {
    assert.deepEqual(found('call +1 (555) 123-4567 or 555.123.4567 today'), [
      'phone:+1 (555) 123-4567',
      'phone:555.123.4567',
    ])
    assert.deepEqual(found('+44 20 7946 0958, +12345678901 and 020 7946 0958.'), [
      'phone:+44 20 7946 0958',
      'phone:+12345678901',
      'phone:020 7946 0958',
    ])
    assert.deepEqual(found('my number is 1234567890.'), ['phone:1234567890'])
    assert.deepEqual(found('tel:+15551234567'), ['phone:+15551234567'])
  })

  test('not years, times, dates, decimals, amounts or short numbers', () => {
    assert.deepEqual(
      found(
        'In 2022 at 12:30 on 2022-06-21 or 21.06.2022, 3.14159265, 1.234.567 and 1990-2020, ext 12345, v2025-07-31.0 2025-07-31.0',
      ),
      [],
    )
  })

  test('not inside uuids, hashes or timestamps', () => {
    assert.deepEqual(
      found(
        '2187e11a-3532-4498-b076-81fa530bdd49 04dc074100461f5082 2026-06-29T23:11:19.157Z id_5551234567',
      ),
      [],
    )
  })

  test('numbers side by side are all reported', () => {
    assert.deepEqual(found('555-123-4567 555.987.6543'), ['phone:555-123-4567 555.987.6543'])
    assert.deepEqual(found('555 123 4567 4111 1111 1111 1111'), [
      'phone:555 123 4567',
      'card:4111 1111 1111 1111',
    ])
  })
})

describe('createRegexPiiDetector: cards, ids, accounts, emails', () => {
  test('Luhn-valid card numbers, contiguous or grouped', () => {
    assert.deepEqual(
      found('4111 1111 1111 1111, 5555-5555-5555-4444, 378282246310005, 3782 822463 10005'),
      [
        'card:4111 1111 1111 1111',
        'card:5555-5555-5555-4444',
        'card:378282246310005',
        'card:3782 822463 10005',
      ],
    )
  })

  test('a 16-digit number failing Luhn is not a card', () => {
    assert.equal(
      detector.detect('ref 1234567812345678 ok').some((s) => s.kind === 'card'),
      false,
    )
    assert.deepEqual(found('ref 1234567812345678 ok'), [])
    assert.equal(
      detector.detect('4111 1111 1111 1112').some((s) => s.kind === 'card'),
      false,
    )
  })

  test('SSN and NI numbers, with the issuance rules', () => {
    assert.deepEqual(found('ssn 123-45-6789, ni AB 12 34 56 C'), [
      'national_id:123-45-6789',
      'national_id:AB 12 34 56 C',
    ])
    assert.equal(
      detector.detect('666-12-3456').some((s) => s.kind === 'national_id'),
      false,
    )
  })

  test('IBANs end at the registered length and need the mod-97 check', () => {
    assert.deepEqual(found('iban DE89 3704 0044 0532 0130 00 THANKS'), [
      'iban:DE89 3704 0044 0532 0130 00',
    ])
    assert.deepEqual(found('GB82WEST12345698765432'), ['iban:GB82WEST12345698765432'])
    assert.deepEqual(found('GB82WEST12345698765433'), [])
  })

  test('bank account numbers only after words that introduce them', () => {
    assert.deepEqual(found('my account number is 12345678, acct: 99-88-77-66'), [
      'bank_account:12345678',
      'bank_account:99-88-77-66',
    ])
    assert.deepEqual(found('order 123456 shipped'), [])
  })

  test('emails, with a trailing full stop left out', () => {
    assert.deepEqual(found('write to alice.j+x@mail.example.co.uk. or bob@example.com'), [
      'email:alice.j+x@mail.example.co.uk',
      'email:bob@example.com',
    ])
    assert.deepEqual(found('version 1.2@beta, user@localhost'), [])
  })
})

describe('createRegexPiiDetector: options', () => {
  test('knownNames: whole words, any case, full names and tokens of 3+ letters', () => {
    const d = createRegexPiiDetector({ knownNames: ['Alice Johnson', 'Li Na', 'Customer'] })
    assert.deepEqual(found('ALICE, alice johnson, Johnson, li na, Li, Alicel, customer', d), [
      'name:ALICE',
      'name:alice johnson',
      'name:Johnson',
      'name:li na',
    ])
  })

  test('kinds limits what is reported', () => {
    const d = createRegexPiiDetector({ kinds: ['email'] })
    assert.deepEqual(found('a@example.com 555-123-4567 4111111111111111', d), [
      'email:a@example.com',
    ])
    const cards = createRegexPiiDetector({ kinds: ['phone'] })
    assert.deepEqual(found('555 123 4567 4111 1111 1111 1111', cards), ['phone:555 123 4567'])
  })

  test('overlapping findings are merged into one span', () => {
    const spans = detector.detect('5551234567@sms.example.com')
    assert.deepEqual(spans, [{ start: 0, end: 26, kind: 'email' }])
  })
})
