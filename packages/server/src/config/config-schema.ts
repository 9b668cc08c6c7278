/**
 * @module The configuration file's schema, in one place: keys (snake_case, as written in YAML or JSON), types,
 * ranges, defaults and descriptions. The checker, the defaults and the published JSON Schema
 * (config-schema.json) all come from this tree. No file at all is a valid configuration: every key has a default.
 */
import { durationNode, privacySchema, purposeList } from './config-schema-privacy.js'
import type { ObjectNode, SchemaNode, StringNode } from './schema-node.js'

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

function nameNode(description: string, example: string): StringNode {
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

const chainSchema: ObjectNode = {
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

const tokenSchema: ObjectNode = {
  kind: 'object',
  description: 'An API token given by the hash of its secret (the file never holds a secret).',
  required: ['hash', 'scope'],
  fields: {
    hash: {
      kind: 'string',
      description: 'SHA-256 of the whole secret, lowercase hex: printf %s "$SECRET" | sha256sum.',
      pattern: '^[0-9a-f]{64}$',
      patternHint: 'a SHA-256 hash in lowercase hex (64 characters)',
      repair: (value) => value.trim().toLowerCase(),
    },
    scope: {
      kind: 'enum',
      values: ['admin', 'ingest', 'read'],
      description: 'admin: everything; ingest: create vCons; read: GET routes only.',
    },
    lists: {
      kind: 'array',
      minItems: 1,
      description: 'For ingest tokens: the only ingress lists it may post to (default: any).',
      items: nameNode('An ingress list name.', 'partner-a'),
    },
    label: {
      kind: 'string',
      description: 'A note for people (who holds the token).',
      example: 'partner A',
    },
  },
}

/** The whole file. */
export const CONFIG_SCHEMA: ObjectNode = {
  kind: 'object',
  description: 'vconkit conserver configuration (YAML or JSON; every key is optional).',
  ignored: ['$schema'],
  fields: {
    host: {
      kind: 'string',
      default: '127.0.0.1',
      description:
        'The address the HTTP API listens on (0.0.0.0 for every interface). Env: VCONKIT_HOST.',
      example: '127.0.0.1',
    },
    port: {
      kind: 'integer',
      unit: 'port',
      min: 0,
      max: 65_535,
      default: 8000,
      description: 'The HTTP port (0 picks a free one and logs it). Env: VCONKIT_PORT.',
    },
    data_dir: {
      kind: 'string',
      default: './data',
      description:
        'Folder of the embedded SQLite database and queue; relative to the config file (or the working folder). Env: VCONKIT_DATA_DIR.',
      example: './data',
    },
    database_url: {
      kind: 'string',
      pattern: '^postgres(ql)?://',
      patternHint: 'a PostgreSQL URL (postgres://user@host:5432/db)',
      description:
        'postgres://… stores vCons in PostgreSQL instead of the embedded SQLite file. Env: VCONKIT_DATABASE_URL.',
      example: 'postgres://vconkit@db:5432/vconkit',
    },
    redis_url: {
      kind: 'string',
      pattern: '^rediss?://',
      patternHint: 'a Redis URL (redis://host:6379)',
      description: 'redis://… moves the queue to Redis (BullMQ). Env: VCONKIT_REDIS_URL.',
      example: 'redis://redis:6379',
    },
    postgres: {
      kind: 'object',
      description: 'PostgreSQL storage (used when database_url is set).',
      fields: {
        schema: {
          kind: 'string',
          default: 'public',
          pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$',
          patternHint: 'a plain PostgreSQL identifier (letters, digits and _, at most 63)',
          repair: (value) => value.replace(/[^A-Za-z0-9_]+/g, '_').slice(0, 63),
          description:
            'The schema holding the tables (created on start); one per deployment sharing a database.',
          example: 'vconkit',
        },
        pool_size: {
          kind: 'integer',
          unit: 'count',
          min: 1,
          max: 1000,
          default: 10,
          description: 'Connections each process keeps open at most.',
        },
      },
    },
    redis: {
      kind: 'object',
      description: 'The Redis queue (used when redis_url is set).',
      fields: {
        prefix: {
          kind: 'string',
          default: 'vconkit',
          pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
          patternHint: "a key prefix of letters, digits, '.', '_' or '-'",
          description: 'Prefix of every Redis key; one per deployment sharing a Redis.',
          example: 'vconkit',
        },
      },
    },
    sqlite: {
      kind: 'object',
      description: 'The embedded SQLite database (used when database_url or redis_url is not set).',
      fields: {
        synchronous: {
          kind: 'enum',
          values: ['full', 'normal'],
          default: 'full',
          description:
            'full: an acknowledged write survives a power loss; normal: faster, survives a process crash but a power loss may lose the last commits.',
        },
        busy_timeout_ms: {
          kind: 'integer',
          unit: 'ms',
          min: 0,
          max: 600_000,
          default: 5000,
          description: 'How long a write waits for another process holding the write lock.',
        },
      },
    },
    validation: {
      kind: 'object',
      description: 'How ingest checks vCons.',
      fields: {
        mode: {
          kind: 'enum',
          values: ['lenient', 'strict'],
          default: 'lenient',
          description:
            'lenient: accept legacy versions and upgrade them to 0.4.0; strict: accept 0.4.0 vCons that meet every MUST.',
        },
      },
    },
    limits: {
      kind: 'object',
      description: 'Request size, rate and backlog limits.',
      fields: {
        max_body_bytes: {
          kind: 'integer',
          unit: 'bytes',
          min: 1024,
          default: 16 * 1024 * 1024,
          description: 'Largest request body (after gunzip) for one vCon; larger gets 413.',
        },
        max_bulk_bytes: {
          kind: 'integer',
          unit: 'bytes',
          min: 1024,
          default: 256 * 1024 * 1024,
          description: 'Largest NDJSON body of POST /v1/vcons:bulk.',
        },
        rate_per_second: {
          kind: 'integer',
          unit: 'per-second',
          min: 0,
          default: 0,
          description:
            'Requests per second per token (token bucket); 0 turns the limit off. Over it: 429.',
        },
        burst: {
          kind: 'integer',
          unit: 'count',
          min: 1,
          default: 1000,
          description: 'The token bucket size: requests a token may make at once above its rate.',
        },
        max_queue_depth: {
          kind: 'integer',
          unit: 'count',
          min: 1,
          default: 100_000,
          description:
            'When more jobs than this wait in the queue, ingest answers 503 with Retry-After.',
        },
      },
    },
    queue: {
      kind: 'object',
      description: 'Delivery of pipeline work (at least once).',
      fields: {
        lease_ms: {
          kind: 'integer',
          unit: 'ms',
          min: 1000,
          max: 3_600_000,
          default: 30_000,
          description:
            'How long a worker holds a job before another may take it (extended while it runs).',
        },
        max_attempts: {
          kind: 'integer',
          unit: 'count',
          min: 1,
          max: 100,
          default: 5,
          description: 'Deliveries of a job before it becomes a dead letter.',
        },
        backoff_ms: {
          kind: 'integer',
          unit: 'ms',
          min: 1,
          max: 3_600_000,
          default: 1000,
          description: 'First retry delay; doubled on each further attempt, with jitter.',
        },
      },
    },
    shutdown: {
      kind: 'object',
      description: 'Graceful shutdown (SIGTERM, SIGINT).',
      fields: {
        grace_ms: {
          kind: 'integer',
          unit: 'ms',
          min: 0,
          max: 600_000,
          default: 10_000,
          description:
            'How long running jobs may take to finish after a stop signal; the rest go back to the queue.',
        },
      },
    },
    ledger: {
      kind: 'object',
      description:
        'The SCITT transparency ledger of vCon lifecycle events (created, enhanced, sent, deleted).',
      fields: {
        mode: {
          kind: 'enum',
          values: ['embedded', 'remote', 'off'],
          default: 'embedded',
          description:
            'embedded: a ledger in the same database as the vCons, served at /entries; remote: register at the SCRAPI service `url`; off: record nothing.',
        },
        url: {
          kind: 'string',
          pattern: '^https?://',
          patternHint: 'an http(s) URL of a SCRAPI service (https://ledger.example)',
          description:
            'The SCRAPI service of mode remote (another vconkit conserver, for example). Its token: env VCONKIT_LEDGER_TOKEN.',
          example: 'https://ledger.example',
        },
        issuer: {
          kind: 'string',
          description:
            "The CWT iss of the embedded ledger's receipts and checkpoints (default urn:vconkit:ledger:<log key id>).",
          example: 'https://ledger.example',
        },
      },
    },
    tokens: {
      kind: 'array',
      default: [],
      description:
        'API tokens by hash, besides those made with `vcon token create`. With none at all, the first start creates an admin token and prints it once.',
      items: tokenSchema,
    },
    chains: {
      kind: 'array',
      default: [
        {
          name: DEFAULT_CHAIN_NAME,
          ingress: [DEFAULT_INGRESS_LIST],
          steps: [...DEFAULT_CHAIN_STEPS],
        },
      ],
      description: `The pipelines. Default: one chain "${DEFAULT_CHAIN_NAME}" reading the "${DEFAULT_INGRESS_LIST}" list with the steps ${DEFAULT_CHAIN_STEPS.join(', ')}.`,
      items: chainSchema,
    },
    privacy: privacySchema,
    log: {
      kind: 'object',
      description: 'Logging: JSON lines on standard output.',
      fields: {
        level: {
          kind: 'enum',
          values: ['debug', 'info', 'warn', 'error', 'silent'],
          default: 'info',
          description: 'Lines below this level are dropped. Env: VCONKIT_LOG_LEVEL.',
        },
      },
    },
  },
}

/** The schema of one top-level key (used for environment overrides). */
export function fieldSchema(key: string): SchemaNode {
  const node = CONFIG_SCHEMA.fields[key]
  if (node === undefined) throw new Error(`config-schema: no key ${key}`)
  return node
}
