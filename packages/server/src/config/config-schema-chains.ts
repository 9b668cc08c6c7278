/**
 * @module The configuration schema of pipelines: a chain (`chains[]`), its steps, and the name rules shared by
 * chains, steps and lists (config-schema.ts places them).
 */
import { durationNode, purposeList } from './config-schema-privacy.js'
import type { ObjectNode, StringNode } from './schema-node.js'

const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$'
const NAME_HINT = "a name of letters, digits, '.', '_' or '-' (starting with a letter or digit)"

/** "My Chain!" → "My-Chain": what a name that breaks the pattern most likely should be. */
function repairName(value: string): string | undefined {
  const repaired = value
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
  return repaired === '' ? undefined : repaired
}

export function nameNode(description: string, example: string): StringNode {
  return {
    kind: 'string',
    description,
    pattern: NAME_PATTERN,
    patternHint: NAME_HINT,
    repair: repairName,
    example,
  }
}

/** The default chain's name and ingress list: what `POST /vcon` without `ingress_lists` feeds. */
export const DEFAULT_CHAIN_NAME = 'default'
export const DEFAULT_INGRESS_LIST = 'default'
/** The default chain validates (upgrading legacy vCons first, in lenient mode); the vCon is stored on ingest. */
export const DEFAULT_CHAIN_STEPS: readonly string[] = ['validate']

const stepSchema: ObjectNode = {
  kind: 'object',
  description: 'One step of a chain.',
  required: ['use'],
  fields: {
    use: {
      ...nameNode(
        'The step type (validate, tag, route, filter, sample, webhook, transcribe, analyse, sign, redact, …).',
        'validate',
      ),
      patternHint: 'a step type name (letters, digits, ., _ or -)',
    },
    name: nameNode(
      'A name unique in the chain (defaults to `use`); dead letters and metrics name the step by it.',
      'tag-urgent',
    ),
    options: {
      kind: 'open-object',
      description: "The step type's own options; checked by the step when the chain is built.",
    },
    timeout_ms: {
      kind: 'integer',
      unit: 'ms',
      min: 1,
      max: 3_600_000,
      default: 30_000,
      description: 'How long one run of the step may take before it fails (and is retried).',
    },
    purposes: purposeList(
      "The processing purposes the step serves, checked against each party's lawful basis before it runs (default: the step type's own: transcribe → transcription, analyse → analytics and genai, webhook → sharing).",
    ),
  },
}

export const chainSchema: ObjectNode = {
  kind: 'object',
  description:
    'A named pipeline: where its vCons come from, its steps in order, and where they go.',
  required: ['name', 'ingress', 'steps'],
  fields: {
    name: nameNode('The chain name, unique in the file.', 'default'),
    ingress: {
      kind: 'array',
      minItems: 1,
      description: 'The ingress lists this chain reads (POST /vcon?ingress_lists=… feeds them).',
      items: nameNode('An ingress list name.', 'default'),
    },
    egress: {
      kind: 'array',
      default: [],
      description:
        'Lists the uuids of processed vCons are appended to (GET /vcon/egress takes them off).',
      items: nameNode('An egress list name.', 'processed'),
    },
    steps: {
      kind: 'array',
      minItems: 1,
      description:
        'The steps, in order: a step type name, or a mapping with use, name, options, timeout_ms.',
      items: {
        kind: 'shorthand',
        shorthandKey: 'use',
        description: 'A step: `- validate`, or `- use: tag` with options.',
        object: stepSchema,
      },
    },
    concurrency: {
      kind: 'integer',
      unit: 'count',
      min: 1,
      max: 1024,
      default: 4,
      description: 'How many vCons of this chain one worker process handles at once.',
    },
    retention: durationNode(
      'Maximum age of the vCons this chain ingests (by created_at); the retention sweeper deletes older ones.',
      '30d',
    ),
  },
}
