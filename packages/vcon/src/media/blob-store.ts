/**
 * @module Where unpacking puts content that leaves a vCon: the target behind `url` + `content_hash`
 * (core draft §2.4.2, notes §b.5). The library ships a local folder; the server adds object stores.
 */

/** What a store may use to name or describe a blob. `contentHash` is the sha512 token of the bytes. */
export interface BlobHint {
  readonly mediatype?: string
  readonly filename?: string
  readonly contentHash: string
}

/**
 * A place to keep external content. `put` must make the bytes retrievable, unchanged, over HTTPS at the url it
 * returns (core draft §2.4.2: url MUST be https; the consumer verifies `content_hash` against what it gets).
 */
export interface BlobStore {
  put(bytes: Uint8Array, hint: BlobHint): Promise<{ url: string }>
  /** Reads a blob back by the url `put` returned, or undefined when the url is not this store's or is gone. */
  get?(url: string): Promise<Uint8Array | undefined>
}
