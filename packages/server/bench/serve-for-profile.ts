/**
 * Starts the embedded-default API alone (no workers) for profiling (`node --cpu-prof`), prints
 * `{"url","token"}` on stdout, and stops after BENCH_SERVE_SECONDS (default 15).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext } from '../src/app/create-app-context.js'
import { startServer } from '../src/app/start-server.js'
import { generateTokenSecret } from '../src/auth/token-secret.js'
import { resolveConfig } from '../src/config/load-config.js'
import { silentLogger } from '../src/observability/json-logger.js'

const dir = await mkdtemp(join(tmpdir(), 'vconkit-prof-'))
const admin = generateTokenSecret()
const resolved = resolveConfig({
  text: `host: 127.0.0.1\nport: 0\nlog: { level: silent }\ntokens: [{ hash: ${admin.hash}, scope: admin }]\n${process.env.BENCH_YAML ?? ''}\n`,
  env: {},
  overrides: { dataDir: dir },
})
if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems))
const ctx = await createAppContext(resolved.config, {
  log: silentLogger(),
  bootstrapToken: false,
  env: {},
})
const server = await startServer(ctx, { api: true, workers: false, handleSignals: false })
process.stdout.write(`${JSON.stringify({ url: `${server.url}/v1/vcons`, token: admin.secret })}\n`)
await new Promise((resolve) =>
  setTimeout(resolve, Number(process.env.BENCH_SERVE_SECONDS ?? 15) * 1000),
)
await server.stop()
await rm(dir, { recursive: true, force: true })
