// Module archives are read without trusting them: bounded entries and declared sizes, and only
// module.json is inflated, at most 1 MiB of it. A zip bomb is 400 no_module, at once.
import t from 'tap'
import { deflateRawSync } from 'node:zlib'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { MAX_ARCHIVE_ENTRIES } from '../../src/routes/upload.js'

interface Entry { name: string, data: Buffer, method?: 0 | 8, size?: number }

/** A zip built byte by byte: what a hostile client can send (sizes it declares, entries that overlap). */
function zip (entries: Entry[], overlap = 1): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(e.method ?? 8, 8)
    local.writeUInt32LE(e.data.length, 18)
    local.writeUInt32LE(e.size ?? 0, 22)
    local.writeUInt16LE(name.length, 26)
    // the same local entry named `overlap` times from the central directory
    for (let i = 0; i < overlap; i++) {
      const central = Buffer.alloc(46)
      central.writeUInt32LE(0x02014b50, 0)
      central.writeUInt16LE(e.method ?? 8, 10)
      central.writeUInt32LE(e.data.length, 20)
      central.writeUInt32LE(e.size ?? 0, 24)
      const n = overlap === 1 ? name : Buffer.from(`${i}${e.name}`)
      central.writeUInt16LE(n.length, 28)
      central.writeUInt32LE(offset, 42)
      centrals.push(central, n)
    }
    locals.push(local, name, e.data)
    offset += 30 + name.length + e.data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(centrals.length / 2, 8)
  end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

function multipart (archive: Buffer): { body: Buffer, headers: Record<string, string> } {
  const boundary = 'b0undary'
  return {
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="module"; filename="module.zip"\r\nContent-Type: application/zip\r\n\r\n`),
      archive,
      Buffer.from(`\r\n--${boundary}--\r\n`)
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }
  }
}

const META = Buffer.from(JSON.stringify({ module_name: 'Bomb', version: 1, semantic_version: '0.0.1', display_name: 'b', commands: [], capabilities: [], min_redis_version: '7.2' }))
// 64 MiB of zeros deflate to about 64 KB: a small upload that unpacks 1,000 times larger.
const bomb = deflateRawSync(Buffer.alloc(64 << 20))

t.test('bombs, too many entries and oversized declarations answer 400 no_module; nothing is stored', async t => {
  const { app, call, store } = await buildTestApp(t)
  const post = (archive: Buffer) => call('POST', '/v2/local/modules/user-defined/artifacts', multipart(archive))
  const before = JSON.stringify(store.state.operations.artifacts)

  const jsonBomb = await post(zip([{ name: 'module.json', data: bomb, size: 64 << 20 }, { name: 'm.so', data: Buffer.from('x'), method: 0, size: 1 }]))
  isRsError(t, jsonBomb, 400, 'no_module')
  t.match(jsonBomb.json().description, /module\.json unpacks to more than 1048576 bytes/)

  const declared = await post(zip([{ name: 'module.json', data: META, method: 0, size: META.length }, { name: 'm.so', data: bomb, size: 0xffff_fff0 }]))
  isRsError(t, declared, 400, 'no_module')
  t.match(declared.json().description, /unpacks to more than/)

  const entries = Array.from({ length: MAX_ARCHIVE_ENTRIES + 1 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x'), method: 0 as const, size: 1 }))
  const many = await post(zip(entries))
  isRsError(t, many, 400, 'no_module')
  t.match(many.json().description, /at most 256/)

  const truncated = zip([{ name: 'module.json', data: META, method: 0, size: META.length }])
  truncated.writeUInt32LE(1 << 30, 18) // the local header's compressed size, past the end
  const central = truncated.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
  truncated.writeUInt32LE(1 << 30, central + 20)
  isRsError(t, await post(truncated), 400, 'no_module')
  t.equal(JSON.stringify(store.state.operations.artifacts), before, 'no artifact stored')

  // The .so is never inflated: three central entries over one bomb cost nothing, and the module loads.
  const archive = zip([{ name: 'module.json', data: META, method: 0, size: META.length }, { name: 'm.so', data: bomb, size: 64 << 20 }], 1)
  const overlapping = await post(archive)
  t.equal(overlapping.statusCode, 200)
  // The journal keeps the upload's size, not its bytes walked as an object's keys.
  const entry = app.mockControl.journal.list({ path: '/v2/local/modules/user-defined/artifacts' }).at(-1)
  t.same(entry?.body, { $binary: `${multipart(archive).body.length} bytes` })
  const thrice = zip([{ name: 'x.so', data: bomb, size: 64 << 20 }], 3)
  isRsError(t, await post(thrice), 406, 'invalid_module', 'no module.json: refused without inflating the three')
})
