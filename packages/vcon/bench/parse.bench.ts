/**
 * Parse + validate throughput beside the floor, JSON.parse alone on the same text, measured in the same run.
 * Prints one JSON document. Run: `npm run bench -w @vconkit/vcon` (or `npm run bench` at the root); it measures
 * the built package (dist/), which is what users run.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseVcon, upgradeVcon } from '@vconkit/vcon'
import { corpusPath } from '../test/corpus.js'
import { compare } from './measure.js'

const START = Date.parse('2025-03-04T10:00:00Z')

function iso(offsetSeconds: number): string {
  return new Date(START + offsetSeconds * 1000).toISOString()
}

/** 2 parties and 10 text dialogs: the typical chat or SMS thread. */
function smallVcon(): string {
  const dialog = Array.from({ length: 10 }, (_, i) => ({
    type: 'text',
    start: iso(i * 30),
    parties: [i % 2, (i + 1) % 2],
    originator: i % 2,
    mediatype: 'text/plain',
    encoding: 'none',
    body: `Message ${i}: thanks for calling, how can I help you with your account today?`,
  }))
  return JSON.stringify({
    vcon: '0.4.0',
    uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
    created_at: iso(0),
    parties: [
      { tel: '+12025550123', name: 'Alice Example', validation: 'none' },
      { mailto: 'agent@example.com', name: 'Bob Agent', validation: 'none' },
    ],
    dialog,
  })
}

/** About 3 MB: a packed 2 MB recording plus 2,000 text dialogs. */
function largeVcon(): string {
  const dialog: unknown[] = [
    {
      type: 'recording',
      start: iso(0),
      duration: 600,
      parties: [0, 1],
      mediatype: 'audio/wav',
      encoding: 'base64url',
      body: randomBytes(1_500_000).toString('base64url'),
    },
  ]
  for (let i = 0; i < 2000; i++) {
    dialog.push({
      type: 'text',
      start: iso(i),
      parties: [i % 2],
      mediatype: 'text/plain',
      encoding: 'none',
      body: `Line ${i} of the chat transcript, with some ordinary words in it.`,
    })
  }
  return JSON.stringify({
    vcon: '0.4.0',
    uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
    created_at: iso(0),
    parties: [{ tel: '+12025550123' }, { tel: '+12025550124' }],
    dialog,
  })
}

/** The IETF meeting file as found (legacy: lenient mode upgrades it) and as upgraded (for strict mode). */
const meeting = readFileSync(
  corpusPath('real/vcon-dev+ietf-meeting-vcons/ietf111/ietf111_6lo_28963.vcon.json'),
  'utf8',
)
const meetingUpgraded = JSON.stringify(upgradeVcon(JSON.parse(meeting)).vcon)
const small = smallVcon()
const large = largeVcon()

const inputs: [string, string, string][] = [
  ['small (2 parties, 10 text dialogs)', small, small],
  ['medium (IETF 111 6lo meeting from the corpus)', meetingUpgraded, meeting],
  ['large (~3 MB)', large, large],
]

const results = inputs.map(([name, text, legacyText]) => {
  const bytes = Buffer.byteLength(text)
  const legacyBytes = Buffer.byteLength(legacyText)
  // Strict mode refuses the meeting file (its url has no content_hash): that is a full parse+validate too,
  // plus building the error that lists every issue.
  const strictRun = () => {
    try {
      return parseVcon(text, { mode: 'strict' })
    } catch (error) {
      return error
    }
  }
  const strict = compare(() => JSON.parse(text), strictRun)
  const lenient = compare(
    () => JSON.parse(legacyText),
    () => parseVcon(legacyText, { mode: 'lenient' }),
  )
  const rate = (opsPerSec: number, size: number) => ({
    vconsPerSec: Math.round(opsPerSec),
    mbPerSec: Number(((opsPerSec * size) / 1e6).toFixed(1)),
    microsPerVcon: Number((1e6 / opsPerSec).toFixed(2)),
  })
  let strictOutcome = 'valid'
  const outcome = strictRun()
  if (outcome instanceof Error) strictOutcome = `refused (${(outcome as { code?: string }).code})`
  return {
    input: name,
    bytes,
    floor_JSON_parse: rate(strict.floor, bytes),
    strict_parse_validate: {
      outcome: strictOutcome,
      ...rate(strict.subject, bytes),
      costVsFloor: Number(strict.costVsFloor.toFixed(2)),
    },
    // Lenient mode reads the file as found (legacy for the meeting file); its floor is JSON.parse of that text.
    lenient_upgrade_validate: {
      bytes: legacyBytes,
      ...rate(lenient.subject, legacyBytes),
      costVsFloor: Number(lenient.costVsFloor.toFixed(2)),
    },
  }
})

console.log(
  JSON.stringify(
    {
      benchmark: 'parse+validate',
      node: process.version,
      goal: 'strict parse+validate of the small vCon costs at most 1.5x JSON.parse alone',
      goalMet: (results[0]?.strict_parse_validate.costVsFloor ?? Number.POSITIVE_INFINITY) <= 1.5,
      results,
    },
    null,
    2,
  ),
)
