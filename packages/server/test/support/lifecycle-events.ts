/**
 * @module Test helpers for the conserver's lifecycle events: ingest a sample vCon over HTTP, and read one vCon's
 * events as `GET /v1/vcons/{uuid}/receipts` lists them once the recorder has flushed its queue.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sampleText } from './http-vcons.js'
import type { LedgerApp } from './start-ledger-app.js'

/** One event as the receipts route lists it (base64url bytes). */
export interface ListedEvent {
  readonly event: string
  readonly digest: string
  readonly document: {
    readonly prev: string | null
    readonly reason?: string
    readonly purposes?: readonly string[]
  }
  readonly statement: string
  readonly entryId: string | null
  readonly transparentStatement: string | null
}

/** Creates a sample vCon (with `extra` members) through `POST /v1/vcons[query]`; answers its uuid. */
export async function postSample(
  app: LedgerApp,
  extra: Record<string, unknown> = {},
  query = '',
): Promise<string> {
  const uuid = randomUUID()
  const created = await app.fetch(`/v1/vcons${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/vcon+json' },
    body: sampleText(uuid, extra),
  })
  assert.equal(created.status, 201, await created.clone().text())
  return uuid
}

/** The events of `uuid` in order, after everything recorded so far reached the outbox and was registered. */
export async function listedEvents(
  app: LedgerApp,
  uuid: string,
  token: string,
): Promise<ListedEvent[]> {
  await app.ctx.ledger?.recorder.flush()
  const listed = await app.fetch(`/v1/vcons/${uuid}/receipts`, { token })
  assert.equal(listed.status, 200)
  return ((await listed.json()) as { events: ListedEvent[] }).events
}
