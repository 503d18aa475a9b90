// Cluster, policy, nodes, license, modules, actions, shards and the event log.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { makeLicenseKey } from '../../src/store/settings/index.js'

const GB = 1073741824

t.test('GET/PUT /v1/cluster', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  t.equal((await call('GET', '/v1/cluster')).json().name, 'mock-cluster.local')
  t.same(Object.keys((await call('GET', '/v1/cluster?fields=name,cm_port')).json()), ['cm_port', 'name'])
  const dry = await call('PUT', '/v1/cluster?dry_run', { body: { email_alerts: true } })
  t.equal(dry.json().email_alerts, true)
  t.equal(store.clusterStateId, before, 'dry_run changes nothing')
  const res = await call('PUT', '/v1/cluster', { body: { email_alerts: true, smtp_host: 'smtp.local' } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { name: 'mock-cluster.local', email_alerts: true, smtp_host: 'smtp.local' })
  t.equal((await call('GET', '/v1/cluster')).json().email_alerts, true)
  t.ok(store.clusterStateId > before)
  t.match(store.state.events.at(-1), { type: 'cluster_smtp_host_updated', new_val: 'smtp.local' })
  isRsError(t, await call('PUT', '/v1/cluster', { body: { name: 'renamed' } }), 400, 'invalid_schema', 'name is read-only')
  isRsError(t, await call('PUT', '/v1/cluster', { body: { cm_port: 'x' } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/cluster', { body: { email_alerts: true }, as: 'cluster_member' }), 403, 'insufficient_permissions')
})

t.test('GET/PUT /v1/cluster/policy', async t => {
  const { call } = await buildTestApp(t)
  t.equal((await call('GET', '/v1/cluster/policy')).json().default_shards_placement, 'dense')
  const res = await call('PUT', '/v1/cluster/policy', { body: { default_shards_placement: 'sparse' } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '', 'status only')
  t.equal((await call('GET', '/v1/cluster/policy')).json().default_shards_placement, 'sparse')
  isRsError(t, await call('PUT', '/v1/cluster/policy', { body: { default_shards_placement: 'random' } }), 400, 'invalid_schema')
})

t.test('nodes and their status', async t => {
  const { call } = await buildTestApp(t)
  const nodes = (await call('GET', '/v1/nodes')).json()
  t.same(nodes.map((n: any) => n.uid), [1])
  t.same((await call('GET', '/v1/nodes?fields=uid,addr')).json(), [{ addr: '10.0.0.11', uid: 1 }])
  t.equal((await call('GET', '/v1/nodes/1')).json().addr, '10.0.0.11')
  isRsError(t, await call('GET', '/v1/nodes/2'), 404, 'node_not_found')
  const status = (await call('GET', '/v1/nodes/1/status')).json()
  t.match(status, { cores: 4, node_status: 'active', role: 'master', master_shards: [1, 2, 4, 5], slave_shards: [3] })
  t.ok(status.free_ram < status.total_memory, 'the databases use memory')
  t.same(Object.keys((await call('GET', '/v1/nodes/status')).json()), ['1'])
  isRsError(t, await call('GET', '/v1/nodes/7/status'), 404, 'node_not_found')
})

t.test('license: GET, PUT with 400 invalid_license and 406 license_violation', async t => {
  const c = { ms: Date.parse('2026-03-01T00:00:00Z'), now: () => c.ms }
  const { call, store } = await buildTestApp(t, { clock: c })
  t.equal((await call('GET', '/v1/license')).json().shards_limit, 100000)
  isRsError(t, await call('PUT', '/v1/license', { body: { license: 'not a key' } }), 400, 'invalid_license')
  isRsError(t, await call('PUT', '/v1/license', { body: {} }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/license', { body: { license: makeLicenseKey({ shards_limit: 'many' }) } }), 400, 'invalid_license')
  isRsError(t, await call('PUT', '/v1/license', { body: { license: makeLicenseKey({ expiration_date: '2026-01-01T00:00:00Z' }) } }), 406, 'license_violation')
  isRsError(t, await call('PUT', '/v1/license', { body: { license: makeLicenseKey({ cluster_name: 'other.local' }) } }), 406, 'license_violation')
  isRsError(t, await call('PUT', '/v1/license', { body: { license: makeLicenseKey({ shards_limit: 2 }) } }), 406, 'license_violation', 'fewer shards than in use')
  isRsError(t, await call('PUT', '/v1/license', { body: { license: makeLicenseKey({}) }, as: 'cluster_member' }), 403, 'insufficient_permissions')
  const before = store.clusterStateId
  const opaque = '----- LICENSE START -----\nQUJDREVGR0g=\n----- LICENSE END -----\n'
  const res = await call('PUT', '/v1/license', { body: { license: opaque } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { license: opaque, shards_limit: null, expired: false, expiration_date: '2027-03-01T00:00:00Z', ram_shards_in_use: 5 })
  t.ok(store.clusterStateId > before)
  t.equal(store.state.events.at(-1)?.type, 'cluster_license_updated')
})

t.test('modules and master_healthcheck', async t => {
  const { call, store } = await buildTestApp(t)
  const list = (await call('GET', '/v1/modules')).json()
  t.equal(list.length, store.seed.modules.length)
  t.equal((await call('GET', `/v1/modules/${String(list[0].uid)}`)).json().module_name, list[0].module_name)
  isRsError(t, await call('GET', '/v1/modules/0123456789abcdef0123456789abcdef'), 404, 'module_not_found')
  t.same((await call('GET', '/v1/local/node/master_healthcheck')).json(), { status: 'active' })
})

t.test('actions: v1, v2, per database', async t => {
  const { call, store } = await buildTestApp(t)
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'x', memory_size: GB } })).json()
  const v1 = (await call('GET', '/v1/actions')).json()
  t.same(Object.keys(v1), ['actions', 'state-machines'])
  t.match(v1['state-machines'], [{ action_uid: created.action_uid, name: 'SMCreateBDB', object_name: 'bdb:4', status: 'active' }])
  const v2 = (await call('GET', '/v2/actions')).json()
  t.match(v2, [{ action_type: 'state-machine', action_uid: created.action_uid, status: 'running', progress: 0, additional_info: { object_type: 'bdb', object_uid: '4' } }])
  t.type(v2[0].creation_time, 'number', 'v2 creation_time is an integer epoch')
  store.core.completeAll()
  t.match((await call('GET', `/v2/actions/${String(created.action_uid)}`)).json(), { status: 'completed', progress: 100 })
  t.same(Object.keys((await call('GET', `/v1/actions/${String(created.action_uid)}`)).json()), ['action_uid', 'heartbeat', 'name', 'object_name', 'status'])
  t.equal((await call('GET', '/v1/actions/bdb/4')).json().length, 1)
  t.same((await call('GET', '/v1/actions/bdb/1')).json(), [])
  isRsError(t, await call('GET', '/v1/actions/bdb/99'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/actions/nope'), 404, 'action_not_found')
  isRsError(t, await call('GET', '/v2/actions/nope'), 404, 'action_not_found')
})

t.test('shards are derived from the databases', async t => {
  const { call } = await buildTestApp(t)
  const shards = (await call('GET', '/v1/shards')).json()
  t.same(shards.map((s: any) => [s.uid, s.bdb_uid, s.role, s.assigned_slots]), [
    ['1', 1, 'master', '0-16383'], ['2', 2, 'master', '0-16383'], ['3', 2, 'slave', '0-16383'],
    ['4', 3, 'master', '0-8191'], ['5', 3, 'master', '8192-16383']])
  t.match(shards[0], { node_uid: '1', status: 'active', detailed_status: 'ok', loading: { status: 'idle' }, redis_info: {} })
  t.equal((await call('GET', '/v1/shards/3')).json().role, 'slave')
  isRsError(t, await call('GET', '/v1/shards/99'), 404, 'shard_not_found')
  t.same((await call('GET', '/v1/bdbs/3/shards?fields=uid')).json(), [{ uid: '4' }, { uid: '5' }])
  isRsError(t, await call('GET', '/v1/bdbs/9/shards'), 404, 'bdb_not_found')
  await call('POST', '/v1/bdbs', { body: { name: 'new', memory_size: GB } })
  t.match((await call('GET', '/v1/shards/6')).json(), { status: 'inactive', bdb_uid: 4 }, 'not serving while pending')
})

t.test('?extra_info_keys= fills redis_info with the INFO fields asked for, consistent with the shard stats', async t => {
  const { call } = await buildTestApp(t)
  // the page's example, as printed
  const all = (await call('GET', '/v1/shards?extra_info_keys=used_memory_rss&extra_info_keys=connected_clients')).json()
  for (const s of all) {
    t.same(Object.keys(s.redis_info), ['used_memory_rss', 'connected_clients'], `shard ${s.uid}: the keys asked for, in that order`)
    t.type(s.redis_info.used_memory_rss, 'number')
    t.type(s.redis_info.connected_clients, 'number')
  }
  const one = (await call('GET', '/v1/shards/4?extra_info_keys=used_memory,maxmemory,redis_version,role,aof_enabled,no_such_field')).json()
  t.same(Object.keys(one.redis_info), ['used_memory', 'maxmemory', 'redis_version', 'role', 'aof_enabled'], 'a field INFO does not have is left out')
  t.equal(one.redis_info.role, 'master')
  t.type(one.redis_info.redis_version, 'string')
  const bdb = (await call('GET', '/v1/bdbs/3')).json()
  t.equal(one.redis_info.maxmemory, Math.floor(bdb.memory_size / bdb.shard_list.length), "maxmemory: the shard's part of the database's memory")
  const replicated = (await call('GET', '/v1/bdbs/2')).json()
  const replica = (await call('GET', '/v1/shards/3?extra_info_keys=maxmemory')).json()
  t.equal(replica.redis_info.maxmemory, Math.floor(replicated.memory_size / 2), 'a replicated database: split over master and replica, as the exporter\'s redis_server_maxmemory')
  const stats = (await call('GET', '/v1/shards/stats/last/4')).json()
  const sample = stats['4'] ?? Object.values(stats)[0]
  t.ok(Math.abs(one.redis_info.used_memory - sample.used_memory) <= sample.used_memory * 0.05 + 1024,
    `used_memory agrees with /v1/shards/stats/last (${one.redis_info.used_memory} ~ ${sample.used_memory})`)
  t.same((await call('GET', '/v1/bdbs/3/shards?extra_info_keys=role')).json().map((s: any) => s.redis_info), [{ role: 'master' }, { role: 'master' }])
  t.same((await call('GET', '/v1/shards/3?extra_info_keys=role,slave_repl_offset')).json().redis_info.role, 'slave')
  t.same((await call('GET', '/v1/shards/1')).json().redis_info, {}, 'none asked, none given')
})

t.test('GET /v1/logs: time window, order, paging, bad values', async t => {
  const c = { ms: Date.parse('2026-03-01T00:00:00Z'), now: () => c.ms }
  const { call } = await buildTestApp(t, { clock: c, transitionDelayMs: 0 })
  for (const name of ['a', 'b', 'c']) {
    await call('POST', '/v1/bdbs', { body: { name, memory_size: GB } })
    c.ms += 60_000
  }
  const all = (await call('GET', '/v1/logs')).json().filter((e: any) => e.type === 'cluster_bdb_created')
  t.same(all.map((e: any) => e.bdb_name), ['a', 'b', 'c'])
  t.same(Object.keys(all[0]), ['time', 'type', 'severity', 'bdb_uid', 'bdb_name'])
  t.equal(all[0].bdb_uid, '4', 'bdb_uid is a string')
  const created = (q: string) => call('GET', `/v1/logs?${q}`).then(r => r.json().filter((e: any) => e.type === 'cluster_bdb_created').map((e: any) => e.bdb_name))
  t.same(await created('order=desc'), ['c', 'b', 'a'])
  t.same(await created('stime=2026-03-01T00:01:00Z'), ['b', 'c'])
  t.same(await created('etime=2026-03-01T00:01:00'), ['a', 'b'], 'no zone: UTC')
  t.same((await call('GET', '/v1/logs?limit=1&offset=1')).json().length, 1)
  t.same((await call('GET', '/v1/logs?limit=0')).json(), [])
  for (const q of ['order=up', 'limit=-1', 'limit=x', 'offset=1.5', 'stime=yesterday', 'etime=2026-13-45T00:00:00Z']) {
    isRsError(t, await call('GET', `/v1/logs?${q}`), 400, 'invalid_param', q)
  }
  isRsError(t, await call('GET', '/v1/logs', { as: 'db_viewer' }), 403, 'insufficient_permissions')
})
