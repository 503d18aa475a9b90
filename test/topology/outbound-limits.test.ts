// The calls the mock makes where a client points it (join_cluster's cluster.nodes, a CRDB's
// instances): a total deadline, a capped answer, a capped number of targets, failures that read
// alike whatever the port does, and one login at the target per join.
import t, { type Test } from 'tap'
import { createServer as createTcpServer, type Server } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { generate } from 'selfsigned'
import { startMock } from '../../src/index.js'
import { callOut, NO_ANSWER } from '../../src/base/outbound.js'
import { MAX_JOIN_TARGETS } from '../../src/store/cluster/index.js'
import { httpsJson } from '../helpers/nodes.js'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { body, instance, LOCAL } from '../helpers/crdb.js'
import { MAX_CRDB_INSTANCES } from '../../src/schemas/crdb.js'

async function listen (t: Test, server: Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  return (server.address() as { port: number }).port
}

async function tlsPeer (t: Test, onRequest: (socket: import('node:tls').TLSSocket) => void): Promise<number> {
  const pems = await generate([{ name: 'commonName', value: 'peer' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
  const sockets = new Set<import('node:tls').TLSSocket>()
  const server = createTlsServer({ cert: pems.cert, key: pems.private }, socket => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.once('data', () => onRequest(socket))
  })
  t.teardown(() => { for (const s of sockets) s.destroy() })
  return await listen(t, server as unknown as Server)
}

t.test('a peer that trickles its answer is cut at the total deadline, not held by an idle timeout', async t => {
  const timers: NodeJS.Timeout[] = []
  t.teardown(() => { for (const i of timers) clearInterval(i) })
  const port = await tlsPeer(t, socket => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n')
    timers.push(setInterval(() => socket.write('x'), 200))
  })
  await t.rejects(callOut(new URL(`https://127.0.0.1:${port}/`), { method: 'GET', headers: {}, deadlineMs: 1000 }), { message: NO_ANSWER })
})

t.test('an answer larger than the cap is dropped, announced or streamed', async t => {
  const announced = await tlsPeer(t, socket => { socket.end('HTTP/1.1 200 OK\r\ncontent-length: 300000000\r\n\r\n') })
  await t.rejects(callOut(new URL(`https://127.0.0.1:${announced}/`), { method: 'GET', headers: {} }), { message: /larger than 1048576 bytes/ })
  const streamed = await tlsPeer(t, socket => {
    socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n')
    const chunk = 'x'.repeat(65536)
    const more = (): void => { while (!socket.destroyed && socket.write(`10000\r\n${chunk}\r\n`)); }
    socket.on('drain', more)
    more()
  })
  await t.rejects(callOut(new URL(`https://127.0.0.1:${streamed}/`), { method: 'GET', headers: {} }), { message: /larger than 1048576 bytes/ })
})

t.test('join_cluster: a refused port and a TLS failure read the same; targets are capped; one login per join', async t => {
  const master = await startMock()
  t.teardown(() => master.close())
  const fresh = await startMock({ freshNode: true })
  t.teardown(() => fresh.close())
  // A port that accepts TCP and then speaks no TLS.
  const plain = await listen(t, createTcpServer(socket => { socket.end('SSH-2.0-OpenSSH_9.2\r\n') }))
  const body = (nodes: string[], password = 'admin') => ({ action: 'join_cluster', cluster: { nodes }, credentials: { username: 'admin@redis.local', password } })
  const validate = async (nodes: string[], password?: string) =>
    (await httpsJson(fresh.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: body(nodes, password) })).body

  const a = await validate([`127.0.0.1:${plain}`])
  const b = await validate(['127.0.0.1:1']) // refuses
  t.match(a, { state: 'error', error_code: 'connect_error' })
  t.match(b, { state: 'error', error_code: 'connect_error' })
  const strip = (m: string): string => m.replace(/127\.0\.0\.1:\d+/g, 'ADDR')
  t.equal(strip(a.error_details.message), strip(b.error_details.message), 'no port scan oracle')
  t.match(a.error_details.message, NO_ANSWER)

  const many = await validate(Array.from({ length: MAX_JOIN_TARGETS + 1 }, (_, i) => `127.0.0.1:${i + 2}`))
  t.match(many, { state: 'error', error_code: 'config_error', error_details: { message: /at most 32/ } })

  const admin = [...master.store.state.users.values()].find(r => r.user.email === 'admin@redis.local')!
  const target = `127.0.0.1:${master.port}`
  for (let i = 1; i <= 3; i++) {
    t.match(await validate([target, target], 'wrong'), { error_code: 'access_denied' })
    t.equal(admin.failures, i, `join ${i}: one failed login at the master, no more`)
  }
  t.equal((await httpsJson(master.url, 'GET', '/v1/cluster', { auth: 'admin@redis.local:admin' })).status, 200, 'the admin still logs in')
})

t.test('an Active-Active database names at most 16 instances: each is a peer the coordinator calls', async t => {
  const { call, store } = await buildTestApp(t)
  const many = [instance(LOCAL), ...Array.from({ length: MAX_CRDB_INSTANCES }, (_, i) => instance(`peer-${i}.example`))]
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ instances: many }) }), 400, 'invalid_schema')
  t.equal(store.state.crdbs.size, 0, 'no task, no call')
})
