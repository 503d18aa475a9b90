// Issue 8: SIGTERM under load on the built command. Requests in flight complete, new ones are
// refused cleanly (no listener: connection refused; on an open connection: an RS 503 and the
// connection closes), the process exits 0 in under a second, and the state file is whole.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { Agent } from 'node:https'
import { join } from 'node:path'
import { ADMIN_BASIC, httpsCall, parseResponse, rsErrorProblem, tlsConnect } from '../helpers/raw.js'
import { LOCAL, spawnCli } from '../helpers/cli.js'

const refusedToConnect = (port: number) => new Promise<string>(resolve => {
  const s = connect({ host: '127.0.0.1', port })
  s.once('connect', () => { s.destroy(); resolve('connected') })
  s.once('error', e => resolve((e as NodeJS.ErrnoException).code ?? e.message))
})

t.test('SIGTERM under load: in-flight requests finish, new ones are refused, exit 0 within a second', async t => {
  const dir = t.testdir()
  const stateFile = join(dir, 'state.json')
  const server = spawnCli([...LOCAL, '--state-file', stateFile, '--certs-dir', join(dir, 'certs')])
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = await server.ready
  const agent = new Agent({ keepAlive: true, maxSockets: 40 })
  t.teardown(() => agent.destroy())
  const auth = { authorization: ADMIN_BASIC }
  // Every GET /v1/cluster takes 300 ms: those are the requests in flight at SIGTERM.
  const fault = await httpsCall(port, 'POST', '/_mock/faults', { headers: auth, body: JSON.stringify({ method: 'GET', path: '/v1/cluster', action: { latency_ms: 300 } }) })
  t.equal(fault.status, 200, 'latency fault set')

  const slow = Array.from({ length: 20 }, () => httpsCall(port, 'GET', '/v1/cluster', { agent, headers: auth }))
  const writes = Array.from({ length: 20 }, (_, i) => httpsCall(port, 'POST', '/v1/bdbs', { agent, headers: auth, body: JSON.stringify({ name: `term-${i}`, memory_size: 1048576 }) }))
  // A request whose headers are half sent when SIGTERM comes: it is answered 503 at once.
  const late = await tlsConnect(port)
  late.write(`GET /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\n`)
  let lateRaw = ''
  late.setEncoding('latin1')
  late.on('data', (c: string) => { lateRaw += c })
  late.on('error', () => {})
  const lateClosed = new Promise(resolve => late.once('close', resolve))
  const acknowledged = await Promise.all(writes)
  await new Promise(resolve => setTimeout(resolve, 100))

  const sigterm = performance.now()
  server.child.kill('SIGTERM')
  await new Promise(resolve => setTimeout(resolve, 50))
  const refused = await refusedToConnect(port)
  t.equal(refused, 'ECONNREFUSED', 'a new connection is refused at once')

  const inFlight = await Promise.all(slow)
  const { code, at } = await server.exited
  await lateClosed
  const took = at - sigterm
  t.same(inFlight.map(r => r.status), inFlight.map(() => 200), 'every request in flight at SIGTERM was answered 200')
  t.same(acknowledged.map(r => r.status), acknowledged.map(() => 200), 'the writes were acknowledged')
  const late503 = parseResponse(lateRaw)
  t.equal(late503?.status, 503, 'a request half sent at SIGTERM: 503 at once')
  t.equal(rsErrorProblem(late503?.status ?? 0, late503?.headers['content-type'], late503?.body ?? '', s => s === 503), undefined, 'with an RS body')
  t.equal(late503 === undefined ? undefined : JSON.parse(late503.body).error_code, 'shutting_down')
  t.equal(late503?.headers.connection, 'close', 'and the connection closes')
  t.equal(code, 0, `exit status 0 (${server.stderr().trim()})`)
  t.ok(took < 1000, `exited ${Math.round(took)} ms after SIGTERM (< 1000 ms)`)
  t.comment(`shutdown: exited ${Math.round(took)} ms after SIGTERM with 20 requests in flight`)

  const doc = JSON.parse(readFileSync(stateFile, 'utf8')) // whole: it parses
  const names = new Set(doc.state.bdbs.$map.map(([, b]: [number, { name: string }]) => b.name))
  t.same(Array.from({ length: 20 }, (_, i) => `term-${i}`).filter(n => !names.has(n)), [], 'every acknowledged write is in the state file')
})
