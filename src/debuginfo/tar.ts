// A minimal streaming .tar.gz writer: POSIX ustar headers for regular files, gzip by node:zlib.
// Entries are produced lazily, so a large archive never sits in memory whole.
import { Readable } from 'node:stream'
import { zlib } from '../base/zlib.js'

export interface TarEntry {
  /** a path inside the archive, `/`-separated; at most 255 bytes (100 + a 155-byte prefix) */
  name: string
  data: Buffer | string
  /** seconds since the epoch */
  mtime: number
  mode?: number
}

const BLOCK = 512

function writeField (header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8')
}

const octal = (n: number, width: number): string => n.toString(8).padStart(width - 1, '0') + '\0'

/** Splits a long name into ustar's prefix and name fields at a `/`. */
function splitName (name: string): [prefix: string, rest: string] {
  if (Buffer.byteLength(name) <= 100) return ['', name]
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return [prefix, rest]
  }
  throw new RangeError(`tar entry name too long for ustar: ${name}`)
}

/** The 512-byte ustar header of a regular file. */
export function tarHeader (entry: Omit<TarEntry, 'data'>, size: number): Buffer {
  const header = Buffer.alloc(BLOCK)
  const [prefix, name] = splitName(entry.name)
  writeField(header, 0, 100, name)
  writeField(header, 100, 8, octal(entry.mode ?? 0o644, 8))
  writeField(header, 108, 8, octal(0, 8))
  writeField(header, 116, 8, octal(0, 8))
  writeField(header, 124, 12, octal(size, 12))
  writeField(header, 136, 12, octal(Math.max(0, Math.floor(entry.mtime)), 12))
  header.fill(' ', 148, 156) // the checksum counts its own field as spaces
  writeField(header, 156, 1, '0')
  writeField(header, 257, 6, 'ustar\0')
  writeField(header, 263, 2, '00')
  writeField(header, 265, 32, 'redis')
  writeField(header, 297, 32, 'redis')
  writeField(header, 345, 155, prefix)
  let sum = 0
  for (const byte of header) sum += byte
  writeField(header, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ')
  return header
}

/** The archive's blocks: header, data padded to 512 bytes, per entry; two zero blocks at the end. */
export function * tarBlocks (entries: Iterable<TarEntry>): Generator<Buffer> {
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data
    yield tarHeader(entry, data.length)
    yield data
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK
    if (pad > 0) yield Buffer.alloc(pad)
  }
  yield Buffer.alloc(BLOCK * 2)
}

/** A gzip-compressed tar stream of `entries`, read as the consumer pulls. */
export function tarGzStream (entries: Iterable<TarEntry>): Readable {
  return Readable.from(tarBlocks(entries), { objectMode: false }).pipe(zlib().createGzip())
}
