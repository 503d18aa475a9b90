// The server entry with N nodes: consecutive ports from --port, --node-addresses on one port
// each with the certificate naming every address, and a state file that keeps the nodes.
import t from 'tap'
import { createServer } from 'node:net'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { request } from 'node:https'
import { startTestServer, ADMIN_BASIC } from '../helpers/raw.js'
import type { RunningServer } from '../../src/server.js'

const freePort = () => new Promise<number>(resolve => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
})

function get (server: RunningServer, url: string, path: string) {
  return new Promise<{ status: number, body: any }>((resolve, reject) => {
    const req = request(`${url}${path}`, { ca: server.ca, headers: { authorization: ADMIN_BASIC }, agent: false }, res => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('--nodes 2 --port P: node 1 on P, node 2 on P+1', async t => {
  const port = await freePort()
  const server = await startTestServer(t, ['--nodes', '2', '--port', String(port)])
  t.same(server.nodes.map(n => n.port), [port, port + 1])
  t.equal((await get(server, server.nodes[1].url, '/v1/nodes/2')).status, 200)
})

t.test('--node-addresses: one address per node, all in the certificate', async t => {
  const server = await startTestServer(t, ['--node-addresses', '127.0.0.1,127.0.0.2'])
  t.same(server.nodes.map(n => new URL(n.url).hostname), ['127.0.0.1', '127.0.0.2'])
  const cert = new X509Certificate(server.ca)
  t.equal(cert.checkIP('127.0.0.2'), '127.0.0.2')
  // verification on: the certificate is valid for the second address too
  t.equal((await get(server, server.nodes[1].url, '/v1/nodes/2')).status, 200)
})

t.test('a state file keeps the nodes and the master across restarts', async t => {
  // not t.testdir(): startTestServer makes it afresh for its certificates
  const dir = mkdtempSync(join(tmpdir(), 'rs-mock-nodes-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'state.json')
  const first = await startTestServer(t, ['--nodes', '3', '--state-file', file])
  first.store.master.start('change_master', { node_uid: '3' })
  await first.close()
  const again = await startTestServer(t, ['--state-file', file])
  t.equal(again.nodes.length, 3, 'one listener per node of the state')
  t.equal(again.store.master.uid, 3)
  t.equal((await get(again, again.nodes[2].url, '/v1/cluster')).status, 200, 'node 3 serves as master')
})
