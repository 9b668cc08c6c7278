/**
 * @module Classifies IP addresses as public or not, so that a crafted vCon `url` cannot make the fetcher reach
 * loopback, private, link-local or other internal addresses (SSRF).
 */
import { BlockList, isIP } from 'node:net'

/** What kind of address an IP is. Only `public` may be fetched unless the caller allows more. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'invalid'

type Range = readonly [network: string, prefix: number]

/**
 * IPv4 special-purpose blocks (RFC 6890 and the IANA IPv4 Special-Purpose Address Registry). `reserved` holds
 * blocks that are never a legitimate media host: IETF protocol assignments, documentation, benchmarking, the
 * old class E space and the limited broadcast address.
 */
const V4: readonly (readonly [AddressClass, readonly Range[]])[] = [
  ['unspecified', [['0.0.0.0', 8]]],
  ['loopback', [['127.0.0.0', 8]]],
  [
    'private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  ],
  ['cgnat', [['100.64.0.0', 10]]],
  ['link-local', [['169.254.0.0', 16]]],
  ['multicast', [['224.0.0.0', 4]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4],
    ],
  ],
]

/**
 * IPv6 special-purpose blocks (RFC 6890, RFC 4193 unique local, RFC 3879 deprecated site-local, RFC 8215
 * local-use NAT64, RFC 6666 discard, RFC 3849 and RFC 9637 documentation, RFC 4380 Teredo, RFC 5180
 * benchmarking). Blocks that embed an IPv4 address are handled by `embeddedIpv4` instead.
 */
const V6: readonly (readonly [AddressClass, readonly Range[]])[] = [
  ['unspecified', [['::', 128]]],
  ['loopback', [['::1', 128]]],
  [
    'private',
    [
      ['fc00::', 7],
      ['fec0::', 10],
      ['64:ff9b:1::', 48],
    ],
  ],
  ['link-local', [['fe80::', 10]]],
  ['multicast', [['ff00::', 8]]],
  [
    'reserved',
    [
      ['100::', 64],
      ['2001::', 32],
      ['2001:2::', 48],
      ['2001:db8::', 32],
      ['3fff::', 20],
    ],
  ],
]

function buildLists(
  table: readonly (readonly [AddressClass, readonly Range[]])[],
  type: 'ipv4' | 'ipv6',
): readonly (readonly [AddressClass, BlockList])[] {
  return table.map(([cls, ranges]) => {
    const list = new BlockList()
    for (const [network, prefix] of ranges) list.addSubnet(network, prefix, type)
    return [cls, list] as const
  })
}

const V4_LISTS = buildLists(V4, 'ipv4')
const V6_LISTS = buildLists(V6, 'ipv6')

/** Parses an IPv6 address (with an optional trailing dotted quad, without zone) into 16 bytes. */
function ipv6Bytes(address: string): Uint8Array | undefined {
  let text = address
  const tail: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (text.indexOf('.', lastColon) !== -1) {
    const quad = text.slice(lastColon + 1).split('.')
    if (quad.length !== 4) return undefined
    for (const part of quad) {
      if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined
      tail.push(Number(part))
    }
    text = `${text.slice(0, lastColon + 1)}0:0`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':')
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : []
  const groups = halves.length === 2 ? 8 - head.length - rest.length : 0
  if (groups < 0 || (halves.length === 1 && head.length !== 8)) return undefined
  const all = [...head, ...new Array<string>(groups).fill('0'), ...rest]
  if (all.length !== 8) return undefined
  const bytes = new Uint8Array(16)
  all.forEach((group, i) => {
    const value = Number.parseInt(group, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  })
  if (tail.length === 4) bytes.set(tail, 12)
  return bytes
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false
  return true
}

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one a router or the OS would translate to:
 * IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated `::ffff:0:a.b.c.d` (RFC 2765), IPv4-compatible `::a.b.c.d`
 * (deprecated, RFC 4291 §2.5.5.1), the NAT64 well-known prefix `64:ff9b::/96` (RFC 6052) and 6to4 `2002::/16`
 * (RFC 3056). Without this, `[::ffff:127.0.0.1]` or `[64:ff9b::a00:1]` would slip past the IPv4 rules.
 */
function embeddedIpv4(bytes: Uint8Array): string | undefined {
  const quad = (at: number): string => Array.from(bytes.subarray(at, at + 4)).join('.')
  if (allZero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return quad(12)
  if (allZero(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && allZero(bytes, 10, 12)) {
    return quad(12)
  }
  const last = bytes[15] ?? 0
  if (allZero(bytes, 0, 12) && !(allZero(bytes, 12, 15) && last <= 1)) return quad(12)
  const nat64 = [0x00, 0x64, 0xff, 0x9b]
  if (nat64.every((b, i) => bytes[i] === b) && allZero(bytes, 4, 12)) return quad(12)
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return quad(2)
  return undefined
}

function classifyV4(address: string): AddressClass {
  for (const [cls, list] of V4_LISTS) if (list.check(address, 'ipv4')) return cls
  return 'public'
}

/**
 * Classifies a literal IP address (IPv4, or IPv6 with or without brackets or a zone id). Anything that is not
 * an IP address is `invalid`. IPv6 forms that embed an IPv4 address take the class of that IPv4 address.
 */
export function classifyAddress(address: string): AddressClass {
  let text = address
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const zone = text.indexOf('%')
  if (zone !== -1) text = text.slice(0, zone)
  const family = isIP(text)
  if (family === 4) return classifyV4(text)
  if (family !== 6) return 'invalid'
  const bytes = ipv6Bytes(text.toLowerCase())
  if (bytes === undefined) return 'invalid'
  const v4 = embeddedIpv4(bytes)
  if (v4 !== undefined) return classifyV4(v4)
  for (const [cls, list] of V6_LISTS) if (list.check(text, 'ipv6')) return cls
  return 'public'
}

/** True when `address` is an IP address that may be reached without `allowPrivateAddresses`. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public'
}
