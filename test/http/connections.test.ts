// The command's connections: a TLS handshake deadline, a cap on open connections, and what
// SIGTERM cuts at once (connections still in their handshake, requests whose body is arriving).
import t from 'tap'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { ADMIN_BASIC, parseResponse, tlsConnect } from '../helpers/raw.js'
import { LOCAL, spawnCli } from '../helpers/cli.js'

const tcp = (port: number) => new Promise<Socket>((resolve, reject) => {
  const s = connect({ host: '127.0.0.1', port }, () => resolve(s))
  s.once('error', reject)
})
const closed = (s: Socket) => new Promise<number>(resolve => {
  const at = performance.now()
  if (s.destroyed) resolve(0)
  s.on('error', () => {})
  s.once('close', () => resolve(performance.now() - at))
})

t.test('a connection that never completes its TLS handshake is closed after --handshake-timeout-ms', async t => {
  const server = spawnCli([...LOCAL, '--handshake-timeout-ms', '300', '--certs-dir', join(t.testdir(), 'certs')])
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = await server.ready
  const silent = await tcp(port)
  const took = await closed(silent)
  t.ok(took >= 250 && took < 3000, `closed ${Math.round(took)} ms after connecting (deadline 300 ms)`)
})

t.test('--max-connections: connections over the cap are closed at once, and that is logged', async t => {
  const server = spawnCli([...LOCAL, '--log-format', 'json', '--max-connections', '3', '--certs-dir', join(t.testdir(), 'certs')])
  t.teardown(() => { server.child.kill('SIGKILL') })
  let out = ''
  server.child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  const { port } = await server.ready
  const held = await Promise.all([tcp(port), tcp(port), tcp(port)])
  t.teardown(() => { for (const s of held) s.destroy() })
  const over = await tcp(port)
  const took = await closed(over)
  t.ok(took < 1000, `the fourth closed at once (${Math.round(took)} ms)`)
  for (const s of held) t.notOk(s.destroyed, 'the first three stay open')
  await new Promise(resolve => setTimeout(resolve, 200))
  const line = out.split('\n').find(l => l.includes('connection limit'))
  t.ok(line, 'a log line says so')
  t.match(JSON.parse(line ?? '{}'), { level: 40, max_connections: 3, msg: /connection limit reached: 3 connections are open \(--max-connections\)/ })
  held[0].destroy()
  await new Promise(resolve => setTimeout(resolve, 100))
  const again = await tlsConnect(port)
  t.ok(again.encrypted, 'below the cap again: a new connection is served')
  again.destroy()
})

t.test('SIGTERM: a request whose body is still arriving gets 503 at once, a pre-TLS connection is cut, exit 0 fast', async t => {
  const server = spawnCli([...LOCAL, '--log-format', 'json', '--certs-dir', join(t.testdir(), 'certs')])
  t.teardown(() => { server.child.kill('SIGKILL') })
  let out = ''
  server.child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  const { port } = await server.ready
  const uploading = await tlsConnect(port)
  uploading.on('error', () => {})
  let raw = ''
  uploading.setEncoding('latin1')
  uploading.on('data', (c: string) => { raw += c })
  const uploadClosed = closed(uploading)
  uploading.write(`POST /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"name":"half`)
  const preTls = await tcp(port)
  const preTlsClosed = closed(preTls)
  await new Promise(resolve => setTimeout(resolve, 100))
  const sigterm = performance.now()
  server.child.kill('SIGTERM')
  const { code, at } = await server.exited
  await Promise.all([uploadClosed, preTlsClosed])
  t.equal(code, 0, `exit 0 (${server.stderr().trim()})`)
  t.ok(at - sigterm < 800, `exited ${Math.round(at - sigterm)} ms after SIGTERM`)
  const answer = parseResponse(raw)
  t.equal(answer?.status, 503, 'the upload is answered 503')
  t.equal(answer === undefined ? undefined : JSON.parse(answer.body).error_code, 'shutting_down')
  const line = out.split('\n').find(l => l.includes('closing: cut'))
  t.match(JSON.parse(line ?? '{}'), { level: 40, partialRequests: 1, handshaking: 1, msg: /^closing: cut 1 partly received requests \(answered 503 shutting_down\), 1 connections in their TLS handshake/ })
})
