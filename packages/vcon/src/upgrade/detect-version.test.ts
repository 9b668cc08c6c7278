import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { detectVersion } from './detect-version.js'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'

describe('detectVersion', () => {
  test('a known version string with nothing older in the fields is trusted', () => {
    for (const v of ['0.0.1', '0.0.2', '0.3.0', '0.4.0'] as const) {
      assert.deepEqual(detectVersion({ vcon: v, uuid: UUID }), {
        version: v,
        reason: `vcon says "${v}"`,
      })
    }
    // Labelled 0.0.2 with a 0.4.0 field: the steps from 0.0.2 run, and they leave amended alone.
    assert.equal(detectVersion({ vcon: '0.0.2', amended: { uuid: UUID } }).version, '0.0.2')
  })

  test('a version string that lies is overruled by the oldest legacy name', () => {
    const lie = { vcon: '0.3.0', dialog: [{ type: 'text', mimetype: 'text/plain' }] }
    assert.deepEqual(detectVersion(lie), {
      version: '0.0.1',
      reason: 'vcon says "0.3.0", but /dialog/0/mimetype uses a name last used in 0.0.1',
    })
    const r = upgradeVcon(lie)
    assert.equal(r.from, '0.0.1')
    assert.equal(r.issues[0]?.pointer, '/vcon')
    assert.equal(r.issues[0]?.code, 'upgraded-version')
    assert.match(r.issues[0]?.message ?? '', /upgraded from 0\.0\.1 to 0\.4\.0/)
  })

  test('each version is sniffed from its own names when the string is missing', () => {
    assert.equal(detectVersion({ dialog: [{ alg: 'SHA-512', signature: 'x' }] }).version, '0.0.1')
    assert.equal(detectVersion({ dialog: [{ 'transfer-target': 1 }] }).version, '0.0.2')
    assert.equal(detectVersion({ appended: { uuid: UUID } }).version, '0.3.0')
    assert.equal(detectVersion({ must_understand: [] }).version, '0.3.0')
    assert.equal(detectVersion({ dialog: [{ session_id: 'abc' }] }).version, '0.3.0')
    assert.deepEqual(detectVersion({ parties: [] }), {
      version: '0.4.0',
      reason: 'no vcon version string; no legacy field names, so read as 0.4.0',
    })
  })

  test('unknown version strings fall back to sniffing, with an unknown-version warning', () => {
    for (const vcon of ['1.0', '', 3]) {
      const r = upgradeVcon({
        vcon,
        uuid: UUID,
        dialog: [{ type: 'text', mimetype: 'text/plain' }],
      })
      assert.equal(r.from, '0.0.1')
      assert.equal(r.vcon.vcon, '0.4.0')
      const version = r.issues.filter((i) => i.pointer === '/vcon')
      assert.equal(version.length, 1)
      assert.equal(version[0]?.code, 'unknown-version')
      assert.equal(version[0]?.severity, 'warning')
    }
  })

  test('vcon is always set to 0.4.0; the version is reported only when the label changes', () => {
    const missing = upgradeVcon({ uuid: UUID })
    assert.deepEqual(missing.vcon, { vcon: '0.4.0', uuid: UUID })
    assert.deepEqual(
      missing.issues.map((i) => [i.pointer, i.code, i.message]),
      [
        [
          '/vcon',
          'upgraded-version',
          'no vcon version string; no legacy field names, so read as 0.4.0; set vcon to "0.4.0"',
        ],
      ],
    )
    // Labelled 0.4.0 but carrying a 0.0.1 name: the rename is reported, the version is not.
    const labelled = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      dialog: [{ mimetype: 'text/plain' }],
    })
    assert.equal(labelled.from, '0.0.1')
    assert.deepEqual(
      labelled.issues.map((i) => i.pointer),
      ['/dialog/0/mimetype'],
    )
  })
})
