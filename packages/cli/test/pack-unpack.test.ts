import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startHttpsServer, type TestServer } from '../../vcon/test/support/https-test-server.js'
import { runCli, SPEC, STACK_FRAME, tempDir } from './support/run-cli.js'
import { TLS_CA } from './support/security-fixtures.js'

/** The draft's example with the recording inline (base64url WAV). */
const INTERNAL_RECORDING = join(SPEC, 'ab_call_int_rec.vcon')

describe('vcon unpack → vcon pack against a local HTTPS server', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let server: TestServer
  let blobs: string
  let original: { dialog: { body: string; encoding: string; filename: string }[] }

  before(async () => {
    dir = await tempDir()
    blobs = join(dir.path, 'blobs')
    original = JSON.parse(await readFile(INTERNAL_RECORDING, 'utf8'))
    server = await startHttpsServer((req, res) => {
      const path = req.url ?? ''
      const name = /^\/b\/([0-9a-f]{128})(?:\?.*)?$/.exec(path)?.[1]
      if (path.startsWith('/tampered/')) {
        res.writeHead(200, { 'content-type': 'audio/x-wav' }).end('not the recording')
        return
      }
      if (name === undefined) {
        res.writeHead(404).end()
        return
      }
      readFile(join(blobs, name)).then(
        (bytes) => res.writeHead(200, { 'content-type': 'audio/x-wav' }).end(bytes),
        () => res.writeHead(404).end(),
      )
    })
  })
  after(async () => {
    await server.close()
    await dir.cleanup()
  })

  /** Unpacks the example into `blobs` and writes the result to a file; returns its path and JSON. */
  async function unpacked(): Promise<{
    path: string
    vcon: Record<string, unknown> & { dialog: Record<string, unknown>[] }
  }> {
    const run = await runCli([
      'unpack',
      '--dir',
      blobs,
      '--base-url',
      `${server.origin}/b`,
      '-q',
      INTERNAL_RECORDING,
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '', '-q prints nothing')
    const path = join(dir.path, 'unpacked.vcon')
    await writeFile(path, run.stdout)
    return { path, vcon: JSON.parse(run.stdout) }
  }

  test('unpack moves the recording into DIR and points at it with url + content_hash', async () => {
    const { vcon } = await unpacked()
    const dialog = vcon.dialog[0] ?? {}
    const bytes = Buffer.from(original.dialog[0]?.body ?? '', 'base64url')
    assert.ok(bytes.length > 1000)
    const hex = createHash('sha512').update(bytes).digest('hex')
    assert.equal(dialog.url, `${server.origin}/b/${hex}`)
    assert.equal(
      dialog.content_hash,
      `sha512-${createHash('sha512').update(bytes).digest('base64url')}`,
    )
    assert.equal('body' in dialog, false)
    assert.equal('encoding' in dialog, false)
    assert.equal(dialog.mediatype, 'audio/x-wav')
    assert.equal(dialog.filename, 'ab_call.wav')
    assert.deepEqual(await readFile(join(blobs, hex)), bytes)
    // vcon hash of the stored file agrees with the content_hash written into the vCon.
    const hash = await runCli(['hash', join(blobs, hex)])
    assert.equal(hash.stdout, `${dialog.content_hash}\n`)
  })

  test('pack fetches it back (hash checked) and restores the body', async () => {
    const { path } = await unpacked()
    const before = server.requests.length
    const run = await runCli([
      'pack',
      '--allow-private',
      '--ca',
      TLS_CA,
      '--timeout',
      '10000',
      path,
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, /^vcon: inlined 1 reference, 7\.7 kB: \/dialog\/0 \(7\.7 kB\)$/m)
    const packed = JSON.parse(run.stdout)
    const dialog = packed.dialog[0]
    assert.equal(dialog.encoding, 'base64url')
    assert.deepEqual(
      Buffer.from(dialog.body, 'base64url'),
      Buffer.from(original.dialog[0]?.body ?? '', 'base64url'),
    )
    assert.equal('url' in dialog, false)
    assert.match(dialog.content_hash, /^sha512-/)
    assert.equal(packed.uuid, (original as unknown as { uuid: string }).uuid)
    assert.equal(server.requests.length, before + 1)
  })

  test('pack refuses the private address without --allow-private: exit 1, no request made', async () => {
    const { path } = await unpacked()
    const connections = server.connections()
    const requests = server.requests.length
    const run = await runCli(['pack', '--ca', TLS_CA, path])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: cannot pack .*unpacked\.vcon: \/dialog\/0: fetch of https:\/\/127\.0\.0\.1:\d+\/b\/[0-9a-f]{128} refused: 127\.0\.0\.1 is a loopback address; .* unless --allow-private is given$/m,
    )
    assert.equal(server.connections(), connections)
    assert.equal(server.requests.length, requests)
  })

  test('a body that does not match content_hash exits 1 with pointer, url without query, reason', async () => {
    const { vcon } = await unpacked()
    const dialog = vcon.dialog[0] ?? {}
    const tampered = {
      ...vcon,
      dialog: [{ ...dialog, url: `${server.origin}/tampered/ab_call.wav?token=s3cr3t` }],
    }
    const run = await runCli(['pack', '--allow-private', '--ca', TLS_CA, '-'], {
      input: JSON.stringify(tampered),
    })
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: cannot pack <stdin>: \/dialog\/0: the content fetched from https:\/\/127\.0\.0\.1:\d+\/tampered\/ab_call\.wav\?… does not match its content_hash: the sha512 digest does not match the content; it was not used$/m,
    )
    assert.doesNotMatch(run.stderr, /s3cr3t/)
  })

  test('a fetch that fails (404) is an I/O problem: exit 2', async () => {
    const { vcon } = await unpacked()
    const dialog = vcon.dialog[0] ?? {}
    const gone = { ...vcon, dialog: [{ ...dialog, url: `${server.origin}/missing/x.wav` }] }
    const run = await runCli(['pack', '--allow-private', '--ca', TLS_CA, '-'], {
      input: JSON.stringify(gone),
    })
    assert.equal(run.code, 2)
    assert.match(
      run.stderr,
      /^vcon: cannot pack <stdin>: \/dialog\/0: fetch of .*\/missing\/x\.wav failed/m,
    )
    assert.doesNotMatch(run.stderr, STACK_FRAME)
  })
})

describe('usage errors of pack and unpack', () => {
  test('missing --dir, a non-https --base-url, bad numbers, unknown flags exit 2', async () => {
    const runs = await Promise.all([
      runCli(['unpack', '--base-url', 'https://media.example.com/v', INTERNAL_RECORDING]),
      runCli([
        'unpack',
        '--dir',
        'x',
        '--base-url',
        'http://media.example.com/v',
        INTERNAL_RECORDING,
      ]),
      runCli(['pack', '--max-bytes', '10k', INTERNAL_RECORDING]),
      runCli(['pack', '--frobnicate', INTERNAL_RECORDING]),
      runCli(['pack', '--ca', INTERNAL_RECORDING, INTERNAL_RECORDING]),
    ])
    const [noDir, http, badNumber, unknown, badCa] = runs
    assert.match(noDir?.stderr ?? '', /^vcon: unpack needs --dir DIR\nusage: vcon unpack /)
    assert.match(http?.stderr ?? '', /^vcon: --base-url must be an https url/)
    assert.match(
      badNumber?.stderr ?? '',
      /^vcon: --max-bytes must be a whole number of at least 1; got '10k'/,
    )
    assert.match(unknown?.stderr ?? '', /^vcon: unknown option '--frobnicate'\nusage: vcon pack /)
    assert.match(
      badCa?.stderr ?? '',
      /^vcon: --ca .*ab_call_int_rec\.vcon: No "-----BEGIN CERTIFICATE-----" block/,
    )
    for (const run of runs) {
      assert.equal(run.code, 2, run.stderr)
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })

  test('a signed vCon cannot be packed or unpacked (exit 1)', async () => {
    const signed = join(SPEC, 'ab_call_ext_rec_signed.vcon')
    const [pack, unpack] = await Promise.all([
      runCli(['pack', signed]),
      runCli(['unpack', '--dir', 'x', '--base-url', 'https://m.example.com', signed]),
    ])
    assert.equal(pack.code, 1)
    assert.match(pack.stderr, /is signed \(JWS\): its content is covered by the signature/)
    assert.equal(unpack.code, 1)
  })
})
