// The library API: startMock on a real HTTPS socket (port 0, its own CA), createMock/inject,
// every control method, and two instances in one process that share nothing.
import t from 'tap'
import { request } from 'node:https'
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { startMock, createMock, type RunningMock } from '../../src/index.js'

function call (mock: RunningMock, method: string, path: string, body?: unknown, auth = `${mock.credentials.username}:${mock.credentials.password}`) {
  return new Promise<{ status: number, body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(`${mock.url}${path}`, {
      method,
      ca: mock.ca, // verification stays on: the mock's certificate is the CA
      auth,
      agent: false,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' }
    }, res => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const rsMockDirs = () => readdirSync(tmpdir()).filter(d => d.startsWith('rs-mock-'))

t.test('startMock listens on a free port with its own trusted certificate', async t => {
  const before = rsMockDirs().length
  const mock = await startMock()
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.not(mock.port, 0)
  t.match(mock.ca, /^-----BEGIN CERTIFICATE-----/)
  t.same(mock.credentials, { username: 'admin@redis.local', password: 'admin' })
  const res = await call(mock, 'GET', '/v1/bdbs/1')
  t.equal(res.status, 200)
  t.equal(res.body.name, 'cache')
  t.equal((await call(mock, 'GET', '/_mock/health')).body.status, 'ok')
  t.equal(rsMockDirs().length, before + 1, 'a temp dir for the certificate')
  await mock.close()
  t.equal(rsMockDirs().length, before, 'removed by close()')
})

t.test('two instances in one process are independent', async t => {
  const a = await startMock()
  const b = await startMock({ admin: { password: 'other' } })
  t.teardown(async () => { await a.close(); await b.close() })
  t.not(a.port, b.port)
  t.not(a.ca, b.ca, 'each has its own certificate')
  t.equal(b.credentials.password, 'other')
  t.equal((await call(b, 'GET', '/v1/bdbs', undefined, 'admin@redis.local:admin')).status, 401, 'own users')

  a.faults.add({ path: '/v1/bdbs', action: { status: 500 } })
  a.leaveCluster()
  a.setTransitionDelay(9999)
  a.store.state.cluster.name = 'a.example'
  t.equal((await call(a, 'GET', '/v1/bdbs')).status, 500, 'the fault answers before the 503')
  t.equal((await call(a, 'GET', '/v1/cluster')).status, 503)
  t.equal((await call(b, 'GET', '/v1/bdbs')).status, 200, 'no fault, still in cluster')
  t.equal(b.faults.list().length, 0)
  t.equal(b.store.transitionDelayMs, 100)
  t.equal(b.store.state.cluster.name, 'mock-cluster.local')
  t.equal(a.journal.count(), 2)
  t.equal(b.journal.count(), 2)
  a.joinCluster()
  a.faults.clear()
  b.loadScenario('empty-cluster')
  t.equal((await call(a, 'GET', '/v1/bdbs')).body.length, 3)
  t.equal((await call(b, 'GET', '/v1/bdbs')).body.length, 0)
})

t.test('every control operation as a method', async t => {
  let now = Date.parse('2026-04-01T00:00:00Z')
  const mock = await startMock({ clock: { now: () => now } })
  t.teardown(() => mock.close())

  const rule = mock.faults.add({ method: 'GET', path: '/v1/cluster', action: { status: 502, error_code: 'gateway' }, times: 1 })
  t.same(mock.faults.list().map(r => r.id), [rule.id])
  t.same((await call(mock, 'GET', '/v1/cluster')).body, { error_code: 'gateway', description: `Fault injected by the mock (rule ${rule.id})` })
  t.equal(mock.faults.remove(rule.id).applied, 1)
  t.equal(mock.faults.clear(), 0)

  t.equal(mock.journal.count({ status: 502 }), 1)
  t.match(mock.journal.list({ path: '/v1/cluster' }), [{ status: 502, fault: rule.id }])
  t.equal(mock.journal.clear(), 1)

  t.equal(mock.leaveCluster().in_cluster, false)
  t.equal((await call(mock, 'GET', '/v1/cluster')).status, 503)
  t.equal(mock.joinCluster().in_cluster, true)

  t.same(mock.setTransitionDelay(60_000), { transition_delay_ms: 60_000, pending: 0 })
  const created = await call(mock, 'POST', '/v1/bdbs', { name: 'lib', memory_size: 104857600 })
  t.equal(created.status, 200)
  t.equal((await call(mock, 'GET', `/v1/bdbs/${created.body.uid}`)).body.status, 'pending')
  t.ok(mock.completePending().completed >= 1)
  t.equal((await call(mock, 'GET', `/v1/bdbs/${created.body.uid}`)).body.status, 'active')

  const doc = mock.exportState()
  t.equal(doc.exported_at, '2026-04-01T00:00:00Z')
  mock.reset()
  t.equal((await call(mock, 'GET', `/v1/bdbs/${created.body.uid}`)).status, 404, 'reset forgets it')
  mock.importState(doc)
  t.equal((await call(mock, 'GET', `/v1/bdbs/${created.body.uid}`)).body.name, 'lib', 'import brings it back')
  t.throws(() => mock.importState({ format: 'nope' }), { code: 'invalid_state_document', statusCode: 400 })

  t.equal(mock.loadScenario('large').scenario, 'large')
  t.equal(mock.store.state.bdbs.size, 1000)
  t.equal(mock.reset().scenario, 'large')
  t.equal(mock.store.state.bdbs.size, 1000)
  t.throws(() => mock.loadScenario('nope'), { code: 'scenario_not_found' })
  now += 1
})

t.test('createMock and startMock({ inject: true }) have no socket', async t => {
  for (const mock of [await createMock(), await startMock({ inject: true, scenario: 'empty-cluster' })]) {
    t.notOk('url' in mock)
    t.equal(mock.app.server.listening, false)
    const res = await mock.inject({ method: 'GET', url: '/v1/cluster' })
    t.equal(res.statusCode, 200, 'admin login by default')
    const anon = await mock.inject({ method: 'GET', url: '/v1/cluster', headers: { authorization: '' } })
    t.equal(anon.statusCode, 401)
    mock.faults.add({ path: '/v1/cluster', action: { status: 500 } })
    t.equal((await mock.inject({ method: 'GET', url: '/v1/cluster' })).statusCode, 500)
    await mock.close()
  }
})

t.test('scenario, fresh node and control options', async t => {
  const mock = await createMock({ freshNode: true, control: { journalSize: 1, token: 't' } })
  t.teardown(() => mock.close())
  t.equal((await mock.inject({ method: 'GET', url: '/v1/bdbs' })).statusCode, 503)
  t.equal((await mock.inject({ method: 'GET', url: '/_mock/status', headers: { authorization: 'Bearer t' } })).json().scenario, 'fresh-node')
  await mock.inject({ method: 'GET', url: '/v1/x' })
  t.equal(mock.journal.count(), 1, 'journalSize')
})

t.test('a port in use rejects and leaves nothing behind', async t => {
  const a = await startMock()
  t.teardown(() => a.close())
  const before = rsMockDirs().length
  await t.rejects(startMock({ port: a.port }), { code: 'EADDRINUSE' })
  t.equal(rsMockDirs().length, before)
})

t.test('without the /_mock/ routes the library still drives faults and the journal', async t => {
  const mock = await createMock({ control: { enabled: false } })
  t.teardown(() => mock.close())
  mock.faults.add({ method: 'GET', path: '/v1/cluster', times: 1, action: { status: 503, error_code: 'cluster_busy', description: 'busy' } })
  t.equal((await mock.inject({ method: 'GET', url: '/v1/cluster' })).statusCode, 503, 'the fault fires')
  t.equal((await mock.inject({ method: 'GET', url: '/_mock/faults' })).statusCode, 404, 'no control routes')
  t.equal(mock.journal.count({ path: '/v1/cluster' }), 1, 'the request is journaled')
})

t.test('credentials and inject() hold for fixtures whose admin has another login', async t => {
  const dir = t.testdir()
  const { cpSync, readFileSync, writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { defaultFixturesDir } = await import('../../src/config.js')
  cpSync(defaultFixturesDir, dir, { recursive: true })
  const users = JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8'))
  users[0].email = 'root@example.com'
  users[0].password = 'other'
  writeFileSync(join(dir, 'users.json'), JSON.stringify(users))
  const mock = await createMock({ fixtures: dir })
  t.teardown(() => mock.close())
  t.equal((await mock.inject({ method: 'GET', url: '/v1/bdbs' })).statusCode, 200, 'inject logs in as the reported admin')
})

t.test('certsDir and certNames: the certificate is generated there, with those names, and served', async t => {
  const certsDir = join(t.testdir(), 'certs')
  const mock = await startMock({ certsDir, certNames: ['mock.internal', '10.1.2.3'] })
  t.teardown(() => mock.close())
  const pem = readFileSync(join(certsDir, 'cert.pem'), 'utf8')
  t.equal(mock.ca, pem, 'the CA handed out is the file in certsDir')
  const san = new X509Certificate(pem).subjectAltName ?? ''
  t.match(san, 'DNS:mock.internal')
  t.match(san, 'IP Address:10.1.2.3')
  t.equal((await call(mock, 'GET', '/v1/bdbs/1')).status, 200, 'verified against it')
  const again = await startMock({ certsDir })
  t.teardown(() => again.close())
  t.equal(again.ca, pem, 'a second start reuses it')
})

t.test('stateFile: what one instance changed, the next one starts from', async t => {
  const stateFile = join(t.testdir(), 'state.json')
  const first = await startMock({ stateFile, transitionDelayMs: 0 })
  const created = await call(first, 'POST', '/v1/bdbs', { name: 'kept', memory_size: 104857600 })
  t.equal(created.status, 200)
  await first.close()
  t.match(JSON.parse(readFileSync(stateFile, 'utf8')), { format: 'redis-enterprise-mock/state' })
  const second = await startMock({ stateFile })
  t.teardown(() => second.close())
  t.match((await call(second, 'GET', `/v1/bdbs/${created.body.uid}`)).body, { name: 'kept' })
})

t.test('transitionDelayMs: how long a new database stays pending', async t => {
  const slow = await createMock({ transitionDelayMs: 60_000 })
  t.teardown(() => slow.close())
  const fast = await createMock({ transitionDelayMs: 0 })
  t.teardown(() => fast.close())
  for (const [mock, status] of [[slow, 'pending'], [fast, 'active']] as const) {
    const uid = (await mock.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'timed', memory_size: 104857600 } })).json().uid
    t.equal((await mock.inject({ method: 'GET', url: `/v1/bdbs/${uid}?fields=status` })).json().status, status)
  }
})
