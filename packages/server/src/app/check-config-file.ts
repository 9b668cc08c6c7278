/**
 * @module What `vcon config check FILE` runs: the schema check of the file (every problem, with lines), then,
 * when that passes, the chains are built the way a start builds them, so unknown step types and bad step
 * options are reported too. Nothing is opened: no database, no queue, no port.
 */
import type { ConfigProblem } from '../config/config-error.js'
import { checkConfig, type Env } from '../config/load-config.js'
import type { ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import { buildChains } from '../pipeline/build-chains.js'
import { builtinStepRegistry } from '../pipeline/step-registry.js'
import { consentPolicyOf } from '../privacy/consent-policy.js'

export interface ConfigFileCheck {
  readonly ok: boolean
  readonly problems: readonly ConfigProblem[]
  readonly config?: ServerConfig
}

/**
 * Checks a configuration file without starting anything. `env` supplies the VCONKIT_* overrides and the
 * variables step options name (secretEnv, apiKeyEnv); default process.env.
 */
export async function checkConfigFile(
  file: string,
  env: Env = process.env,
): Promise<ConfigFileCheck> {
  const result = await checkConfig({ file, env })
  if (!result.ok) return { ok: false, problems: result.problems }
  try {
    const policy = consentPolicyOf(result.config.privacy)
    buildChains(result.config.chains, builtinStepRegistry({ env }), policy.vocabulary)
  } catch (error) {
    if (error instanceof ServerError && error.code === 'CONFIG_INVALID') {
      // build-chains.ts messages start with the key path (`chains[0].steps[1].options.url …`).
      const match = /^((?:chains|privacy)[^\s:]*):?\s+(.*)$/s.exec(error.message)
      const problem: ConfigProblem =
        match === null
          ? { path: '', message: error.message }
          : { path: match[1] as string, message: match[2] as string }
      return { ok: false, problems: [problem], config: result.config }
    }
    throw error
  }
  return { ok: true, problems: [], config: result.config }
}
