// Bootstrapping a fresh node over the API (docs/rs-api-notes.md §3, docs/decisions.md #6, #16, #17).
import t from 'tap'
import { buildTestApp, isRsError, basic } from '../helpers/app.js'
import { makeLicenseKey } from '../../src/store/settings/index.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const CREATE = { action: 'create_cluster', cluster: { name: 'prod.example.com' }, credentials: { username: 'ops@example.com', password: 'S3cret!' } }
const NEW_ADMIN = basic('ops@example.com', 'S3cret!')
const noAuth = { authorization: null }

async function freshApp (t: Parameters<typeof buildTestApp>[0], transitionDelayMs = 1000) {
  const c = { ms: T0, now: () => c.ms }
  const app = await buildTestApp(t, { freshNode: true, clock: c, transitionDelayMs })
  return { ...app, clock: c }
}

t.test('a fresh node: bootstrap routes open, everything else 503', async t => {
  const { call } = await freshApp(t)
  const res = await call('GET', '/v1/bootstrap', { headers: noAuth })
  t.equal(res.statusCode, 200)
  t.same(res.json().bootstrap_status, { state: 'idle' })
  t.equal(res.json().local_node_info.uid, '1')
  for (const url of ['/v1/cluster', '/v1/bdbs', '/v1/nodes', '/v1/license', '/v1/logs', '/v1/actions', '/v1/shards']) {
    isRsError(t, await call('GET', url, { headers: noAuth }), 503, 'node_not_in_cluster', url)
  }
})

t.test('create_cluster: idle → initiated → creating_cluster → completed, then a cluster member', async t => {
  const { call, clock, store } = await freshApp(t)
  const res = await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth })
  t.equal(res.statusCode, 200)
  const status = async () => (await call('GET', '/v1/bootstrap', { headers: noAuth })).json().bootstrap_status
  t.same(await status(), { start_time: '2026-03-01T12:00:00Z', state: 'initiated' })
  isRsError(t, await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth }), 409, 'bootstrap_in_progress')
  clock.ms += 1000
  t.equal((await status()).state, 'creating_cluster')
  isRsError(t, await call('GET', '/v1/cluster', { headers: noAuth }), 503, 'node_not_in_cluster', 'still 503 while creating')
  clock.ms += 1000
  const done = (await call('GET', '/v1/bootstrap', { headers: { authorization: NEW_ADMIN } })).json().bootstrap_status
  t.same(done, { end_time: '2026-03-01T12:00:02Z', start_time: '2026-03-01T12:00:00Z', state: 'completed' })
  t.equal(store.inCluster, true)

  isRsError(t, await call('GET', '/v1/bootstrap', { headers: noAuth }), 401, 'unauthorized', 'bootstrap needs credentials once in a cluster')
  isRsError(t, await call('GET', '/v1/cluster', { headers: noAuth }), 401, 'unauthorized')
  isRsError(t, await call('GET', '/v1/cluster'), 401, 'unauthorized', 'the fixture admin does not exist in the new cluster')
  isRsError(t, await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: { authorization: NEW_ADMIN } }), 409, 'already_in_cluster')

  const as = { headers: { authorization: NEW_ADMIN } }
  const cluster = (await call('GET', '/v1/cluster', as)).json()
  t.equal(cluster.name, 'prod.example.com')
  t.equal(cluster.created_time, '2026-03-01T12:00:02Z')
  const nodes = (await call('GET', '/v1/nodes', as)).json()
  t.equal(nodes.length, 1)
  t.match(nodes[0], { uid: 1, status: 'active', shard_list: [], shard_count: 0, ram_shard_count: 0 })
  t.ok(Number.isInteger(nodes[0].cores) && Number.isInteger(nodes[0].total_memory))
  t.same((await call('GET', '/v1/bdbs', as)).json(), [], 'no databases')
  t.same((await call('GET', '/v1/shards', as)).json(), [])
  const license = (await call('GET', '/v1/license', as)).json()
  t.match(license, {
    activation_date: '2026-03-01T12:00:02Z', expiration_date: '2026-03-31T12:00:02Z', expired: false, features: ['trial'],
    shards_limit: 4, cluster_name: null, owner: null, key: '', ram_shards_in_use: 0
  })
  t.match(license.license, /^----- DEFAULT LICENSE START -----\n[\s\S]+\n----- LICENSE END -----\n$/)
  t.same([...store.state.roles.values()].map(r => [r.uid, r.name, r.management]), [
    [1, 'Admin', 'admin'], [2, 'Cluster Member', 'cluster_member'], [3, 'Cluster Viewer', 'cluster_viewer'],
    [4, 'DB Member', 'db_member'], [5, 'DB Viewer', 'db_viewer'], [6, 'None', 'none']])
  t.same([...store.state.redisAcls.values()].map(a => [a.name, a.acl]), [
    ['Full Access', '+@all ~*'], ['Read Only', '+@read ~*'], ['Not Dangerous', '+@all -@dangerous ~*']])
  const users = [...store.state.users.values()].map(r => r.user)
  t.match(users, [{ uid: 1, email: 'ops@example.com', name: 'Administrator', role: 'admin', role_uids: [1], status: 'active', password_issue_date: '2026-03-01T12:00:02Z' }])
  t.equal((await call('GET', '/v1/modules', as)).json().length, store.seed.modules.length, 'the bundled modules')
  const events = (await call('GET', '/v1/logs', as)).json()
  t.same(events.slice(0, 4).map((e: any) => e.type), ['cluster_created', 'cluster_node_joined', 'user_created', 'cluster_license_updated'])
  t.match(events[1], { node_uid: '1', severity: 'INFO', time: '2026-03-01T12:00:02Z' })
})

t.test('a bootstrap caught by a state swap ends in error and may start again', async t => {
  const { call, clock, store } = await freshApp(t)
  t.equal((await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth })).statusCode, 200)
  // A state document saved mid-bootstrap: the request (and its password) is not in it.
  store.core.replace(structuredClone(store.state))
  const status = (await call('GET', '/v1/bootstrap', { headers: noAuth })).json().bootstrap_status
  t.match(status, { state: 'error', error_code: 'internal_error' })
  t.equal((await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth })).statusCode, 200, 'a new attempt is accepted')
  clock.ms += 2000
  t.equal((await call('GET', '/v1/bootstrap', { headers: { authorization: NEW_ADMIN } })).json().bootstrap_status.state, 'completed')
})

t.test('the trial license allows 4 shards', async t => {
  const { call, store } = await freshApp(t, 0)
  await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth })
  const as = { authorization: NEW_ADMIN }
  t.equal((await call('GET', '/v1/cluster', { headers: as })).statusCode, 200, 'delay 0: done by the next request')
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'a', memory_size: 1 << 30, replication: true }, headers: as })).statusCode, 200)
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'b', memory_size: 1 << 30 }, headers: as })).statusCode, 200)
  t.same((await call('GET', '/v1/bdbs/1', { headers: as })).json().shard_list, [1, 2], 'shard uids start again at 1')
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'c', memory_size: 1 << 30, replication: true }, headers: as }), 406, 'insufficient_resources')
  t.equal(store.cluster.license().ram_shards_in_use, 3)
})

t.test('an unusable body ends in state error with config_error; a new attempt may follow', async t => {
  const { call, clock } = await freshApp(t)
  for (const body of [
    { action: 'create_cluster', credentials: { username: 'a@b.c', password: 'x' } },
    { action: 'create_cluster', cluster: { name: 'bad_name!' }, credentials: { username: 'a@b.c', password: 'x' } },
    { action: 'create_cluster', cluster: { name: 'ok.local' }, credentials: { username: 'a@b.c' } },
    { action: 'create_cluster', cluster: { name: 7 }, credentials: { username: 'a@b.c', password: 'x' } },
    { action: 'join_cluster', cluster: { name: 'ok.local' }, credentials: { username: 'a@b.c', password: 'x' } },
    [1, 2]
  ]) {
    t.equal((await call('POST', '/v1/bootstrap/create_cluster', { body, headers: noAuth })).statusCode, 200)
    const status = (await call('GET', '/v1/bootstrap', { headers: noAuth })).json().bootstrap_status
    t.match(status, { state: 'error', error_code: 'config_error', error_details: { message: String } }, JSON.stringify(body))
  }
  isRsError(t, await call('GET', '/v1/cluster', { headers: noAuth }), 503, 'node_not_in_cluster')
  await call('POST', '/v1/bootstrap/create_cluster', { body: CREATE, headers: noAuth })
  clock.ms += 2000
  t.equal((await call('GET', '/v1/bootstrap', { headers: { authorization: NEW_ADMIN } })).json().bootstrap_status.state, 'completed', 'error → a new create')
})

t.test('validate checks without acting: 200, or 406 with a bootstrap_status', async t => {
  const { call, store } = await freshApp(t)
  const ok = await call('POST', '/v1/bootstrap/validate/create_cluster', { body: CREATE, headers: noAuth })
  t.equal(ok.statusCode, 200)
  const bad = await call('POST', '/v1/bootstrap/validate/create_cluster', { body: { action: 'create_cluster', cluster: { name: 'x.local' } }, headers: noAuth })
  t.equal(bad.statusCode, 406)
  t.match(bad.json(), { state: 'error', error_code: 'config_error', error_details: { message: /credentials/ } })
  t.same(store.bootstrap.status().bootstrap_status, { state: 'idle' }, 'nothing started')
  const badLicense = await call('POST', '/v1/bootstrap/validate/create_cluster', { body: { ...CREATE, license: 'garbage' }, headers: noAuth })
  t.match(badLicense.json(), { error_code: 'invalid_license' })
  const addr = await call('POST', '/v1/bootstrap/validate/create_cluster', { body: { ...CREATE, node: { identity: { addr: '192.0.2.1' } } }, headers: noAuth })
  t.match(addr.json(), { error_code: 'connect_error' })
})

t.test('join_cluster without a listener and recover_cluster fail with documented codes', async t => {
  const { call } = await freshApp(t)
  const join = { action: 'join_cluster', cluster: { nodes: ['10.0.0.12'] }, credentials: { username: 'a@b.c', password: 'x' } }
  t.equal((await call('POST', '/v1/bootstrap/join_cluster', { body: join, headers: noAuth })).statusCode, 200)
  t.match((await call('GET', '/v1/bootstrap', { headers: noAuth })).json().bootstrap_status, { state: 'error', error_code: 'connect_error', error_details: { message: /no listener/ } })
  // docs/decisions.md #51: cluster.nodes entries are address[:port]; a bad one is config_error before any connection
  for (const [nodes, code] of [[['10.0.0.12:9443', '[::1]:9443', '::1', 'db.example'], 'connect_error'], [['10.0.0.12:70000'], 'config_error'], [['a b'], 'config_error'], [['[::1'], 'config_error']] as const) {
    const res = await call('POST', '/v1/bootstrap/validate/join_cluster', { body: { ...join, cluster: { nodes } }, headers: noAuth })
    t.same([res.statusCode, res.json().error_code], [406, code], nodes.join(','))
  }
  t.equal((await call('POST', '/v1/bootstrap/validate/recover_cluster', { body: { action: 'recover_cluster', recovery_filename: '/tmp/r.rdb' }, headers: noAuth })).json().error_code, 'path_error')
  isRsError(t, await call('POST', '/v1/bootstrap/delete_cluster', { body: {}, headers: noAuth }), 503, 'node_not_in_cluster', 'an unknown action is no bootstrap route')
})

t.test('bootstrap with a license key and a policy', async t => {
  const { call, store } = await freshApp(t, 0)
  const key = makeLicenseKey({ shards_limit: 50, expiration_date: '2027-01-01T00:00:00Z', owner: 'ACME', cluster_name: 'prod.example.com' })
  await call('POST', '/v1/bootstrap/create_cluster', { body: { ...CREATE, license: key, policy: { default_shards_placement: 'sparse' } }, headers: noAuth })
  const lic = (await call('GET', '/v1/license', { headers: { authorization: NEW_ADMIN } })).json()
  t.match(lic, { shards_limit: 50, owner: 'ACME', cluster_name: 'prod.example.com', expiration_date: '2027-01-01T00:00:00Z', features: [] })
  t.equal(store.cluster.policy().default_shards_placement, 'sparse')
})
