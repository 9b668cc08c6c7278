/**
 * @module The vocabulary of processing purposes that consent enforcement understands. A grant or denial names a
 * purpose by a short token; enforcement must know which purposes exist (a typo must not silently match
 * nothing) and which are narrower than others (a denial of "ai" also denies "genai").
 *
 * Sources of the standard entries:
 * - lawful-basis-00 §5.2.3 names "recording", "transcription" and "analysis" as purposes, and its example
 *   (§5.3) denies "sentiment_analysis". Its predecessor consent-00 §13 requires "recording", "transcription",
 *   "analysis", "storage" and "sharing". Both drafts leave the list open ("e.g."), so the common
 *   call-recording purposes "analytics", "quality_assurance", "training" and "marketing" are added under the
 *   same source.
 * - The AI-preferences labels of draft-ietf-aipref-vocab-01 §6.1 (Table 1), with the "Subset Of" hierarchy of
 *   its registry (§9.1, Table 2): tdm is the root; ai, search and inference are subsets of tdm; genai is a
 *   subset of ai. consent-00 §13.1 adopts these labels for vCon consent.
 *
 * No link is assumed between the two families (automated "transcription" is not declared a kind of aipref
 * "inference"): such a link would silently widen every existing denial. Deployments that want one configure
 * their own narrower purposes.
 */
import { VconError } from '../errors/vcon-error.js'

/** One purpose of the vocabulary. */
export interface PurposeDefinition {
  readonly name: string
  readonly description: string
  /** Broader purposes this one falls under: a denial of a broader purpose also denies this one. */
  readonly broader: readonly string[]
  readonly source: 'lawful-basis-00' | 'aipref' | 'configured'
}

/** The purposes a vocabulary knows, with their hierarchy. */
export interface PurposeVocabulary {
  has(name: string): boolean
  get(name: string): PurposeDefinition | undefined
  /** name and every broader purpose, transitively, name first. Empty when `name` is not in the vocabulary. */
  lineage(name: string): readonly string[]
  list(): readonly PurposeDefinition[]
}

/** A configured purpose: a bare name, or a name with a description and broader purposes. */
export type PurposeConfig =
  | string
  | { readonly name: string; readonly description?: string; readonly broader?: readonly string[] }

/**
 * Purpose tokens: lowercase, starting with a letter. The aipref labels (§6.1) also allow "." and "*"; those are
 * left out so that a token never looks like a pattern.
 */
const PURPOSE_NAME = /^[a-z][a-z0-9_-]*$/
const MAX_NAME_LENGTH = 64

function standard(
  name: string,
  description: string,
  source: PurposeDefinition['source'],
  broader: readonly string[] = [],
): PurposeDefinition {
  return Object.freeze({ name, description, broader: Object.freeze([...broader]), source })
}

/** The built-in purposes (see the module comment for where each comes from). */
export const STANDARD_PURPOSES: readonly PurposeDefinition[] = Object.freeze([
  standard(
    'recording',
    'Capturing and keeping the audio, video or text of the conversation.',
    'lawful-basis-00',
  ),
  standard('transcription', 'Turning recorded speech into text.', 'lawful-basis-00'),
  standard(
    'analysis',
    'Analysing the content of the conversation (lawful-basis-00 §5.2.3).',
    'lawful-basis-00',
  ),
  standard(
    'sentiment_analysis',
    'Inferring the emotions or attitude of a party (the lawful-basis-00 §5.3 example).',
    'lawful-basis-00',
    ['analysis'],
  ),
  standard(
    'analytics',
    'Deriving statistics and reports from conversations, a kind of analysis.',
    'lawful-basis-00',
    ['analysis'],
  ),
  standard(
    'quality_assurance',
    'Reviewing conversations to check and improve service quality.',
    'lawful-basis-00',
  ),
  standard(
    'training',
    'Training staff with the conversation (coaching, "quality and training purposes"); training machine-learning models is the aipref "ai" purpose.',
    'lawful-basis-00',
  ),
  standard('marketing', 'Using the conversation or its parties for marketing.', 'lawful-basis-00'),
  standard(
    'sharing',
    'Disclosing the conversation to third parties (consent-00 §13).',
    'lawful-basis-00',
  ),
  standard(
    'storage',
    'Keeping the conversation after it ended (consent-00 §13).',
    'lawful-basis-00',
  ),
  standard(
    'tdm',
    'Text and data mining: any automated analytical technique (aipref-vocab §4.1).',
    'aipref',
  ),
  standard('ai', 'Training machine-learning or AI models (aipref-vocab §4.2).', 'aipref', ['tdm']),
  standard(
    'genai',
    'Training AI models that generate text, images or other content (aipref-vocab §4.3).',
    'aipref',
    ['ai'],
  ),
  standard(
    'search',
    'Building a search index or providing search results (aipref-vocab §4.4).',
    'aipref',
    ['tdm'],
  ),
  standard(
    'inference',
    'Using the conversation as input to a trained AI model (aipref-vocab §4.5).',
    'aipref',
    ['tdm'],
  ),
])

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/** Reads one configured entry into a definition; throws naming the entry when it is malformed. */
function configured(entry: unknown, index: number): PurposeDefinition {
  const label = `Configured purpose ${index}`
  const spec = typeof entry === 'string' ? { name: entry } : entry
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    bad(`${label} must be a purpose name or an object {name, description?, broader?}.`)
  }
  const { name, description, broader } = spec as Record<string, unknown>
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !PURPOSE_NAME.test(name)) {
    bad(
      `${label}: "name" must be a lowercase token of at most ${MAX_NAME_LENGTH} characters matching [a-z][a-z0-9_-]*, e.g. "publication".`,
    )
  }
  const named = `${label} ("${name}")`
  if (description !== undefined && typeof description !== 'string') {
    bad(`${named}: "description" must be a string.`)
  }
  if (
    broader !== undefined &&
    (!Array.isArray(broader) || !broader.every((b) => typeof b === 'string'))
  ) {
    bad(`${named}: "broader" must be an array of purpose names.`)
  }
  return Object.freeze({
    name,
    description: description ?? `Configured purpose "${name}".`,
    broader: Object.freeze([...new Set((broader as string[] | undefined) ?? [])]),
    source: 'configured',
  })
}

/** Throws when following `broader` links from a configured purpose leads back to it. */
function checkAcyclic(
  defs: ReadonlyMap<string, PurposeDefinition>,
  extra: readonly PurposeDefinition[],
): void {
  // Depth-first search with three colours; only configured entries can close a cycle, since standard entries
  // never name configured ones.
  const state = new Map<string, 'open' | 'done'>()
  const visit = (name: string, path: readonly string[]): void => {
    const seen = state.get(name)
    if (seen === 'done') return
    if (seen === 'open') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' → ')
      bad(
        `Configured purpose "${path[0]}" is part of a cycle of broader purposes (${cycle}); remove one link.`,
      )
    }
    state.set(name, 'open')
    for (const b of defs.get(name)?.broader ?? []) visit(b, [...path, name])
    state.set(name, 'done')
  }
  for (const def of extra) visit(def.name, [])
}

/**
 * A vocabulary of the standard purposes plus `extra` configured ones. Throws VconError naming the entry when a
 * configured purpose is malformed, duplicates a standard one, or names an unknown/cyclic broader purpose. A
 * configured purpose can only be narrower than existing ones, never broader (aipref-vocab §5.2 forbids new
 * categories that include existing ones).
 */
export function createPurposeVocabulary(extra: readonly PurposeConfig[] = []): PurposeVocabulary {
  if (!Array.isArray(extra))
    bad('The configured purposes must be an array of names or {name, description?, broader?}.')
  const defs = new Map<string, PurposeDefinition>(STANDARD_PURPOSES.map((p) => [p.name, p]))
  const added = extra.map((entry, i) => configured(entry, i))
  added.forEach((def, i) => {
    const existing = defs.get(def.name)
    if (existing !== undefined) {
      const why =
        existing.source === 'configured' ? 'is configured twice' : `duplicates a standard purpose`
      bad(`Configured purpose ${i} ("${def.name}") ${why}; remove it.`)
    }
    defs.set(def.name, def)
  })
  added.forEach((def, i) => {
    for (const b of def.broader) {
      if (!defs.has(b)) {
        bad(
          `Configured purpose ${i} ("${def.name}") names broader purpose "${b}", which is neither standard nor configured.`,
        )
      }
    }
  })
  checkAcyclic(defs, added)

  const lineages = new Map<string, readonly string[]>()
  const lineage = (name: string): readonly string[] => {
    const known = lineages.get(name)
    if (known !== undefined) return known
    if (!defs.has(name)) return EMPTY
    // Breadth-first, so nearer purposes come first; a purpose reached twice (diamond) is listed once.
    const out: string[] = [name]
    for (let i = 0; i < out.length; i++) {
      for (const b of defs.get(out[i] as string)?.broader ?? []) if (!out.includes(b)) out.push(b)
    }
    const frozen = Object.freeze(out)
    lineages.set(name, frozen)
    return frozen
  }
  const all = Object.freeze([...defs.values()])
  return {
    has: (name) => typeof name === 'string' && defs.has(name),
    get: (name) => (typeof name === 'string' ? defs.get(name) : undefined),
    lineage: (name) => (typeof name === 'string' ? lineage(name) : EMPTY),
    list: () => all,
  }
}

const EMPTY: readonly string[] = Object.freeze([])

/** The vocabulary of the standard purposes only, shared by callers that configure none. */
export const STANDARD_VOCABULARY: PurposeVocabulary = createPurposeVocabulary()
