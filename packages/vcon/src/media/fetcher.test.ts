import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { startHttpsServer, TEST_CA, type TestServer } from '../../test/support/https-test-server.js'
import { isVconError, type VconErrorCode } from '../errors/vcon-error.js'
import { createFetcher, describeUrl } from './fetcher.js'

const corpus = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const mp3 = readFileSync(new URL('ab_call.mp3', corpus))

/** Asserts a VconError with `code` whose message contains every fragment. */
async function rejectsWith(
  promise: Promise<unknown>,
  code: VconErrorCode,
  ...fragments: string[]
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isVconError(error), `expected a VconError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    for (const f of fragments)
      assert.ok(error.message.includes(f), `"${error.message}" lacks "${f}"`)
    return true
  })
}

let server: TestServer
const hanging = new Set<import('node:http').ServerResponse>()

before(async () => {
  server = await startHttpsServer((req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname
    if (path === '/ab_call.mp3') {
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': mp3.length })
      res.end(mp3)
    } else if (path === '/chunked.mp3') {
      // No Content-Length: the body is streamed in chunks.
      res.writeHead(200, { 'content-type': 'audio/mpeg' })
      for (let i = 0; i < mp3.length; i += 1000) res.write(mp3.subarray(i, i + 1000))
      res.end()
    } else if (path === '/endless') {
      // Streams forever without Content-Length: only a streaming size check stops it.
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      const chunk = Buffer.alloc(16 * 1024, 7)
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', pump)
      }
      pump()
    } else if (path === '/no-type') {
      res.writeHead(200, { 'content-length': 3 })
      res.end('abc')
    } else if (path === '/hang') {
      hanging.add(res)
    } else if (path === '/truncated') {
      res.writeHead(200, { 'content-length': 1000 })
      res.write(Buffer.alloc(10))
      setTimeout(() => res.socket?.destroy(), 20)
    } else if (path === '/redirect') {
      res.writeHead(302, { location: '/ab_call.mp3' })
      res.end()
    } else if (path === '/redirect-http') {
      res.writeHead(301, { location: `http://127.0.0.1:${server.port}/ab_call.mp3` })
      res.end()
    } else if (path === '/redirect-ip') {
      res.writeHead(307, { location: `https://127.0.0.1:${server.port}/ab_call.mp3` })
      res.end()
    } else {
      res.writeHead(404)
      res.end('not found')
    }
  })
})

after(async () => {
  for (const res of hanging) res.destroy()
  await server.close()
})

const trusted = { ca: TEST_CA, allowPrivateAddresses: true } as const

describe('createFetcher: fetching', () => {
  test('fetches the exact bytes and the Content-Type over HTTPS with the extra CA', async () => {
    const result = await createFetcher(trusted).fetch(`${server.origin}/ab_call.mp3`)
    assert.ok(Buffer.from(result.bytes).equals(mp3))
    assert.equal(result.bytes.length, 33537)
    assert.equal(result.mediatype, 'audio/mpeg')
  })

  test('a chunked body without Content-Length is assembled', async () => {
    const result = await createFetcher(trusted).fetch(`${server.origin}/chunked.mp3`)
    assert.ok(Buffer.from(result.bytes).equals(mp3))
  })

  test('no Content-Type gives no mediatype', async () => {
    const result = await createFetcher(trusted).fetch(`${server.origin}/no-type`)
    assert.equal(Buffer.from(result.bytes).toString(), 'abc')
    assert.equal(result.mediatype, undefined)
  })

  test('a certificate from an untrusted CA fails (no ca given)', async () => {
    await rejectsWith(
      createFetcher({ allowPrivateAddresses: true }).fetch(`${server.origin}/ab_call.mp3`),
      'VCON_FETCH_FAILED',
      `${server.origin}/ab_call.mp3`,
    )
  })

  test('a non-2xx status fails and names it', async () => {
    await rejectsWith(
      createFetcher(trusted).fetch(`${server.origin}/missing`),
      'VCON_FETCH_FAILED',
      'HTTP 404',
      '/missing',
    )
  })

  test('a connection closed before the body is complete fails', async () => {
    await rejectsWith(
      createFetcher(trusted).fetch(`${server.origin}/truncated`),
      'VCON_FETCH_FAILED',
    )
  })

  test('error messages leave out query strings and credentials (tokens in presigned urls)', async () => {
    const url = `https://user:secret@127.0.0.1:${server.port}/missing?X-Amz-Signature=topsecret`
    await assert.rejects(createFetcher(trusted).fetch(url), (error: unknown) => {
      assert.ok(isVconError(error))
      assert.ok(!error.message.includes('topsecret'), error.message)
      assert.ok(!error.message.includes('secret@'), error.message)
      assert.ok(error.message.includes(`https://127.0.0.1:${server.port}/missing?…`), error.message)
      return true
    })
    assert.equal(describeUrl('https://a.example/x?y=1#z'), 'https://a.example/x?…')
  })
})

describe('createFetcher: refusals (SSRF)', () => {
  test('loopback is refused without allowPrivateAddresses, before any connection', async () => {
    const connections = server.connections()
    const requests = server.requests.length
    await rejectsWith(
      createFetcher({ ca: TEST_CA }).fetch(`${server.origin}/ab_call.mp3`),
      'VCON_FETCH_REFUSED',
      '127.0.0.1',
      'loopback',
    )
    assert.equal(server.connections(), connections)
    assert.equal(server.requests.length, requests)
  })

  test('http:// and other schemes are refused before any connection', async () => {
    const connections = server.connections()
    const http = `http://127.0.0.1:${server.port}/ab_call.mp3`
    await rejectsWith(createFetcher(trusted).fetch(http), 'VCON_FETCH_REFUSED', 'not https', http)
    await rejectsWith(createFetcher(trusted).fetch('file:///etc/passwd'), 'VCON_FETCH_REFUSED')
    await rejectsWith(createFetcher(trusted).fetch('not a url'), 'VCON_FETCH_REFUSED')
    assert.equal(server.connections(), connections)
  })

  test('literal IP hosts in every spelling are checked', async () => {
    const fetcher = createFetcher({ ca: TEST_CA, timeoutMs: 2000 })
    const cases: readonly [string, string][] = [
      [`https://[::1]:${server.port}/`, 'loopback'],
      [`https://0x7f.1:${server.port}/`, 'loopback'],
      [`https://2130706433:${server.port}/`, 'loopback'],
      [`https://[::ffff:127.0.0.1]:${server.port}/`, 'loopback'],
      ['https://10.0.0.1/', 'private'],
      ['https://192.168.0.1/', 'private'],
      ['https://169.254.169.254/latest/meta-data/', 'link-local'],
      ['https://[fe80::1]/', 'link-local'],
      ['https://[fd00::1]/', 'private'],
      ['https://0.0.0.0/', 'unspecified'],
      ['https://100.64.0.1/', 'cgnat'],
      ['https://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ]
    const connections = server.connections()
    for (const [url, cls] of cases) await rejectsWith(fetcher.fetch(url), 'VCON_FETCH_REFUSED', cls)
    assert.equal(server.connections(), connections)
  })

  test('a host name resolving to a private address is refused before connecting', async () => {
    const connections = server.connections()
    const resolved: string[] = []
    const fetcher = createFetcher({
      ca: TEST_CA,
      resolve: async (name) => {
        resolved.push(name)
        return [{ address: '127.0.0.1', family: 4 }]
      },
    })
    const url = `https://media.example:${server.port}/ab_call.mp3`
    await rejectsWith(fetcher.fetch(url), 'VCON_FETCH_REFUSED', 'media.example', 'loopback', url)
    assert.deepEqual(resolved, ['media.example'])
    assert.equal(server.connections(), connections)
  })

  test('one private address among public ones is enough to refuse (no rebinding through a mix)', async () => {
    const fetcher = createFetcher({
      resolve: async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    })
    await rejectsWith(fetcher.fetch('https://mixed.example/x'), 'VCON_FETCH_REFUSED', '10.0.0.5')
  })

  test('allowHosts lets one named host reach a private address, and only that host', async () => {
    const resolve = async (): Promise<{ address: string; family: number }[]> => [
      { address: '127.0.0.1', family: 4 },
    ]
    const fetcher = createFetcher({ ca: TEST_CA, allowHosts: ['LOCALHOST'], resolve })
    const result = await fetcher.fetch(`https://localhost:${server.port}/ab_call.mp3`)
    assert.equal(result.bytes.length, mp3.length)
    await rejectsWith(
      fetcher.fetch(`https://other.example:${server.port}/ab_call.mp3`),
      'VCON_FETCH_REFUSED',
    )
  })
})

describe('createFetcher: redirects', () => {
  test('redirects are not followed by default', async () => {
    await rejectsWith(
      createFetcher(trusted).fetch(`${server.origin}/redirect`),
      'VCON_FETCH_FAILED',
      'redirects to',
      'maxRedirects',
    )
  })

  test('with maxRedirects a redirect is followed', async () => {
    const result = await createFetcher({ ...trusted, maxRedirects: 1 }).fetch(
      `${server.origin}/redirect`,
    )
    assert.ok(Buffer.from(result.bytes).equals(mp3))
  })

  test('each redirect target is re-checked: http is refused', async () => {
    await rejectsWith(
      createFetcher({ ...trusted, maxRedirects: 2 }).fetch(`${server.origin}/redirect-http`),
      'VCON_FETCH_REFUSED',
      'not https',
      'redirected to',
    )
  })

  test('each redirect target is re-checked: an allowed host cannot redirect to a private IP', async () => {
    const fetcher = createFetcher({
      ca: TEST_CA,
      maxRedirects: 2,
      allowHosts: ['localhost'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    const requests = server.requests.length
    await rejectsWith(
      fetcher.fetch(`https://localhost:${server.port}/redirect-ip`),
      'VCON_FETCH_REFUSED',
      'loopback',
    )
    assert.deepEqual(server.requests.slice(requests), ['/redirect-ip'])
  })
})

describe('createFetcher: limits', () => {
  test('a Content-Length above maxBytes is refused without reading the body', async () => {
    await rejectsWith(
      createFetcher({ ...trusted, maxBytes: 1000 }).fetch(`${server.origin}/ab_call.mp3`),
      'VCON_FETCH_TOO_LARGE',
      'Content-Length 33537',
      '/ab_call.mp3',
    )
  })

  test('a body without Content-Length is cut off once it passes maxBytes', async () => {
    await rejectsWith(
      createFetcher({ ...trusted, maxBytes: 1000 }).fetch(`${server.origin}/chunked.mp3`),
      'VCON_FETCH_TOO_LARGE',
      'above the limit of 1000 bytes',
    )
  })

  test('an endless body is aborted at maxBytes, not at the timeout', async () => {
    const started = Date.now()
    await rejectsWith(
      createFetcher({ ...trusted, maxBytes: 256 * 1024, timeoutMs: 20_000 }).fetch(
        `${server.origin}/endless`,
      ),
      'VCON_FETCH_TOO_LARGE',
    )
    assert.ok(Date.now() - started < 10_000)
  })

  test('maxBytes equal to the size is accepted', async () => {
    const result = await createFetcher({ ...trusted, maxBytes: mp3.length }).fetch(
      `${server.origin}/chunked.mp3`,
    )
    assert.equal(result.bytes.length, mp3.length)
  })

  test('a server that never answers times out', async () => {
    const started = Date.now()
    await rejectsWith(
      createFetcher({ ...trusted, timeoutMs: 300 }).fetch(`${server.origin}/hang`),
      'VCON_FETCH_TIMEOUT',
      '300 ms',
      '/hang',
    )
    const elapsed = Date.now() - started
    assert.ok(elapsed >= 250 && elapsed < 5000, `elapsed ${elapsed}`)
  })

  test('a peer that accepts TCP but never completes TLS times out', async () => {
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as import('node:net').AddressInfo
    try {
      await rejectsWith(
        createFetcher({ ...trusted, timeoutMs: 300 }).fetch(`https://127.0.0.1:${port}/x`),
        'VCON_FETCH_TIMEOUT',
      )
      assert.equal(sockets.size, 1)
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  test('bad options are VCON_BAD_ARGUMENT', () => {
    for (const options of [{ maxBytes: 0 }, { timeoutMs: -1 }, { maxRedirects: 1.5 }]) {
      assert.throws(
        () => createFetcher(options),
        (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT',
      )
    }
  })
})
