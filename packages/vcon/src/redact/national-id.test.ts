import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isUkNino, isUsSsn } from './national-id.js'

describe('isUsSsn', () => {
  test('accepts ###-##-#### and the spaced form', () => {
    assert.equal(isUsSsn('123-45-6789'), true)
    assert.equal(isUsSsn('078-05-1120'), true)
    assert.equal(isUsSsn('123 45 6789'), true)
  })

  test('rejects areas 000, 666 and 9xx, group 00, serial 0000 and other shapes', () => {
    for (const bad of [
      '000-12-3456',
      '666-12-3456',
      '900-12-3456',
      '999-12-3456',
      '123-00-4567',
      '123-45-0000',
      '123456789',
      '123-45 6789',
      '12-345-6789',
      '123-45-67890',
    ]) {
      assert.equal(isUsSsn(bad), false, bad)
    }
  })
})

describe('isUkNino', () => {
  test('accepts compact and paired forms', () => {
    assert.equal(isUkNino('AB123456C'), true)
    assert.equal(isUkNino('AB 12 34 56 C'), true)
    assert.equal(isUkNino('ce 12 34 56 d'), true)
  })

  test('rejects letters HMRC never allocates, bad prefixes and bad suffixes', () => {
    for (const bad of [
      'DA123456C',
      'QA123456C',
      'AO123456C',
      'GB123456A',
      'ZZ123456A',
      'AB123456E',
      'AB12345C',
    ]) {
      assert.equal(isUkNino(bad), false, bad)
    }
  })
})
