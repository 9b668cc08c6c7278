/**
 * @module A local HTTPS server on 127.0.0.1 for fetcher, pack and unpack tests, with the test-only certificate
 * of test/fixtures/tls (regenerate with make-certs.sh). It counts TCP connections and requests, so tests can
 * prove that a refused fetch never reached it.
 */
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

const tls = new URL('../fixtures/tls/', import.meta.url)

/** The PEM of the test CA that signed the server certificate (SAN IP:127.0.0.1, IP:::1, DNS:localhost). */
export const TEST_CA = readFileSync(new URL('ca.crt', tls), 'utf8')

/** A running test server. */
export interface TestServer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string
  readonly port: number
  /** TCP connections accepted so far. */
  readonly connections: () => number
  /** Request paths received so far, in order. */
  readonly requests: string[]
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Starts a server on an ephemeral port of 127.0.0.1. */
export async function startHttpsServer(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const requests: string[] = []
  let connections = 0
  const server = createServer(
    {
      key: readFileSync(new URL('server.key', tls)),
      cert: readFileSync(new URL('server.crt', tls)),
    },
    (req, res) => {
      requests.push(req.url ?? '')
      handler(req, res)
    },
  )
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // A client that gives up (size limit, timeout) resets the connection; that is expected here.
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
