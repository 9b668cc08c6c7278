import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type AddressClass, classifyAddress, isPublicAddress } from './address-policy.js'

function expectAll(cases: readonly (readonly [string, AddressClass])[]): void {
  for (const [address, expected] of cases) {
    assert.equal(classifyAddress(address), expected, address)
  }
}

describe('classifyAddress: IPv4', () => {
  test('public addresses', () => {
    expectAll([
      ['8.8.8.8', 'public'],
      ['1.1.1.1', 'public'],
      ['140.82.112.3', 'public'],
      ['172.15.255.255', 'public'],
      ['172.32.0.0', 'public'],
      ['100.63.255.255', 'public'],
      ['100.128.0.0', 'public'],
      ['169.253.255.255', 'public'],
      ['223.255.255.255', 'public'],
    ])
  })

  test('loopback, private, link-local, unspecified, CGNAT, multicast, reserved', () => {
    expectAll([
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['10.255.255.255', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['100.64.0.1', 'cgnat'],
      ['100.127.255.255', 'cgnat'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.10', 'reserved'],
      ['198.18.0.1', 'reserved'],
    ])
  })
})

describe('classifyAddress: IPv6', () => {
  test('public addresses', () => {
    expectAll([
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001:80b::200e', 'public'],
      ['[2001:4860:4860::8888]', 'public'],
    ])
  })

  test('loopback, unspecified, unique local, link-local, multicast, documentation', () => {
    expectAll([
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['::', 'unspecified'],
      ['fc00::1', 'private'],
      ['fd12:3456:789a::1', 'private'],
      ['FD00::ABCD', 'private'],
      ['fec0::1', 'private'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf:ffff::1', 'link-local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'reserved'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ])
  })

  test('IPv4-mapped and other embedded IPv4 forms take the class of the IPv4 address', () => {
    expectAll([
      ['::ffff:127.0.0.1', 'loopback'],
      ['[::ffff:7f00:1]', 'loopback'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:a01:203', 'private'],
      ['::ffff:172.16.0.1', 'private'],
      ['::ffff:192.168.0.1', 'private'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['::ffff:100.64.0.1', 'cgnat'],
      ['::ffff:224.0.0.1', 'multicast'],
      ['::ffff:8.8.8.8', 'public'],
      ['::ffff:0:127.0.0.1', 'loopback'],
      ['::127.0.0.1', 'loopback'],
      ['::10.0.0.1', 'private'],
      ['::2', 'unspecified'],
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['64:ff9b::808:808', 'public'],
      ['64:ff9b:1::1', 'private'],
      ['2002:7f00:1::1', 'loopback'],
      ['2002:c0a8:101::1', 'private'],
      ['2002:808:808::1', 'public'],
    ])
  })
})

describe('classifyAddress: not addresses', () => {
  test('host names and junk are invalid, never public', () => {
    for (const value of [
      'localhost',
      'example.com',
      '',
      '1.2.3',
      '256.1.1.1',
      '::g',
      '[::1',
      '12345',
    ]) {
      assert.equal(classifyAddress(value), 'invalid', value)
      assert.equal(isPublicAddress(value), false, value)
    }
  })

  test('isPublicAddress agrees with classifyAddress', () => {
    assert.equal(isPublicAddress('8.8.8.8'), true)
    assert.equal(isPublicAddress('::ffff:127.0.0.1'), false)
  })
})
