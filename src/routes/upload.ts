// Reading an uploaded module: the file part of a multipart/form-data body (RFC 7578) and the
// files of the .zip it holds (stored or deflated entries, found through the central directory).
import { zlib } from '../base/zlib.js'
import { noModule } from '../base/errors.js'
import type { ArchiveFile } from '../store/databases/index.js'

/** The content of the first part that carries a filename. */
export function multipartFile (body: Buffer, contentType: string): Buffer {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
  if (boundary === undefined) throw noModule('The multipart body has no boundary')
  const delimiter = Buffer.from(`--${boundary}`)
  let at = body.indexOf(delimiter)
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length)
    if (next === -1) break
    const part = body.subarray(at + delimiter.length, next)
    const split = part.indexOf('\r\n\r\n')
    if (split !== -1 && /filename=/i.test(part.subarray(0, split).toString('latin1'))) {
      return part.subarray(split + 4, part.length - 2) // the CRLF before the next delimiter
    }
    at = next
  }
  throw noModule('The request has no module file part')
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** Entries of one archive: a module is a module.json and a .so or two. */
export const MAX_ARCHIVE_ENTRIES = 256
/** The sum of the entries' unpacked sizes the archive may declare (real modules are tens of MB). */
export const MAX_UNPACKED_BYTES = 512 << 20
/** The most one entry may inflate to when it is read: only module.json is ever read. */
export const MAX_READ_BYTES = 1 << 20

/**
 * The entries of a zip archive, found through its central directory; anything else is 400
 * no_module. Nothing is inflated here: an entry inflates when read, at most MAX_READ_BYTES, so a
 * small archive that unpacks to gigabytes (or entries that overlap) costs no memory and no time.
 */
export function unzip (zip: Buffer): ArchiveFile[] {
  const bad = (why: string) => noModule(`The module file is not a valid .zip archive: ${why}`)
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === EOCD) { end = i; break }
  }
  if (end === -1) throw bad('no end of central directory')
  const count = zip.readUInt16LE(end + 10)
  if (count > MAX_ARCHIVE_ENTRIES) throw noModule(`The module archive has ${count} entries: at most ${MAX_ARCHIVE_ENTRIES} are accepted`)
  let p = zip.readUInt32LE(end + 16)
  let unpacked = 0
  const files: ArchiveFile[] = []
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw bad('broken central directory')
    const method = zip.readUInt16LE(p + 10)
    const size = zip.readUInt32LE(p + 20)
    unpacked += zip.readUInt32LE(p + 24)
    const nameLength = zip.readUInt16LE(p + 28)
    const skip = nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32)
    const local = zip.readUInt32LE(p + 42)
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8')
    p += 46 + skip
    if (unpacked > MAX_UNPACKED_BYTES) throw noModule(`The module archive unpacks to more than ${MAX_UNPACKED_BYTES} bytes`)
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw bad(`no local header for ${name}`)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    if (start + size > zip.length) throw bad(`${name} runs past the end of the archive`)
    const raw = zip.subarray(start, start + size)
    if (name.endsWith('/')) continue
    if (method !== 0 && method !== 8) throw bad(`${name} uses compression method ${method}`)
    files.push({ name, read: () => inflated(name, method, raw) })
  }
  return files
}

function inflated (name: string, method: number, raw: Buffer): Buffer {
  if (method === 0) {
    if (raw.length > MAX_READ_BYTES) throw noModule(`${name} is larger than ${MAX_READ_BYTES} bytes`)
    return raw
  }
  try {
    // maxOutputLength stops inflating there: a bomb costs 1 MiB and a few milliseconds.
    return zlib().inflateRawSync(raw, { maxOutputLength: MAX_READ_BYTES })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw noModule(`${name} unpacks to more than ${MAX_READ_BYTES} bytes`)
    throw noModule(`The module file is not a valid .zip archive: ${name} does not inflate`)
  }
}
