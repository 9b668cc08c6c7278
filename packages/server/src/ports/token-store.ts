/**
 * @module The TokenStore port: API tokens, kept only as SHA-256 hashes, with their scope.
 */

/** admin: everything; ingest: create vCons (optionally only into some ingress lists); read: GET routes only. */
export type TokenScope = 'admin' | 'ingest' | 'read'

export interface TokenRecord {
  /** A short public identifier (the first characters after the prefix), safe to log. */
  readonly id: string
  /** SHA-256 of the whole secret, hex. */
  readonly hash: string
  readonly scope: TokenScope
  /** For ingest tokens: the ingress lists it may post to; undefined = any. */
  readonly lists?: readonly string[]
  readonly label?: string
  readonly createdAt: string
}

export interface TokenStore {
  add(record: TokenRecord): Promise<void>
  findByHash(hash: string): Promise<TokenRecord | undefined>
  list(): Promise<TokenRecord[]>
  revoke(id: string): Promise<boolean>
  count(): Promise<number>
}
