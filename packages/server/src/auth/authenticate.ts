/**
 * @module Who is calling: the token secret from `Authorization: Bearer` or the Conserver's
 * `x-conserver-api-token` header, hashed and looked up among the configured tokens and the TokenStore; and what
 * that token may do (`requireScope`). A request with no token or an unknown one is refused (fails closed).
 */
import { timingSafeEqual } from 'node:crypto'
import type { ConfiguredToken } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import type { TokenRecord, TokenScope, TokenStore } from '../ports/token-store.js'
import { hashTokenSecret, tokenIdOf } from './token-secret.js'

/** Request headers as node:http gives them (lowercase names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

/** Secrets are 4 + 12 + 1 + 43 characters; anything far longer is not a token and is not hashed. */
const MAX_SECRET_LENGTH = 512

const EPOCH = new Date(0).toISOString()

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The presented secret: `Authorization: Bearer T` first, then `x-conserver-api-token: T`. */
export function presentedSecret(headers: RequestHeaders): string | undefined {
  const authorization = single(headers.authorization)
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization)
    if (match?.[1] !== undefined) return match[1]
  }
  const conserver = single(headers['x-conserver-api-token'])?.trim()
  return conserver === undefined || conserver === '' ? undefined : conserver
}

function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  // Lengths of SHA-256 hex hashes are public (64); the comparison of the bytes is what must not leak.
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * The token that signs this request, or undefined when there is none or it matches no token. Hashes are
 * compared in constant time; every configured token is compared (no early exit), so timing does not reveal
 * which one matched.
 */
export async function authenticate(
  headers: RequestHeaders,
  tokens: TokenStore,
  configured: readonly ConfiguredToken[],
): Promise<TokenRecord | undefined> {
  const secret = presentedSecret(headers)
  if (secret === undefined || secret.length > MAX_SECRET_LENGTH) return undefined
  const hash = hashTokenSecret(secret)
  let found: ConfiguredToken | undefined
  for (const candidate of configured) {
    if (hashesEqual(candidate.hash.toLowerCase(), hash) && found === undefined) found = candidate
  }
  if (found !== undefined) {
    return {
      id: tokenIdOf(secret) ?? hash.slice(0, 12),
      hash,
      scope: found.scope,
      ...(found.lists === undefined ? {} : { lists: found.lists }),
      ...(found.label === undefined ? {} : { label: found.label }),
      createdAt: EPOCH,
    }
  }
  const stored = await tokens.findByHash(hash)
  return stored !== undefined && hashesEqual(stored.hash.toLowerCase(), hash) ? stored : undefined
}

/** What a route needs: `read` (GET routes), `ingest` (create routes) or `admin` (everything else). */
export type RequiredScope = TokenScope

/**
 * Throws ServerError FORBIDDEN unless `token` may do what `needed` names. admin may do everything; read may
 * read; ingest may create. An ingest token bound to lists may only post into those lists, and must name one
 * (`lists` = the ingress lists the request asks for).
 */
export function requireScope(
  token: TokenRecord,
  needed: RequiredScope,
  lists?: readonly string[],
): void {
  if (token.scope === 'admin') return
  if (token.scope !== needed) {
    const may = token.scope === 'read' ? 'only read (GET routes)' : 'only create vCons'
    throw new ServerError(
      'FORBIDDEN',
      `Token ${token.id} has scope "${token.scope}" and may ${may}; this route needs scope "${needed}" or "admin".`,
    )
  }
  if (needed !== 'ingest' || token.lists === undefined) return
  const allowed = token.lists
  const requested = lists ?? []
  if (requested.length === 0) {
    throw new ServerError(
      'FORBIDDEN',
      `Token ${token.id} may only post into the ingress lists ${allowed.join(', ')}; name one (?ingress=${allowed[0] ?? 'LIST'}).`,
    )
  }
  const outside = requested.filter((list) => !allowed.includes(list))
  if (outside.length > 0) {
    throw new ServerError(
      'FORBIDDEN',
      `Token ${token.id} may not post into ${outside.join(', ')}; it is bound to ${allowed.join(', ')}.`,
    )
  }
}
