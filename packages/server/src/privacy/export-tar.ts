/**
 * @module A minimal ustar writer (POSIX.1-1988 "ustar" interchange format, IEEE Std 1003.1 §10.1.1): regular
 * files and directories, names up to 100 bytes, sizes up to 8 GiB. Enough for the portability archive (GDPR
 * Art. 20: "a structured, commonly used and machine-readable format"), which any `tar` reads.
 */

const BLOCK = 512

/** One archive member. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated, at most 100 bytes of UTF-8; a directory ends with `/`. */
  readonly name: string
  /** File contents (absent for a directory). */
  readonly data?: Uint8Array
  /** Modification time; default the epoch. */
  readonly mtime?: Date
}

/** Writes `value` as zero-padded octal filling `width - 1` bytes and a NUL, at `offset`. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  const text = Math.trunc(value)
    .toString(8)
    .padStart(width - 1, '0')
  if (text.length > width - 1)
    throw new RangeError(`tar: ${value} does not fit a ${width}-byte field`)
  header.write(`${text}\0`, offset, width, 'ascii')
}

/** The 512-byte header of one member. */
export function tarHeader(entry: TarEntry): Buffer {
  const directory = entry.name.endsWith('/')
  const name = Buffer.from(entry.name, 'utf8')
  if (name.length === 0 || name.length > 100) {
    throw new RangeError(`tar: member name "${entry.name}" must be 1 to 100 bytes`)
  }
  const header = Buffer.alloc(BLOCK)
  name.copy(header, 0)
  octal(header, 100, 8, directory ? 0o755 : 0o644)
  octal(header, 108, 8, 0) // uid
  octal(header, 116, 8, 0) // gid
  octal(header, 124, 12, directory ? 0 : (entry.data?.byteLength ?? 0))
  octal(header, 136, 12, Math.floor((entry.mtime?.getTime() ?? 0) / 1000))
  header.write(directory ? '5' : '0', 156, 1, 'ascii')
  header.write('ustar\0', 257, 6, 'ascii')
  header.write('00', 263, 2, 'ascii')
  // The checksum is the sum of the header bytes with its own field read as eight spaces (§10.1.1 "chksum").
  header.fill(0x20, 148, 156)
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii')
  return header
}

/** The blocks of one member: header, data, and zero padding to the next block. */
export function tarMember(entry: TarEntry): Buffer[] {
  const data = entry.name.endsWith('/') ? undefined : entry.data
  const out = [tarHeader(entry)]
  if (data !== undefined && data.byteLength > 0) {
    out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    const rest = data.byteLength % BLOCK
    if (rest !== 0) out.push(Buffer.alloc(BLOCK - rest))
  }
  return out
}

/** Two zero blocks end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK)
}
