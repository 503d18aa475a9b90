// Database create/update/delete with their rules, async transitions and bookkeeping.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { makeLicenseKey } from '../../src/store/settings/index.js'
import { createMock } from '../../src/library.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }
const GB = 1073741824

t.test('POST /v1/bdbs creates a pending database that becomes active after the delay', async t => {
  const c = clock()
  const { call, store } = await buildTestApp(t, { clock: c, transitionDelayMs: 500 })
  const before = store.clusterStateId
  const res = await call('POST', '/v1/bdbs', { body: { name: 'orders', memory_size: GB, type: 'redis' } })
  t.equal(res.statusCode, 200, 'a create answers 200, never 201')
  const bdb = res.json()
  t.equal(bdb.uid, 4, 'next uid after the fixtures')
  t.equal(bdb.status, 'pending')
  t.match(bdb.action_uid, /^[0-9a-f-]{36}$/)
  const keys = Object.keys(bdb)
  t.same(keys, [...keys].sort(), 'keys in sorted order, action_uid included')
  t.equal(bdb.port, 0, 'an auto-assigned port reads 0')
  t.equal(bdb.endpoints[0].port, 10000, 'lowest free port of 10000-19999')
  t.match(bdb.endpoints[0], { uid: '4:1', dns_name: 'redis-10000.mock-cluster.local', addr: ['10.0.0.11'], proxy_policy: 'single' })
  t.same(bdb.shard_list, [6], 'next global shard uid')
  t.equal(bdb.authentication_admin_pass.length, 48)
  t.equal(bdb.created_time, '2026-03-01T12:00:00Z')
  t.equal(bdb.version, '8.0.0')
  t.equal(bdb.module_list.length, 4, 'bundled modules of a Redis 8.0 database')
  t.ok(store.clusterStateId > before, 'cluster-state-id increased')
  t.equal(res.headers['cluster-state-id'], String(store.clusterStateId))

  const node = (await call('GET', '/v1/nodes/1')).json()
  t.same(node.shard_list, [1, 2, 3, 4, 5, 6])
  t.equal(node.shard_count, 6)
  t.equal(node.ram_shard_count, 6)
  t.equal((await call('GET', '/v1/license')).json().ram_shards_in_use, 6)

  c.ms += 499
  t.equal((await call('GET', '/v1/bdbs/4')).json().status, 'pending', 'not before the delay')
  c.ms += 1
  const active = (await call('GET', '/v1/bdbs/4')).json()
  t.equal(active.status, 'active')
  t.notOk('action_uid' in active, 'action_uid leaves with the finished action')
  const sm = (await call('GET', `/v1/actions/${String(bdb.action_uid)}`)).json()
  t.match(sm, { name: 'SMCreateBDB', object_name: 'bdb:4', status: 'completed' })
})

t.test('create: defaults follow the request', async t => {
  const { call } = await buildTestApp(t)
  const sharded = (await call('POST', '/v1/bdbs', { body: { name: 'big', memory_size: GB, sharding: true, shards_count: 3, replication: true, port: 12345 } })).json()
  t.same(sharded.shard_list, [6, 7, 8, 9, 10, 11], 'masters then replicas')
  t.equal(sharded.port, 12345)
  t.equal(sharded.endpoints[0].port, 12345)
  t.equal(sharded.proxy_policy, 'all-master-shards', 'policy default for sharded databases')
  t.same(sharded.shard_key_regex, [{ regex: '.*\\{(?<tag>.*)\\}.*' }, { regex: '(?<tag>.*)' }])
  const shards = (await call('GET', '/v1/bdbs/4/shards')).json()
  t.same(shards.map((s: any) => [s.uid, s.role, s.assigned_slots]), [
    ['6', 'master', '0-5460'], ['7', 'master', '5461-10921'], ['8', 'master', '10922-16383'],
    ['9', 'slave', '0-5460'], ['10', 'slave', '5461-10921'], ['11', 'slave', '10922-16383']])
  const v74 = (await call('POST', '/v1/bdbs', { body: { name: 'old', memory_size: GB, redis_version: '7.4', module_list: [{ module_name: 'search' }] } })).json()
  t.equal(v74.version, '7.4.2')
  t.same(v74.module_list.map((m: any) => [m.module_name, m.semantic_version]), [['search', '2.10.17']], 'the module version for Redis 7.4')
  const mc = (await call('POST', '/v1/bdbs', { body: { name: 'mc', memory_size: GB, type: 'memcached' } })).json()
  t.same(mc.module_list, [], 'memcached loads no modules')
  t.equal(mc.endpoints[0].port, 10001, 'the next free port')
  const tagged = (await call('POST', '/v1/bdbs', { body: { uid: 40, name: 'tagged', memory_size: GB, tags: [{ key: 'team', value: 'a' }] } })).json()
  t.equal(tagged.uid, 40, 'a requested uid')
  t.same(Object.keys(tagged), [...Object.keys(tagged)].sort(), 'an optional field lands in sorted position')
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'next', memory_size: 1 } })).json().uid, 41, 'max + 1')
})

t.test('create: schema errors are 400 invalid_schema naming the field', async t => {
  const { call } = await buildTestApp(t)
  for (const [body, field] of [
    [{ name: 'x', memory_size: GB, colour: 'red' }, 'colour'],
    [{ name: 'x', memory_size: '1' }, 'memory_size'],
    [{ name: 'x', memory_size: GB, eviction_policy: 'lru' }, 'eviction_policy'],
    [{ name: 'x', memory_size: GB, status: 'active' }, 'status']
  ] as const) {
    const res = await call('POST', '/v1/bdbs', { body })
    isRsError(t, res, 400, 'invalid_schema')
    t.match(res.json().description, field)
  }
  isRsError(t, await call('POST', '/v2/bdbs', { body: { name: 'x', memory_size: 1 } }), 400, 'invalid_schema', 'v2 wants {bdb}')
})

t.test('create: semantic errors (docs/decisions.md #9)', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  const cases: Array<[object, number, string]> = [
    [{ memory_size: GB }, 406, 'missing_db_name'],
    [{ name: 'x' }, 406, 'missing_memory_size'],
    [{ name: 'x', memory_size: GB, port: 12000 }, 406, 'port_unavailable'],
    [{ name: 'x', memory_size: GB, port: 13001 }, 406, 'port_unavailable'],
    [{ name: 'x', memory_size: GB, port: 10050 }, 406, 'port_unavailable'],
    [{ name: 'x', memory_size: GB, port: 8080 }, 406, 'port_unavailable'],
    [{ name: 'x', memory_size: GB, redis_version: '5.0' }, 406, 'invalid_version'],
    [{ name: 'x', memory_size: GB, shards_count: 2 }, 406, 'invalid_sharding'],
    [{ name: 'x', memory_size: GB, module_list: [{ module_name: 'nope' }] }, 406, 'missing_module'],
    [{ name: 'x', memory_size: GB, module_list: [{}] }, 406, 'missing_module'],
    [{ name: 'x', memory_size: GB, type: 'memcached', module_list: [{ module_name: 'bf' }] }, 406, 'memcached_cannot_use_modules'],
    [{ name: 'x', memory_size: GB, roles_permissions: [{ role_uid: 99, redis_acl_uid: 1 }] }, 406, 'invalid_role_permissions'],
    [{ name: 'x', memory_size: GB, roles_permissions: [{ role_uid: 4, redis_acl_uid: 99 }] }, 406, 'invalid_role_permissions'],
    [{ name: 'cache', memory_size: GB }, 409, 'name_in_use'],
    [{ uid: 2, name: 'x', memory_size: GB }, 409, 'uid_exists']
  ]
  for (const [body, status, code] of cases) isRsError(t, await call('POST', '/v1/bdbs', { body }), status, code, `${code}: ${JSON.stringify(body)}`)
  t.equal(store.clusterStateId, before, 'rejected creates change nothing')
  t.equal(store.bdbs.list().length, 3)
  const ok = await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: GB, roles_permissions: [{ role_uid: 4, redis_acl_uid: 3 }] } })
  t.equal(ok.statusCode, 200, 'existing role and ACL accepted')
})

t.test('create: the license limits shards and an expired one forbids (docs/decisions.md #16)', async t => {
  const c = clock()
  const { call, store } = await buildTestApp(t, { clock: c })
  const small = makeLicenseKey({ shards_limit: 7, expiration_date: '2026-04-01T00:00:00Z' })
  t.equal((await call('PUT', '/v1/license', { body: { license: small } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: GB, replication: true, shards_count: 2, sharding: true } }), 406, 'insufficient_resources')
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: GB, replication: true } })).statusCode, 200, '5 + 2 = 7 fits')
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'y', memory_size: GB } }), 406, 'insufficient_resources')
  store.core.completeAll()
  c.ms = Date.parse('2026-04-01T00:00:00Z')
  t.equal((await call('GET', '/v1/license')).json().expired, true, 'expired follows the clock')
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'z', memory_size: GB } }), 403, 'license_expired')
  isRsError(t, await call('PUT', '/v1/bdbs/1/flush'), 403, 'license_expired')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: 2 * GB } })).statusCode, 200, 'a plain update is still allowed')
})

t.test('?dry_run validates and changes nothing', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  const res = await call('POST', '/v1/bdbs?dry_run', { body: { name: 'dry', memory_size: GB } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().name, 'dry')
  t.notOk('action_uid' in res.json())
  isRsError(t, await call('POST', '/v1/bdbs?dry_run=true', { body: { name: 'cache', memory_size: GB } }), 409, 'name_in_use')
  t.equal((await call('PUT', '/v1/bdbs/1?dry_run', { body: { name: 'renamed' } })).json().name, 'renamed')
  t.equal((await call('POST', '/v2/bdbs?dry_run', { body: { bdb: { name: 'dry2', memory_size: GB } } })).statusCode, 200)
  t.equal(store.clusterStateId, before, 'no cluster-state-id bump')
  t.equal(store.bdbs.list().length, 3)
  t.equal(store.bdbs.get(1).name, 'cache')
  t.equal(store.state.actions.length, 0)
})

t.test('POST /v2/bdbs', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('POST', '/v2/bdbs', {
    body: { bdb: { name: 'v2', memory_size: GB }, recovery_plan: { original_bdb_shards: [{ assigned_slots: '0-16383', node_uid: '1', role: 'master', uid: '1' }] } }
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { uid: 4, name: 'v2', status: 'pending' })
})

t.test('PUT /v1/bdbs/{uid}: partial update through active-change-pending; 409 busy meanwhile', async t => {
  const c = clock()
  const { call, store } = await buildTestApp(t, { clock: c })
  const before = store.clusterStateId
  const res = await call('PUT', '/v1/bdbs/1', { body: { name: 'cache2', memory_size: 2 * GB, port: 12500, proxy_policy: 'all-nodes' } })
  t.equal(res.statusCode, 200)
  const bdb = res.json()
  t.match(bdb, { uid: 1, name: 'cache2', memory_size: 2 * GB, status: 'active-change-pending', port: 12500 })
  t.match(bdb.endpoints[0], { port: 12500, dns_name: 'redis-12500.mock-cluster.local', proxy_policy: 'all-nodes' })
  t.type(bdb.action_uid, 'string')
  t.equal(bdb.eviction_policy, store.seed.bdbs[0].eviction_policy, 'other fields kept')
  t.ok(store.clusterStateId > before)
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { memory_size: GB } }), 409, 'busy')
  isRsError(t, await call('DELETE', '/v1/bdbs/1'), 409, 'busy')
  t.match((await call('GET', '/v1/actions/bdb/1')).json(), [{ name: 'SMUpdateBDB', object_name: 'bdb:1', status: 'active', progress: 0, pending_ops: {} }])
  c.ms += 100
  t.equal((await call('GET', '/v1/bdbs/1')).json().status, 'active')
  t.match((await call('GET', '/v1/actions/bdb/1')).json(), [{ status: 'completed' }])
  const events = store.state.events.filter(e => e.bdb_uid === '1')
  t.match(events.find(e => e.type === 'bdb_name_updated'), { old_val: 'cache', new_val: 'cache2', severity: 'INFO', time: '2026-03-01T12:00:00Z' })
  t.ok(events.some(e => e.type === 'bdb_memory_size_updated'))
})

t.test('update: rules and reshaping', async t => {
  const { call, store } = await buildTestApp(t)
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { name: 'sessions' } }), 409, 'name_in_use')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { port: 12010 } }), 406, 'port_unavailable')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { uid: 7 } }), 400, 'invalid_schema', 'uid is create-only')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { roles_permissions: [{ role_uid: 1, redis_acl_uid: 42 }] } }), 406, 'invalid_role_permissions')
  isRsError(t, await call('PUT', '/v1/bdbs/99', { body: { memory_size: 1 } }), 404, 'bdb_not_found')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { port: 12000 } })).statusCode, 200, 'its own port is fine')
  store.core.completeAll()
  const grown = (await call('PUT', '/v1/bdbs/1', { body: { replication: true } })).json()
  t.same(grown.shard_list, [1, 6], 'a replica added with a new uid')
  store.core.completeAll()
  const resharded = (await call('PUT', '/v1/bdbs/3', { body: { shards_count: 1, sharding: false } })).json()
  t.same(resharded.shard_list, [4])
  t.same(store.cluster.node(1).shard_list, [1, 2, 3, 4, 6])
  t.equal(store.cluster.license().ram_shards_in_use, 5)
})

t.test('DELETE /v1/bdbs/{uid}: 200 {action_uid}, delete-pending, then gone with its shards', async t => {
  const c = clock()
  const { call, store } = await buildTestApp(t, { clock: c })
  const res = await call('DELETE', '/v1/bdbs/2')
  t.equal(res.statusCode, 200)
  t.same(Object.keys(res.json()), ['action_uid'])
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'delete-pending')
  isRsError(t, await call('DELETE', '/v1/bdbs/2'), 409, 'busy')
  c.ms += 100
  isRsError(t, await call('GET', '/v1/bdbs/2'), 404, 'bdb_not_found')
  t.same((await call('GET', '/v1/shards')).json().map((s: any) => s.uid), ['1', '4', '5'])
  t.same(store.cluster.node(1).shard_list, [1, 4, 5])
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'SMDeleteBDB', status: 'completed' })
  t.match(store.state.events.at(-1), { type: 'cluster_bdb_deleted', bdb_uid: '2', bdb_name: 'sessions' })
  isRsError(t, await call('DELETE', '/v1/bdbs/2'), 404, 'bdb_not_found')
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'fresh', memory_size: GB } })).json()
  isRsError(t, await call('DELETE', `/v1/bdbs/${String(created.uid)}`), 409, 'busy', 'a database being created cannot be deleted')
  store.bdbs.get(1).internal = true
  isRsError(t, await call('DELETE', '/v1/bdbs/1'), 403, 'internal_bdb')
})

t.test('flush and reset_admin_pass', async t => {
  const { call, store } = await buildTestApp(t)
  const pass = store.bdbs.get(1).authentication_admin_pass
  const reset = await call('PUT', '/v1/bdbs/1/reset_admin_pass')
  t.equal(reset.statusCode, 200)
  t.not(reset.json().authentication_admin_pass, pass)
  t.equal(reset.json().authentication_admin_pass.length, 48)
  const flushed = await call('PUT', '/v1/bdbs/1/flush')
  t.equal(flushed.statusCode, 200)
  t.equal(flushed.json().uid, 1)
  const tasks = (await call('GET', '/v1/actions')).json().actions
  t.match(tasks, [{ name: 'flush_bdb', node_uid: '1', progress: '0', status: 'running' }])
  store.core.completeAll()
  t.match((await call('GET', '/v1/actions')).json().actions, [{ progress: '100', status: 'completed' }])
  isRsError(t, await call('PUT', '/v1/bdbs/9/flush'), 404, 'bdb_not_found')
  isRsError(t, await call('PUT', '/v1/bdbs/1/flush', { as: 'db_viewer' }), 403, 'insufficient_permissions')
})

t.test('flush and reset_admin_pass apply their body as an update first', async t => {
  const { call, store } = await buildTestApp(t)
  t.equal(store.bdbs.get(1).data_persistence, 'disabled')
  const flushed = await call('PUT', '/v1/bdbs/1/flush', { body: { data_persistence: 'snapshot' } })
  t.equal(flushed.statusCode, 200)
  t.equal(flushed.json().data_persistence, 'snapshot', 'the answer shows the update')
  store.core.completeAll()
  t.equal((await call('GET', '/v1/bdbs/1')).json().data_persistence, 'snapshot', 'and so does a read')
  const names = store.state.actions.map(a => a.name)
  t.ok(names.includes('SMUpdateBDB') && names.includes('flush_bdb'), `the update and the flush both ran: ${names.join(', ')}`)

  const pass = store.bdbs.get(1).authentication_admin_pass
  const reset = await call('PUT', '/v1/bdbs/1/reset_admin_pass', { body: { data_persistence: 'aof' } })
  t.equal(reset.statusCode, 200)
  t.equal(reset.json().data_persistence, 'aof')
  t.not(reset.json().authentication_admin_pass, pass)
  store.core.completeAll()

  const dry = await call('PUT', '/v1/bdbs/1/flush?dry_run=1', { body: { data_persistence: 'snapshot' } })
  t.equal(dry.json().data_persistence, 'snapshot', 'a dry run answers the update')
  t.equal(store.bdbs.get(1).data_persistence, 'aof', 'and applies nothing')
  const before = store.state.clusterStateId
  isRsError(t, await call('PUT', '/v1/bdbs/1/flush', { body: { data_persistence: 'sometimes' } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/bdbs/1/reset_admin_pass', { body: { memory_size: -1 } }), 400, 'invalid_schema')
  t.equal(store.state.clusterStateId, before, 'a refused body changes nothing, and starts no action')
})

t.test('concurrent creates get unique uids, ports and shards; nothing is lost', async t => {
  const { call, store } = await buildTestApp(t)
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    call('POST', '/v1/bdbs', { body: { name: `db-${i}`, memory_size: GB / 8, replication: i % 2 === 0 } })))
  t.ok(results.every(r => r.statusCode === 200))
  const bdbs = results.map(r => r.json())
  t.equal(new Set(bdbs.map(b => b.uid)).size, 20, 'unique uids')
  t.equal(new Set(bdbs.map(b => b.endpoints[0].port)).size, 20, 'unique ports')
  const shards = [...store.bdbs.list()].flatMap(b => b.shard_list)
  t.equal(new Set(shards).size, shards.length, 'unique shard uids')
  t.equal(store.bdbs.list().length, 23)
  t.equal(store.cluster.node(1).shard_count, shards.length)
})

t.test('permissions of the write routes', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: 1 }, as: 'db_viewer' }), 403, 'insufficient_permissions')
  isRsError(t, await call('DELETE', '/v1/bdbs/1', { as: 'cluster_viewer' }), 403, 'insufficient_permissions')
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: 1 }, as: 'db_member' })).statusCode, 200)
})

t.test('insufficient_resources: databases must fit the nodes\' memory (docs/decisions.md #61)', async t => {
  const { call, store } = await buildTestApp(t)
  const total = Number(store.state.nodes.get(1)!.total_memory)
  const used = [...store.bdbs.list()].reduce((n, b) => n + b.memory_size * (b.replication ? 2 : 1), 0)
  const room = total - used
  t.ok(room > 0, 'the fixtures fit their node')
  const before = store.state.clusterStateId
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'huge', memory_size: 999 * GB } }), 406, 'insufficient_resources', '999 GB')
  isRsError(t, await call('POST', '/v1/bdbs', { body: { name: 'twice', memory_size: Math.floor(room / 2) + GB, replication: true } }), 406,
    'insufficient_resources', 'replication counts twice')
  t.equal(store.state.clusterStateId, before, 'nothing was created')
  const fits = await call('POST', '/v1/bdbs', { body: { name: 'fits', memory_size: Math.floor(room / 2) - GB, replication: true } })
  t.equal(fits.statusCode, 200, 'what fits is created')
  store.core.completeAll()
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { memory_size: 2 * room } }), 406, 'insufficient_resources', 'an update that grows')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { replication: true, memory_size: room } }), 406, 'insufficient_resources')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: GB / 2 } })).statusCode, 200, 'shrinking is always fine')
  store.core.completeAll()
  t.equal((await call('PUT', '/v1/bdbs/2', { body: { eviction_policy: 'noeviction' } })).statusCode, 200, 'so is a change that does not grow')
})

t.test('a node whose databases the others cannot host cannot be removed', async t => {
  const mock = await createMock({ nodes: 2, transitionDelayMs: 0 })
  const total = Number(mock.store.state.nodes.get(1)!.total_memory)
  const res = await mock.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'big', memory_size: Math.floor(total * 0.6) } })
  t.equal(res.statusCode, 200, 'fits on two nodes')
  mock.completePending()
  const removed = await mock.inject({ method: 'POST', url: '/v1/nodes/2/actions/remove' })
  t.same([removed.statusCode, removed.json().error_code], [406, 'insufficient_resources'])
  t.equal(mock.store.state.nodes.size, 2, 'the node stays')
})
