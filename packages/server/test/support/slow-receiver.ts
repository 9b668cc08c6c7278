/**
 * @module Test helper: a slow webhook receiver on loopback. It holds every delivery for `delayMs` before answering
 * 200, records deliveries by vCon uuid (a redelivery counts again, so at-least-once is visible), and counts the
 * requests whose sender went away before the answer (a worker killed in the middle of the step). Processes given
 * different webhook secrets are told apart by the request's signature, so a test knows which one is mid-step.
 */
import { createServer, type Server } from 'node:http'
import { webhookSignature } from '../../src/pipeline/steps/webhook/index.js'

export interface SlowReceiver {
  readonly url: string
  /** Completed deliveries per vCon uuid. */
  readonly delivered: ReadonlyMap<string, number>
  /** Requests being held right now (only those signed with `sender`'s secret, when given). */
  inFlight(sender?: string): number
  /** Requests whose connection closed before the answer was sent (only `sender`'s, when given). */
  aborted(sender?: string): number
  close(): Promise<void>
}

/** `senders`: a label per webhook secret, to tell the sending processes apart. */
export async function startSlowReceiver(
  delayMs: number,
  senders: Readonly<Record<string, string>> = {},
): Promise<SlowReceiver> {
  const delivered = new Map<string, number>()
  const inFlight = new Map<string, number>()
  const aborted = new Map<string, number>()
  const bump = (map: Map<string, number>, key: string, by: number) =>
    map.set(key, (map.get(key) ?? 0) + by)
  const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0)
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let sender: string | undefined
    let answered = false
    res.on('close', () => {
      if (sender === undefined) return
      if (!answered) bump(aborted, sender, 1)
      bump(inFlight, sender, -1)
    })
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const timestamp = String(req.headers['x-vconkit-timestamp'])
      const signature = req.headers['x-vconkit-signature']
      sender =
        Object.entries(senders).find(
          ([, secret]) => webhookSignature(secret, timestamp, body) === signature,
        )?.[0] ?? 'unknown'
      bump(inFlight, sender, 1)
      setTimeout(() => {
        if (res.destroyed) return
        let uuid = 'unparsed'
        try {
          uuid = String((JSON.parse(body) as { uuid: unknown }).uuid)
        } catch {}
        answered = true
        delivered.set(uuid, (delivered.get(uuid) ?? 0) + 1)
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = address !== null && typeof address === 'object' ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/hook`,
    delivered,
    inFlight: (who) => (who === undefined ? sum(inFlight) : (inFlight.get(who) ?? 0)),
    aborted: (who) => (who === undefined ? sum(aborted) : (aborted.get(who) ?? 0)),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
