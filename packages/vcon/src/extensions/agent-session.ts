/**
 * @module The `agent_session` extension (draft-howe-vcon-agent-session; notes §e.5): an AI agent as a party with
 * `meta.agent_session`, its internal trace as an analysis of type "agent_trace" (a VAC record), and its files
 * and artifacts as attachments with `agent_*` purposes. It also owns the `jwe` body encoding (notes §g.4).
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject, isUnsignedInt, parseContentHashToken } from '../validate/primitives.js'
import { isAgentParty, jsonObjectBody, listOf, readJsonBody, show } from './entry-access.js'
import type { ExtensionContext, VconExtension } from './extension.js'
import {
  checkArray,
  checkObject,
  checkString,
  type Place,
  placeOf,
  type Report,
} from './field-checks.js'
import { readLawfulBasis } from './read-lawful-basis.js'

/** The extension token. */
export const AGENT_SESSION = 'agent_session'

/** Attachment purposes the draft registers (agent-session §"Purpose Registry", §"Signing"). */
export const AGENT_PURPOSES = [
  'agent_file_change',
  'agent_artifact',
  'agent_environment',
  'scitt_receipt',
  'agent_trace_cose_sign1',
] as const

/** Purposes that belong to agent_session alone (scitt_receipt is also conserver practice, notes §e.3). */
const OWN_PURPOSES: readonly string[] = AGENT_PURPOSES.filter((p) => p !== 'scitt_receipt')

/** grants a lawful basis for an agent session SHOULD cover (agent-session §"Lawful Basis and Consent"). */
const EXPECTED_GRANTS = ['agent_session_recording', 'agent_session_analysis'] as const

function agentMeta(party: unknown): unknown {
  return isObject(party) && isObject(party.meta) ? party.meta.agent_session : undefined
}

function entriesWithJwe(vcon: unknown): [string, number][] {
  const out: [string, number][] = []
  for (const key of ['dialog', 'analysis', 'attachments']) {
    listOf(vcon, key).forEach((entry, i) => {
      if (isObject(entry) && entry.encoding === 'jwe') out.push([key, i])
    })
  }
  return out
}

const CONTENT_LISTS = ['dialog', 'analysis', 'attachments'] as const

/** True when any dialog, analysis or attachment uses the extension's `encoding: "jwe"` (plain loops: hot path). */
function hasJweEntry(vcon: unknown): boolean {
  for (const key of CONTENT_LISTS) {
    for (const entry of listOf(vcon, key))
      if (isObject(entry) && entry.encoding === 'jwe') return true
  }
  return false
}

/** The agent_session module. */
export const agentSessionExtension: VconExtension = {
  name: AGENT_SESSION,
  // The draft asks for it in critical when consumers must honour the trace (its example does so).
  mayBeCritical: true,
  detect(vcon) {
    // A party role "agent" alone is not evidence: the contact-centre extension uses the same role for people.
    // Plain loops: detect runs on every validation.
    for (const p of listOf(vcon, 'parties')) if (agentMeta(p) !== undefined) return true
    for (const a of listOf(vcon, 'analysis'))
      if (isObject(a) && a.type === 'agent_trace') return true
    for (const a of listOf(vcon, 'attachments')) {
      if (isObject(a) && typeof a.purpose === 'string' && OWN_PURPOSES.includes(a.purpose))
        return true
    }
    return hasJweEntry(vcon)
  },
  validate(ctx) {
    const report: Report = (level, pointer, code, message) =>
      ctx.report(level, pointer, code, message)
    const parties = listOf(ctx.vcon, 'parties')
    const agents = checkParties(report, parties)
    let traced = false
    listOf(ctx.vcon, 'analysis').forEach((analysis, i) => {
      if (!isObject(analysis) || analysis.type !== 'agent_trace') return
      traced = true
      checkTrace(report, analysis, i, agents)
    })
    let hasAgentData = traced || agents.providers.size > 0
    listOf(ctx.vcon, 'attachments').forEach((attachment, i) => {
      if (!isObject(attachment) || typeof attachment.purpose !== 'string') return
      if (!(AGENT_PURPOSES as readonly string[]).includes(attachment.purpose)) return
      if (OWN_PURPOSES.includes(attachment.purpose)) hasAgentData = true
      checkAttachment(report, attachment, i, parties)
    })
    checkJwe(ctx, report)
    if (hasAgentData) checkLawfulBasis(report, ctx.vcon)
  },
}

interface AgentIdentities {
  readonly providers: ReadonlySet<string>
  readonly models: ReadonlySet<string>
}

function checkParties(report: Report, parties: readonly unknown[]): AgentIdentities {
  const providers = new Set<string>()
  const models = new Set<string>()
  parties.forEach((party, i) => {
    const meta = agentMeta(party)
    if (meta === undefined || !isObject(party)) return
    const base = pointerJoin('', 'parties', i)
    const pointer = pointerJoin(base, 'meta', 'agent_session')
    const label = `party ${i}: meta.agent_session`
    if (!isAgentParty(party)) {
      report(
        'must',
        base,
        'extension-invalid',
        `Party ${i} carries meta.agent_session but is not marked as an agent; set role "agent" (and type "bot") (agent-session §"Representing the Agent as a Party").`,
      )
    }
    if (!isObject(meta)) {
      report('must', pointer, 'wrong-type', `${label} must be an object; got ${show(meta)}.`)
      return
    }
    const at = placeOf(meta, pointer, label)
    const model = checkString(report, at, 'model_id', { required: true })
    const provider = checkString(report, at, 'provider', { required: true })
    if (model !== undefined) models.add(model)
    if (provider !== undefined) providers.add(provider)
    checkString(report, at, 'recording_agent', { required: true, level: 'should' })
    checkObject(report, at, 'environment')
  })
  return { providers, models }
}

function checkTrace(
  report: Report,
  analysis: Readonly<Record<string, unknown>>,
  index: number,
  agents: AgentIdentities,
): void {
  const base = pointerJoin('', 'analysis', index)
  const at = placeOf(analysis, base, `agent_trace analysis ${index}`)
  const dialog = analysis.dialog
  if (dialog === undefined) {
    report(
      'must',
      pointerJoin(base, 'dialog'),
      'missing-field',
      `${at.label} needs "dialog": the turns it traces.`,
    )
  } else if (isUnsignedInt(dialog)) {
    report(
      'should',
      pointerJoin(base, 'dialog'),
      'extension-invalid',
      `${at.label}: "dialog" should be an array of dialog indices, e.g. [${dialog}] (agent-session §"Analysis Entry Shape").`,
    )
  } else if (!Array.isArray(dialog) || !dialog.every(isUnsignedInt)) {
    report(
      'must',
      pointerJoin(base, 'dialog'),
      'wrong-type',
      `${at.label}: "dialog" must be an array of dialog indices.`,
    )
  }
  // vendor is required by the core draft too; here it must also mirror the agent's provider.
  const vendor = typeof analysis.vendor === 'string' ? analysis.vendor : undefined
  const product = checkString(report, at, 'product', { required: true })
  const schema = checkString(report, at, 'schema', { required: true })
  if (vendor !== undefined && agents.providers.size > 0 && !agents.providers.has(vendor)) {
    report(
      'should',
      pointerJoin(base, 'vendor'),
      'extension-invalid',
      `${at.label}: "vendor" ${show(vendor)} should be the provider of an agent party (${[...agents.providers].join(', ')}).`,
    )
  }
  if (product !== undefined && agents.models.size > 0 && !agents.models.has(product)) {
    report(
      'should',
      pointerJoin(base, 'product'),
      'extension-invalid',
      `${at.label}: "product" ${show(product)} should be the model_id of an agent party (${[...agents.models].join(', ')}).`,
    )
  }
  checkTraceBody(report, at, schema)
}

function checkTraceBody(report: Report, at: Place, schema: string | undefined): void {
  const encoding = at.obj.encoding
  const bodyPointer = pointerJoin(at.base, 'body')
  if (at.obj.body === undefined) {
    // External content (url + content_hash) is allowed; its encoding is whatever the URL serves.
    if (typeof at.obj.url !== 'string') {
      report(
        'must',
        bodyPointer,
        'missing-field',
        `${at.label} needs a "body" holding the VAC record.`,
      )
    }
    return
  }
  if (encoding === 'jwe') return // checked with every jwe body (checkJwe)
  if (encoding === 'base64url') {
    // The CBOR variant: consumers learn the encoding from the schema URL (agent-session §"CBOR Encoding").
    if (schema !== undefined && !schema.includes('encoding=cbor')) {
      report(
        'must',
        pointerJoin(at.base, 'schema'),
        'extension-invalid',
        `${at.label} is base64url (CBOR), so "schema" must end in "?encoding=cbor" to say so.`,
      )
    }
    return
  }
  if (encoding !== 'json') {
    report(
      'must',
      pointerJoin(at.base, 'encoding'),
      'extension-invalid',
      `${at.label}: "encoding" is ${show(encoding)}; use "json" (or "base64url" for CBOR, "jwe" when encrypted).`,
    )
    return
  }
  const read = readJsonBody(at.obj)
  if (read.kind === 'absent') return
  if (read.kind === 'unparseable' || !isObject(read.value)) {
    report(
      'must',
      bodyPointer,
      'extension-invalid',
      `${at.label}: the body must be a JSON-encoded VAC record (an object); got ${read.kind === 'unparseable' ? 'a string that is not JSON' : show(read.value)}.`,
    )
    return
  }
  if (!read.fromString) {
    report(
      'should',
      bodyPointer,
      'extension-invalid',
      `${at.label}: the draft stores the VAC record as a JSON-encoded string; a native object was accepted.`,
    )
  }
  const trace = read.value['session-trace']
  if (!isObject(trace) || !Array.isArray(trace.entries)) {
    report(
      'should',
      pointerJoin(bodyPointer, 'session-trace'),
      'extension-invalid',
      `${at.label}: the VAC record should hold "session-trace" with an "entries" array.`,
    )
  }
}

function checkAttachment(
  report: Report,
  attachment: Readonly<Record<string, unknown>>,
  index: number,
  parties: readonly unknown[],
): void {
  const purpose = attachment.purpose
  const base = pointerJoin('', 'attachments', index)
  const label = `${String(purpose)} attachment ${index}`
  if (purpose === 'agent_trace_cose_sign1' && attachment.body !== undefined) {
    if (attachment.encoding !== 'base64url') {
      report(
        'should',
        pointerJoin(base, 'encoding'),
        'extension-invalid',
        `${label}: a COSE_Sign1 envelope is binary; store it with encoding "base64url".`,
      )
    }
    return
  }
  if (purpose !== 'agent_file_change') return
  // The party MUST identify the agent that made the change (agent-session §"File and Artifact Provenance").
  const party = attachment.party
  if (!isUnsignedInt(party) || (party < parties.length && !isAgentParty(parties[party]))) {
    report(
      'must',
      pointerJoin(base, 'party'),
      'extension-invalid',
      `${label}: "party" must be the index of the agent party (role "agent" or type "bot") that made the change.`,
    )
  }
  if (attachment.body === undefined) return // external content (url + content_hash) is allowed
  const body = jsonObjectBody(attachment)
  if (body === undefined) {
    report(
      'must',
      pointerJoin(base, 'body'),
      'extension-invalid',
      `${label}: the body must be a JSON object.`,
    )
    return
  }
  const at = placeOf(body, pointerJoin(base, 'body'), `${label} body`)
  checkString(report, at, 'path', { required: true })
  checkString(report, at, 'contributor')
  checkString(report, at, 'operation')
  checkString(report, at, 'commit')
  const range = checkArray(report, at, 'line_range')
  if (
    range !== undefined &&
    !(
      range.length === 2 &&
      isUnsignedInt(range[0]) &&
      isUnsignedInt(range[1]) &&
      range[0] <= range[1]
    )
  ) {
    report(
      'must',
      pointerJoin(at.base, 'line_range'),
      'extension-invalid',
      `${at.label}: "line_range" must be [first, last] line numbers with first ≤ last.`,
    )
  }
  const hash = checkString(report, at, 'content_hash')
  if (hash !== undefined && parseContentHashToken(hash) === undefined) {
    report(
      'must',
      pointerJoin(at.base, 'content_hash'),
      'bad-content-hash',
      `${at.label}: "content_hash" ${show(hash)} is not "<alg>-<base64url digest>" (core draft §2.4).`,
    )
  }
}

function checkJwe(ctx: ExtensionContext, report: Report): void {
  if (ctx.declared) return
  for (const [key, i] of entriesWithJwe(ctx.vcon)) {
    report(
      'should',
      pointerJoin('', key, i, 'encoding'),
      'extension-invalid',
      `${key}[${i}] uses encoding "jwe", which only the agent_session extension defines; list "agent_session" in extensions or decrypt the body.`,
    )
  }
}

function checkLawfulBasis(report: Report, vcon: unknown): void {
  const records = readLawfulBasis(vcon)
  if (records.length === 0) {
    report(
      'should',
      '/attachments',
      'extension-invalid',
      'An agent session should be governed by a lawful_basis attachment granting agent_session_recording and agent_session_analysis (agent-session §"Lawful Basis and Consent").',
    )
    return
  }
  const purposes = new Set(records.flatMap((r) => r.grants.map((g) => g.purpose)))
  const missing = EXPECTED_GRANTS.filter((p) => !purposes.has(p))
  if (missing.length > 0) {
    const first = records[0]?.attachment ?? 0
    report(
      'should',
      pointerJoin('', 'attachments', first),
      'extension-invalid',
      `The lawful basis of this agent session has no purpose_grants for ${missing.join(', ')}; add them (agent-session §"Lawful Basis and Consent").`,
    )
  }
}
