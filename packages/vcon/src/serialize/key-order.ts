/**
 * @module The order of core parameters in each vCon object, as the core draft's tables list them (§4.1 vCon,
 * §4.2 Party, §4.3 Dialog, §4.4 Attachment, §4.5 Analysis), used to write vCons that read in the draft's order.
 */
import { CIVIC_ADDRESS_KEYS } from '../model/vocabulary.js'

/** How to lay out a value: the key order of an object and the layout of its children. */
export interface KeyLayout {
  /** Core keys in draft order when the value is an object; absent means every key sorted by code unit. */
  readonly order?: readonly string[]
  /** Layout of a child value by key (for objects). */
  readonly fields?: Readonly<Record<string, KeyLayout>>
  /** Layout of each element (for arrays). */
  readonly items?: KeyLayout
}

/** Plain data (bodies, extension fields): every object's keys sorted by code unit, recursively. */
export const SORTED: KeyLayout = {}

const CIVIC_ADDRESS: KeyLayout = { order: CIVIC_ADDRESS_KEYS }

const PARTY: KeyLayout = {
  order: [
    'tel',
    'sip',
    'stir',
    'mailto',
    'name',
    'did',
    'validation',
    'gmlpos',
    'civicaddress',
    'uuid',
    'type',
    'org',
    'dept',
  ],
  fields: { civicaddress: CIVIC_ADDRESS },
}

const PARTY_HISTORY: KeyLayout = { order: ['party', 'time', 'event', 'button'] }

const SESSION_ID_OBJECT: KeyLayout = { order: ['local', 'remote'] }

/** One object, an array of them, or an array of (object or array of objects), mirroring `parties`. */
const SESSION_ID: KeyLayout = {
  order: SESSION_ID_OBJECT.order,
  items: { order: SESSION_ID_OBJECT.order, items: SESSION_ID_OBJECT },
}

const CONTENT = ['mediatype', 'filename', 'body', 'encoding', 'url', 'content_hash'] as const

const DIALOG: KeyLayout = {
  order: [
    'type',
    'start',
    'duration',
    'parties',
    'originator',
    ...CONTENT,
    'disposition',
    'session_id',
    'party_history',
    'transferee',
    'transferor',
    'transfer_target',
    'original',
    'consultation',
    'target_dialog',
    'recordings',
    'recording_set',
    'application',
    'message_id',
  ],
  fields: { session_id: SESSION_ID, party_history: { items: PARTY_HISTORY } },
}

const ATTACHMENT: KeyLayout = { order: ['purpose', 'start', 'party', 'dialog', ...CONTENT] }

const ANALYSIS: KeyLayout = {
  order: [
    'type',
    'dialog',
    'attachment',
    'mediatype',
    'filename',
    'vendor',
    'product',
    'schema',
    'body',
    'encoding',
    'url',
    'content_hash',
  ],
}

const REDACTED: KeyLayout = { order: ['uuid', 'type', 'url', 'content_hash'] }

const AMENDED: KeyLayout = { order: ['uuid', 'url', 'content_hash'] }

/** core-01 only, reserved since (notes §a.10); kept in order if present. */
const GROUP: KeyLayout = { order: ['uuid', 'body', 'encoding', 'url', 'content_hash'] }

/** The top-level vCon object (core draft §4.1). */
export const VCON_LAYOUT: KeyLayout = {
  order: [
    'vcon',
    'uuid',
    'extensions',
    'critical',
    'created_at',
    'updated_at',
    'subject',
    'redacted',
    'amended',
    'group',
    'parties',
    'dialog',
    'analysis',
    'attachments',
  ],
  fields: {
    redacted: REDACTED,
    amended: AMENDED,
    group: { items: GROUP },
    parties: { items: PARTY },
    dialog: { items: DIALOG },
    analysis: { items: ANALYSIS },
    attachments: { items: ATTACHMENT },
  },
}

/** Orders the keys of one object: the layout's core keys first (those present), then the rest sorted. */
export function orderKeys(keys: readonly string[], layout: KeyLayout): string[] {
  const order = layout.order
  if (order === undefined) return [...keys].sort()
  const present = new Set(keys)
  const core = new Set(order)
  const head = order.filter((k) => present.has(k))
  const tail = keys.filter((k) => !core.has(k)).sort()
  return head.concat(tail)
}
