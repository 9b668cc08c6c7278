/**
 * @module The validator: every rule of the 0.4.0 model (notes §a), reported in full with JSON pointers.
 * Hand-written rather than schema-driven, because the server runs it on every request and the per-type and
 * cross-field rules do not fit a JSON Schema.
 */
import { defaultRegistry } from '../extensions/default-registry.js'
import type { ExtensionRegistry } from '../extensions/registry.js'
import { VCON_VERSION } from '../model/vocabulary.js'
import { checkAnalysis } from './check-analysis.js'
import { checkAttachment } from './check-attachment.js'
import { checkContentHash, checkUrl, isEmptyObject, truncate } from './check-content.js'
import { checkDialog } from './check-dialog.js'
import { checkExtensions } from './check-extensions.js'
import { checkDate } from './check-fields.js'
import { checkParty } from './check-party.js'
import { checkReferences } from './check-references.js'
import { type Issue, IssueCollector, type ValidationMode } from './issue.js'
import { isObject, isRfcUuid, isUuidSyntax } from './primitives.js'

/** Options of `validateVcon`. */
export interface ValidateOptions {
  /** `strict`: the draft's MUSTs are errors. `lenient` (default): MUSTs that real files break are warnings. */
  readonly mode?: ValidationMode
  /** The extensions this reader supports; `defaultRegistry` when omitted. */
  readonly registry?: ExtensionRegistry
}

/** The outcome of validation: `valid` is false when any issue has severity `error`. */
export interface ValidationResult {
  readonly valid: boolean
  readonly issues: readonly Issue[]
}

const EMPTY: readonly unknown[] = []

/**
 * Validates a vCon object in the 0.4.0 shape and lists every problem. Does not upgrade legacy files (use
 * `parseVcon` in lenient mode, or `upgradeVcon` first) and never throws.
 *
 * @example
 * const { valid, issues } = validateVcon(JSON.parse(text), { mode: 'strict' })
 */
export function validateVcon(vcon: unknown, options: ValidateOptions = {}): ValidationResult {
  const c = new IssueCollector(options.mode ?? 'lenient')
  if (!isObject(vcon)) {
    c.report('must', '', 'wrong-type', 'A vCon must be a JSON object.')
    return { valid: false, issues: c.issues }
  }
  checkTopLevel(vcon, c)
  const parties = arrayField(vcon, 'parties', c)
  const dialogs = arrayField(vcon, 'dialog', c)
  const analyses = arrayField(vcon, 'analysis', c)
  const attachments = arrayField(vcon, 'attachments', c)
  if (parties.length === 0) {
    c.report(
      'should',
      '/parties',
      'missing-parties',
      'The vCon names no parties; add at least one party object ({} for an unknown participant).',
    )
  }
  for (let i = 0; i < parties.length; i++) checkParty(parties[i], `/parties/${i}`, c)
  for (let i = 0; i < dialogs.length; i++) checkDialog(dialogs[i], `/dialog/${i}`, c)
  for (let i = 0; i < analyses.length; i++) checkAnalysis(analyses[i], `/analysis/${i}`, c)
  for (let i = 0; i < attachments.length; i++)
    checkAttachment(attachments[i], `/attachments/${i}`, c)
  checkReferences({ parties, dialogs, attachments }, analyses, c)
  checkExtensions(vcon, options.registry ?? defaultRegistry, c)
  return { valid: !c.hasErrors, issues: c.issues }
}

function arrayField(
  vcon: Record<string, unknown>,
  key: string,
  c: IssueCollector,
): readonly unknown[] {
  const value = vcon[key]
  if (value === undefined) return EMPTY
  if (Array.isArray(value)) return value
  c.report(
    'must',
    `/${key}`,
    'wrong-type',
    `${key} must be an array${value === null ? ' (to say there are none, give [] or leave the field out)' : ''}.`,
  )
  return EMPTY
}

function checkTopLevel(vcon: Record<string, unknown>, c: IssueCollector): void {
  const { vcon: version, uuid, subject } = vcon
  if (version !== undefined && version !== VCON_VERSION) {
    c.report(
      'strict',
      '/vcon',
      'version-not-current',
      `vcon is "${truncate(String(version))}" but only "0.4.0" is current; upgrade the file (vcon upgrade) or read it in lenient mode.`,
    )
  }
  if (uuid === undefined) {
    c.report('must', '/uuid', 'missing-field', 'A vCon needs a uuid (core draft §4.1.2).')
  } else if (typeof uuid !== 'string' || !isUuidSyntax(uuid)) {
    c.report(
      'must',
      '/uuid',
      'bad-uuid',
      `uuid ${typeof uuid === 'string' ? `"${truncate(uuid)}"` : ''} must be 8-4-4-4-12 hexadecimal, e.g. "019f15a6-a752-826f-b9a2-279e0d16bc46".`,
    )
  } else if (!isRfcUuid(uuid)) {
    c.report(
      'should',
      '/uuid',
      'uuid-not-rfc',
      'uuid has no RFC 9562 variant (or is nil); new vCons should use a version 8 uuid (core draft §4.1.2).',
    )
  }
  checkDate(vcon.created_at, '', 'created_at', c, 'strict')
  checkDate(vcon.updated_at, '', 'updated_at', c, 'optional')
  if (subject !== undefined && typeof subject !== 'string') {
    c.report('must', '/subject', 'wrong-type', 'subject must be a string.')
  }
  const redacted = vcon.redacted
  const amended = vcon.amended
  if (redacted !== undefined) checkReference(redacted, '/redacted', c, true)
  if (amended !== undefined) checkReference(amended, '/amended', c, false)
  if (!isEmptyRef(redacted) && !isEmptyRef(amended)) {
    c.report(
      'must',
      '',
      'redacted-and-amended',
      'A vCon may carry redacted or amended, not both; make two versions (core draft §4.1.8).',
    )
  }
  const group = vcon.group
  if (Array.isArray(group) && group.length > 0) {
    c.report(
      'should',
      '/group',
      'reserved-field',
      'group is reserved for a future extension (core-02 onward) and has no defined meaning; it is kept as is.',
    )
  }
}

function isEmptyRef(value: unknown): boolean {
  return value === undefined || value === null || isEmptyObject(value)
}

/** Checks a Redacted or Amended object (core draft §4.1.8, §4.1.9). */
function checkReference(
  value: unknown,
  pointer: string,
  c: IssueCollector,
  isRedacted: boolean,
): void {
  if (!isObject(value)) {
    // Some tools write other shapes here (a list of redacted paths); lenient reading keeps them as found.
    c.report(
      'strict',
      pointer,
      'wrong-type',
      `${pointer.slice(1)} must be an object naming the ${isRedacted ? 'less-redacted' : 'prior'} version ({ uuid, ... }).`,
    )
    return
  }
  const { uuid, type, url, content_hash: contentHash } = value
  if (uuid !== undefined && (typeof uuid !== 'string' || !isUuidSyntax(uuid))) {
    c.report(
      'must',
      `${pointer}/uuid`,
      'bad-uuid',
      'The referenced uuid must be 8-4-4-4-12 hexadecimal.',
    )
  }
  if (isRedacted) {
    if (type === undefined) {
      c.report(
        'strict',
        `${pointer}/type`,
        'missing-field',
        'redacted needs a type naming the kind of redaction, e.g. "PII Redaction"; an empty redacted {} should be removed.',
      )
    } else if (typeof type !== 'string') {
      c.report('must', `${pointer}/type`, 'wrong-type', 'redacted type must be a string.')
    }
  }
  if (url !== undefined) {
    checkUrl(url, `${pointer}/url`, c)
    if (contentHash === undefined) {
      c.report(
        'must',
        `${pointer}/content_hash`,
        'url-without-hash',
        'A reference with a url must carry the content_hash of the referenced vCon.',
      )
    }
  }
  if (contentHash !== undefined) checkContentHash(contentHash, `${pointer}/content_hash`, c)
}
