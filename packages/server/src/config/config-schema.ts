/**
 * @module The configuration file's schema: keys (snake_case, as written in YAML or JSON), types,
 * ranges, defaults and descriptions, with the chains and privacy parts in config-schema-chains.ts and
 * config-schema-privacy.ts. The checker, the defaults and the published JSON Schema (config-schema.json) all
 * come from this tree. No file at all is a valid configuration: every key has a default.
 */
import {
  chainSchema,
  DEFAULT_CHAIN_NAME,
  DEFAULT_CHAIN_STEPS,
  DEFAULT_INGRESS_LIST,
  nameNode,
} from './config-schema-chains.js'
import { privacySchema } from './config-schema-privacy.js'
import type { ObjectNode, SchemaNode } from './schema-node.js'

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
