/**
 * @module The public API of @vconkit/server: explicit named exports, grouped by area.
 */

// Configuration, observability and the composition root (config/, observability/, app/)

export { adminTokenBanner, ensureAdminToken } from './app/bootstrap-token.js'
export { type ConfigFileCheck, checkConfigFile } from './app/check-config-file.js'
export type { AppContext } from './app/context.js'
export {
  type CreateAppContextOptions,
  type CreatedAppContext,
  createAppContext,
} from './app/create-app-context.js'
export { type CreatedToken, type CreateTokenOptions, createToken } from './app/create-token.js'
export { SQLITE_FILE_NAME, sqliteFile } from './app/open-backends.js'
export {
  EXIT_CONFIG_INVALID,
  EXIT_START_FAILED,
  EXIT_STOPPED,
  type RunServerOptions,
  runServer,
} from './app/run-server.js'
export { type RunningServer, type StartOptions, startServer } from './app/start-server.js'
export {
  ConfigInvalidError,
  type ConfigProblem,
  formatProblem,
  isConfigInvalidError,
} from './config/config-error.js'
export { CONFIG_SCHEMA } from './config/config-schema.js'
export { configJsonSchema } from './config/json-schema.js'
export {
  CONFIG_FILE_ENV,
  type ConfigCheck,
  type ConfigOverrides,
  checkConfig,
  ENV_OVERRIDES,
  type LoadConfigOptions,
  loadConfig,
  resolveConfig,
} from './config/load-config.js'
export type {
  ChainConfig,
  ConfiguredToken,
  LedgerConfig,
  ServerConfig,
  StepConfig,
} from './config/server-config.js'
export {
  createJsonLogger,
  isSecretKey,
  type JsonLoggerOptions,
  type LineSink,
  LOG_LEVELS,
  silentLogger,
} from './observability/json-logger.js'
export type { Logger, LogLevel } from './observability/logger.js'
export type { Labels, Metrics } from './observability/metrics.js'
export { createMetrics, type MetricsRegistry } from './observability/metrics-registry.js'

// HTTP API and tokens (http/, auth/)

export {
  authenticate,
  type RequestHeaders,
  type RequiredScope,
  requireScope,
} from './auth/authenticate.js'
export { type CachedTokenStoreOptions, cachedTokenStore } from './auth/cached-token-store.js'
export { createMemoryTokenStore } from './auth/memory-token-store.js'
export {
  type GeneratedTokenSecret,
  generateTokenSecret,
  hashTokenSecret,
  TOKEN_PREFIX,
} from './auth/token-secret.js'
export { renderDocsPage } from './http/docs-page.js'
export { ERROR_STATUS, statusOf } from './http/error-status.js'
export { createHttpServer, type HttpServer } from './http/http-server.js'
export { openApiDocument } from './http/openapi.js'

// Errors: the one error class; its code maps to an HTTP status

export {
  ServerError,
  type ServerErrorCode,
  type ServerErrorOptions,
} from './errors/server-error.js'

// Transparency ledger storage: the LedgerStorage adapters of @vconkit/ledger (SQLite file, PostgreSQL)

export {
  type ConserverLedger,
  type LedgerBackends,
  type OpenLedgerOptions,
  openConserverLedger,
  TRUSTED_ISSUERS_DIR,
} from './ledger/conserver-ledger.js'
export { LEDGER_KEY_FILES, loadOrCreateKey } from './ledger/ledger-keys.js'
export type {
  BuildOutboxEvent,
  LifecycleHead,
  LifecycleOutbox,
  OutboxEvent,
  OutboxItem,
  RegistrationOutcome,
} from './ledger/lifecycle-outbox.js'
export {
  createLifecycleRecorder,
  type LedgerRegistrar,
  type LifecycleInput,
  type LifecycleRecord,
  type LifecycleRecorder,
  type LifecycleRecorderOptions,
} from './ledger/lifecycle-recorder.js'
export { LIFECYCLE_SCOPE, LIFECYCLE_SQLITE_MIGRATIONS } from './ledger/lifecycle-schema.js'
export { LEDGER_POSTGRES_MIGRATIONS } from './ledger/postgres-ledger-schema.js'
export {
  createPostgresLedgerStorage,
  type PostgresLedgerStorage,
  type PostgresLedgerStorageOptions,
} from './ledger/postgres-ledger-storage.js'
export {
  createPostgresLifecycleOutbox,
  type PostgresLifecycleOutbox,
  type PostgresLifecycleOutboxOptions,
} from './ledger/postgres-lifecycle-outbox.js'
export { LIFECYCLE_POSTGRES_MIGRATIONS } from './ledger/postgres-lifecycle-schema.js'
export {
  createScrapiClient,
  type ScrapiClient,
  type ScrapiClientOptions,
} from './ledger/scrapi-client.js'
export { LEDGER_SCOPE, LEDGER_SQLITE_MIGRATIONS } from './ledger/sqlite-ledger-schema.js'
export {
  createSqliteLedgerStorage,
  type SqliteLedgerStorage,
  type SqliteLedgerStorageOptions,
} from './ledger/sqlite-ledger-storage.js'
export {
  createSqliteLifecycleOutbox,
  type SqliteLifecycleOutboxOptions,
} from './ledger/sqlite-lifecycle-outbox.js'

// Pipeline: chains, the runner, the step plugin interface, the built-in steps and vendor rate limits

export { buildChains } from './pipeline/build-chains.js'
export type { Chain, ChainSet } from './pipeline/chain-set.js'
export { compileCondition, type Predicate } from './pipeline/condition/condition.js'
export { optionError } from './pipeline/options/read-options.js'
export { type RunJobDeps, runJob } from './pipeline/run-job.js'
export type { Step, StepContext, StepFactory, StepResult } from './pipeline/step.js'
export {
  builtinStepFactories,
  builtinStepRegistry,
  createStepRegistry,
  type StepRegistry,
} from './pipeline/step-registry.js'
export {
  ANALYSE_SCHEMA,
  type AnalyseStepOptions,
  analyseStepFactory,
} from './pipeline/steps/analyse/index.js'
export type { BuiltinStepDeps } from './pipeline/steps/builtin-deps.js'
export { type FilterStepOptions, filterStepFactory } from './pipeline/steps/filter/index.js'
export {
  type RouteRule,
  type RouteStepOptions,
  routeStepFactory,
} from './pipeline/steps/route/index.js'
export { type SampleStepOptions, sampleStepFactory } from './pipeline/steps/sample/index.js'
export { type TagStepOptions, tagStepFactory } from './pipeline/steps/tag/index.js'
export {
  type TranscribeStepOptions,
  transcribeStepFactory,
} from './pipeline/steps/transcribe/index.js'
export { type ValidateStepOptions, validateStepFactory } from './pipeline/steps/validate/index.js'
export {
  type WebhookStepOptions,
  webhookSignature,
  webhookStepFactory,
} from './pipeline/steps/webhook/index.js'
export {
  createVendorRateLimiter,
  type LimiterClock,
  type RateLimit,
  type VendorRateLimiter,
} from './pipeline/vendor/rate-limiter.js'

// Queue: the port, and its adapters (SQLite table, Redis via BullMQ)

export type {
  ConsumeOptions,
  Consumer,
  DeadLetter,
  Job,
  JobInput,
  JobOutcome,
  Queue,
  RetryPolicy,
} from './ports/queue.js'
export { createRedisQueue, type RedisQueueOptions } from './queue/redis/redis-queue.js'
export { DEFAULT_RETRY_POLICY, retryDelayMs } from './queue/retry.js'
export { createSqliteQueue, type SqliteQueueOptions } from './queue/sqlite/sqlite-queue.js'

// Storage: the Store and TokenStore ports, index derivation, and their adapters (SQLite file, PostgreSQL)

export type {
  IndexFacts,
  InsertOptions,
  InsertOutcome,
  ListItem,
  ListPage,
  ListQuery,
  NewVcon,
  SearchHit,
  Store,
  StoredVcon,
} from './ports/store.js'
export type { TokenRecord, TokenScope, TokenStore } from './ports/token-store.js'
export {
  deriveIndex,
  MAX_INDEX_TEXT,
  normaliseMailto,
  normaliseName,
  normaliseTel,
} from './store/derive-index.js'
export {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/postgres-store.js'
export { createPostgresTokenStore } from './store/postgres/postgres-token-store.js'
export {
  createSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
} from './store/sqlite/sqlite-store.js'
export { createSqliteTokenStore } from './store/sqlite/sqlite-token-store.js'
