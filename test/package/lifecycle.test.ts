// The whole story over HTTPS, as a provisioning script lives it: fresh node → 503 →
// bootstrap → poll → log in → create a database → poll until active → update → delete → log.
import t from 'tap'
import { request } from 'node:https'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { loadConfig, type Config } from '../../src/config.js'
import { startServer } from '../../src/server.js'

interface Answer { status: number, headers: Record<string, unknown>, body: any }

// Asynchronous on purpose: the server answers from this same process.
function call (base: string, method: string, path: string, options: { auth?: string, body?: unknown } = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (payload !== undefined) headers['content-type'] = 'application/json'
    const req = request(`${base}${path}`, { method, rejectUnauthorized: false, auth: options.auth, headers }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', c => { text += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function pollUntil (what: string, read: () => Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const start = Date.now()
  for (let polls = 1; ; polls++) {
    if (await read()) return polls
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

t.test('fresh node to deleted database over HTTPS', async t => {
  const certsDir = join(t.testdir(), 'certs')
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--certs-dir', certsDir, '--fresh-node', '--log-level', 'silent',
    '--transition-delay-ms', '30'], {}) as Config
  const server = await startServer(config)
  t.teardown(() => server.close())
  const api = (method: string, path: string, options?: { auth?: string, body?: unknown }) => call(server.url, method, path, options)

  const notYet = await api('GET', '/v1/cluster')
  t.equal(notYet.status, 503)
  t.equal(notYet.body.error_code, 'node_not_in_cluster')
  t.equal((await api('GET', '/v1/bootstrap')).body.bootstrap_status.state, 'idle')

  const boot = await api('POST', '/v1/bootstrap/create_cluster', {
    body: { action: 'create_cluster', cluster: { name: 'e2e.local' }, credentials: { username: 'ops@e2e.local', password: 'Secret-1' }, flash_enabled: false }
  })
  t.equal(boot.status, 200)
  const auth = 'ops@e2e.local:Secret-1'
  const seen = new Set<string>()
  await pollUntil('bootstrap', async () => {
    const res = await api('GET', '/v1/bootstrap', { auth })
    const state = res.body.bootstrap_status.state as string
    seen.add(state)
    return state === 'completed'
  })
  t.ok(seen.has('initiated') || seen.has('creating_cluster'), `intermediate states seen: ${[...seen].join(', ')}`)

  t.equal((await api('GET', '/v1/cluster')).status, 401, 'credentials required now')
  const cluster = await api('GET', '/v1/cluster', { auth })
  t.equal(cluster.status, 200)
  t.equal(cluster.body.name, 'e2e.local')
  const firstId = Number(cluster.headers['cluster-state-id'])

  const created = await api('POST', '/v1/bdbs', { auth, body: { name: 'orders', memory_size: 104857600, type: 'redis' } })
  t.equal(created.status, 200)
  t.match(created.body, { uid: 1, status: 'pending', port: 0 })
  t.ok(Number(created.headers['cluster-state-id']) > firstId, 'cluster-state-id increased')
  const polls = await pollUntil('active', async () => (await api('GET', '/v1/bdbs/1', { auth })).body.status === 'active')
  t.ok(polls >= 1)
  const sm = await api('GET', `/v1/actions/${String(created.body.action_uid)}`, { auth })
  t.match(sm.body, { name: 'SMCreateBDB', status: 'completed' })

  const updated = await api('PUT', '/v1/bdbs/1', { auth, body: { memory_size: 209715200 } })
  t.equal(updated.status, 200)
  t.equal(updated.body.status, 'active-change-pending')
  await pollUntil('update', async () => (await api('GET', '/v1/bdbs/1', { auth })).body.status === 'active')
  t.equal((await api('GET', '/v1/bdbs/1', { auth })).body.memory_size, 209715200)

  const deleted = await api('DELETE', '/v1/bdbs/1', { auth })
  t.equal(deleted.status, 200)
  t.type(deleted.body.action_uid, 'string')
  await pollUntil('delete', async () => (await api('GET', '/v1/bdbs/1', { auth })).status === 404)
  t.same((await api('GET', '/v1/shards', { auth })).body, [])

  const types = (await api('GET', '/v1/logs?order=asc', { auth })).body.map((e: { type: string }) => e.type)
  for (const type of ['cluster_created', 'cluster_node_joined', 'cluster_bdb_created', 'bdb_memory_size_updated', 'cluster_bdb_deleted']) {
    t.ok(types.includes(type), `log has ${type}`)
  }
})
