/**
 * @module Build information for `/version` and `/health` (the Conserver's shape: version, git_commit,
 * build_time). The version is the package's; the commit and build time come from the environment the release
 * build sets (VCONKIT_GIT_COMMIT, VCONKIT_BUILD_TIME), since a source checkout has neither.
 */
import { readFileSync } from 'node:fs'

export interface VersionInfo {
  readonly version: string
  readonly git_commit: string
  readonly build_time: string
}

let cached: VersionInfo | undefined

function packageVersion(): string {
  try {
    // src/http/ and dist/http/ are both two levels below the package root.
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    const value: unknown = JSON.parse(text)
    const version = (value as { version?: unknown }).version
    return typeof version === 'string' ? version : 'unknown'
  } catch {
    return 'unknown'
  }
}

export function versionInfo(): VersionInfo {
  cached ??= {
    version: packageVersion(),
    git_commit: process.env.VCONKIT_GIT_COMMIT ?? 'unknown',
    build_time: process.env.VCONKIT_BUILD_TIME ?? 'unknown',
  }
  return cached
}
