/**
 * @module A small client of a conserver's HTTP API for the commands that ask a running server to act
 * (`vcon privacy …`): the base URL, a token, and the server's JSON errors turned into one-line CLI errors.
 */
import { CliError } from '../cli-error.js'

export interface ServerClient {
  readonly url: string
  /** Sends a request; resolves with the response when its status is 2xx, else throws a CliError. */
  request(method: string, path: string, body?: unknown): Promise<Response>
}

/** The server's error message, from its `{"error": {"code", "message"}}` body when it has one. */
async function errorOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } }
    if (parsed.error?.message !== undefined)
      return `${parsed.error.code ?? response.status}: ${parsed.error.message}`
  } catch {
    // not JSON: fall through to the status
  }
  return `HTTP ${response.status}`
}

export function serverClient(url: string, token: string | undefined): ServerClient {
  let base: string
  try {
    base = new URL(url).toString().replace(/\/+$/, '')
  } catch {
    throw new CliError(
      `--server: ${JSON.stringify(url)} is not a URL; give the conserver's base URL, e.g. http://127.0.0.1:8000`,
    )
  }
  return {
    url: base,
    async request(method, path, body) {
      const headers: Record<string, string> = {}
      if (token !== undefined) headers.authorization = `Bearer ${token}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      let response: Response
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
      } catch (error) {
        throw new CliError(`--server: cannot reach ${base} (${(error as Error).message})`)
      }
      if (!response.ok) {
        const hint =
          response.status === 401 ? ' (pass an admin token with --token or $VCONKIT_TOKEN)' : ''
        throw new CliError(`${method} ${path}: ${await errorOf(response)}${hint}`)
      }
      return response
    },
  }
}
