/**
 * @module The benchmark's vCon: a valid 0.4.0 text conversation of about 5 KB (two parties, a subject, eight
 * messages of natural-looking words), with a fresh uuid each time so every create is a new row.
 */
import { randomUUID } from 'node:crypto'

const WORDS =
  'refund order kettle blue delivery late customer agent account billing invoice payment card address ' +
  'shipping warranty replace broken return label courier tracking number tomorrow morning thanks please ' +
  'confirm email phone update subscription cancel upgrade plan discount voucher apology escalate manager'
const VOCABULARY = WORDS.split(' ')

function sentence(seed: number, words: number): string {
  const out: string[] = []
  let x = seed
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    out.push(VOCABULARY[x % VOCABULARY.length] as string)
  }
  return `${out.join(' ')}.`
}

/** The text of one 5 KB vCon (within a few bytes of 5,000) with `uuid`. */
export function vcon5k(uuid: string = randomUUID(), seed = 1): string {
  const start = Date.parse('2025-03-01T10:00:00.000Z')
  const dialog = Array.from({ length: 8 }, (_, i) => ({
    type: 'text',
    start: new Date(start + i * 30_000).toISOString(),
    parties: i % 2 === 0 ? [1, 0] : [0, 1],
    originator: i % 2 === 0 ? 1 : 0,
    mediatype: 'text/plain',
    encoding: 'none',
    body: sentence(seed * 31 + i, 62),
  }))
  return JSON.stringify({
    vcon: '0.4.0',
    uuid,
    created_at: '2025-03-01T10:00:00.000Z',
    subject: 'Order refund request',
    parties: [
      { tel: '+15551230001', name: 'Alice Agent' },
      { tel: '+15551230002', name: 'Bob Customer', mailto: 'bob@example.com' },
    ],
    dialog,
  })
}
