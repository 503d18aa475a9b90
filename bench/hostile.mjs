// Measures what hostile request bodies cost the server: the time an IdP metadata upload of unclosed
// tags holds the event loop, the time and memory a module-archive bomb takes, and how long a
// join_cluster validation waits on a peer that sends one byte a second (for 60 s). Prints numbers;
// nothing is asserted (docs/performance.md). Usage: npm run build && node bench/hostile.mjs [dist dir]
import { deflateRawSync } from 'node:zlib'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = resolve(process.argv[2] ?? 'dist')
const { createMock } = await import(pathToFileURL(`${dist}/index.js`).href)
const mock = await createMock()
const mb = n => (n / 1048576).toFixed(0)

async function timed (what, request) {
  const rss = process.memoryUsage().rss
  let peak = rss
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 5)
  const start = process.hrtime.bigint()
  const res = await mock.inject(request)
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  let code = ''
  try { code = res.json().error_code ?? '' } catch {}
  console.log(`${what}: ${res.statusCode} ${code} in ${ms.toFixed(0)} ms, RSS ${mb(rss)} -> ${mb(peak)} MB (sampled)`)
}

const b64 = s => Buffer.from(s).toString('base64')
await timed('warm-up: IdP metadata that is not XML', { method: 'POST', url: '/v1/cluster/sso/saml/metadata/idp', payload: { idp_metadata: b64('x') } })
await timed('SSO idp_metadata, 20,000 unclosed <EntityDescriptor tags (480 KB)',
  { method: 'POST', url: '/v1/cluster/sso/saml/metadata/idp', payload: { idp_metadata: b64('<EntityDescriptor '.repeat(20_000)) } })

// Three central-directory entries over one deflated run of 256 MiB of zeros (~255 KB), each
// declaring 1 MiB: the declared sizes lie, as a hostile archive's do.
function bombZip () {
  const data = deflateRawSync(Buffer.alloc(256 << 20))
  const meta = Buffer.from(JSON.stringify({ module_name: 'b', version: 1, semantic_version: '1.0.0', min_redis_version: '7.2', commands: [], capabilities: [] }))
  const entries = [{ name: 'module.json', data: meta, method: 0, size: meta.length }, { name: 'a.so', data, method: 8, size: 1 << 20 }]
  const locals = []; const centrals = []; let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(e.method, 8); local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(e.size, 22); local.writeUInt16LE(name.length, 26)
    for (let i = 0; i < (e.method === 8 ? 3 : 1); i++) {
      const n = Buffer.from(i === 0 ? e.name : `${i}${e.name}`)
      const c = Buffer.alloc(46)
      c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(e.method, 10); c.writeUInt32LE(e.data.length, 20); c.writeUInt32LE(e.size, 24); c.writeUInt16LE(n.length, 28); c.writeUInt32LE(offset, 42)
      centrals.push(c, n)
    }
    locals.push(local, name, e.data)
    offset += 30 + name.length + e.data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}
const zip = bombZip()
globalThis.gc?.()
await timed('warm-up: an upload that is not a zip', { method: 'POST', url: '/v2/local/modules/user-defined/artifacts', payload: Buffer.from('--b\r\nContent-Disposition: form-data; name="m"; filename="m.zip"\r\n\r\nxx\r\n--b--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=b' } })
const body = Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="module"; filename="m.zip"\r\n\r\n'), zip, Buffer.from('\r\n--b--\r\n')])
await timed(`module archive bomb (${(zip.length / 1024).toFixed(0)} KB, 3 x 256 MiB entries)`,
  { method: 'POST', url: '/v2/local/modules/user-defined/artifacts', payload: body, headers: { 'content-type': 'multipart/form-data; boundary=b' } })
await mock.close()

// A TLS peer that answers a byte at a time: an idle timeout never fires.
const { generate } = await import('selfsigned')
const { createServer } = await import('node:tls')
const pems = await generate([{ name: 'commonName', value: 'peer' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
const sockets = new Set()
const peer = createServer({ cert: pems.cert, key: pems.private }, socket => {
  sockets.add(socket)
  socket.on('error', () => {})
  socket.once('data', () => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n')
    let n = 0
    const timer = setInterval(() => { if (++n >= 60 || socket.destroyed) { clearInterval(timer); socket.destroy() } else socket.write('x') }, 1000)
  })
})
await new Promise(resolve => peer.listen(0, '127.0.0.1', resolve))
const { startMock } = await import(pathToFileURL(`${dist}/index.js`).href)
const fresh = await startMock({ freshNode: true })
const joinBody = { action: 'join_cluster', cluster: { nodes: [`127.0.0.1:${peer.address().port}`] }, credentials: { username: 'admin@redis.local', password: 'admin' } }
const started = performance.now()
const res = await fresh.inject({ method: 'POST', url: '/v1/bootstrap/validate/join_cluster', payload: joinBody })
console.log(`join_cluster validation against a peer sending a byte a second: ${res.statusCode} ${res.json().error_code ?? ''} after ${((performance.now() - started) / 1000).toFixed(1)} s`)
await fresh.close()
for (const s of sockets) s.destroy()
peer.close()
