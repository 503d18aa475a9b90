// recover (plan and action), rebalance, revamp and optimize_shards_placement (docs/rs-api-notes.md §5.7).
import t from 'tap'
import { buildTestApp, isRsError, twoNodeApp } from '../helpers/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const seed = loadSeed(defaultFixturesDir)

t.test('optimize_shards_placement: a blueprint for the database or for other settings', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/bdbs/3/actions/optimize_shards_placement')
  t.equal(res.statusCode, 200)
  t.ok(Number(res.headers['cluster-state-id']) > 0, 'cluster-state-id to send with the rearrange')
  t.same(res.json(), [
    { nodes: [{ node_uid: '1', role: 'master' }], slot_range: '0-8191' },
    { nodes: [{ node_uid: '1', role: 'master' }], slot_range: '8192-16383' }
  ])
  const three = (await call('GET', '/v1/bdbs/3/actions/optimize_shards_placement?shards_count=3&replication=enabled&memory_size=10000')).json()
  t.equal(three.length, 3)
  t.same(three[2], { nodes: [{ node_uid: '1', role: 'master' }, { node_uid: '1', role: 'slave' }], slot_range: '10922-16383' })
  for (const q of ['shards_count=0', 'shards_count=513', 'shards_count=two', 'replication=yes', 'memory_size=-1', 'shards_placement=round']) {
    isRsError(t, await call('GET', `/v1/bdbs/3/actions/optimize_shards_placement?${q}`), 400, 'invalid_param', q)
  }
  isRsError(t, await call('GET', '/v1/bdbs/3/actions/optimize_shards_placement?avoid_nodes=1'), 406, 'insufficient_resources')
  isRsError(t, await call('GET', '/v1/bdbs/99/actions/optimize_shards_placement'), 404, 'bdb_not_found')
})

t.test('rebalance: the replica goes to the other node; dry_run only shows the blueprint', async t => {
  const { store, c, call, nodeOf } = await twoNodeApp(t, T0)
  const before = store.clusterStateId
  const dry = await call('PUT', '/v1/bdbs/2/actions/rebalance?dry_run=true&only_failovers=true')
  t.same(dry.json(), [{ nodes: [{ node_uid: '1', role: 'master' }, { node_uid: '2', role: 'slave' }], slot_range: '0-16383' }])
  t.equal(store.clusterStateId, before, 'a dry run changes nothing')
  t.equal(await nodeOf(3), '1')

  const res = await call('PUT', '/v1/bdbs/2/actions/rebalance')
  t.equal(res.statusCode, 200)
  t.same(Object.keys(res.json()), ['action_uid'])
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'active-change-pending')
  isRsError(t, await call('PUT', '/v1/bdbs/2/actions/rebalance'), 409, 'busy')
  t.equal(await nodeOf(3), '2', 'the replica moved')
  t.equal(await nodeOf(2), '1')
  t.match((await call('GET', '/v1/nodes/2')).json(), { shard_list: [3], shard_count: 1 })
  t.match((await call('GET', '/v1/nodes/1')).json(), { shard_list: [1, 2, 4, 5], shard_count: 4 })
  c.ms += 1000
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'active')
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'SMRebalanceBDB', status: 'completed' })

  // placement survives a later change of another database and the state document
  t.equal((await call('POST', '/v1/bdbs', { name: 'later', memory_size: 1e6 })).statusCode, 200)
  t.equal(await nodeOf(3), '2')
  const copy = createStore(seed)
  copy.importState(store.exportState())
  // the new database's shard is placed across the nodes too (store/topology/topology.ts); 3 stays on node 2
  t.ok((store.state.nodes.get(2)?.shard_list as number[]).includes(3))
  t.same(copy.state.nodes.get(2)?.shard_list, store.state.nodes.get(2)?.shard_list, 'saved with the state')
  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.equal(await nodeOf(3), '1', 'reset puts it back')

  isRsError(t, await call('PUT', '/v1/bdbs/2/actions/rebalance?max_operations=x'), 400, 'invalid_param')
  isRsError(t, await call('PUT', '/v1/bdbs/99/actions/rebalance'), 404, 'bdb_not_found')
})

t.test('revamp: new shard count, replication and placement', async t => {
  const { store, c, call, nodeOf } = await twoNodeApp(t, T0)
  const body = { shards_count: 2, replication: true, shards_placement: 'sparse' }
  const dry = await call('PUT', '/v1/bdbs/1/actions/revamp?dry_run=true', body)
  t.same(dry.json(), [
    { nodes: [{ node_uid: '1', role: 'master' }, { node_uid: '2', role: 'slave' }], slot_range: '0-8191' },
    { nodes: [{ node_uid: '2', role: 'master' }, { node_uid: '1', role: 'slave' }], slot_range: '8192-16383' }
  ])
  t.same((await call('GET', '/v1/bdbs/1')).json().shard_list, [1], 'a dry run changes nothing')

  const res = await call('PUT', '/v1/bdbs/1/actions/revamp', body)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { action_uid: /^[0-9a-f-]{36}$/ })
  const b = (await call('GET', '/v1/bdbs/1')).json()
  t.match(b, { status: 'active-change-pending', shards_count: 2, replication: true, sharding: true, shards_placement: 'sparse' })
  t.same(b.shard_list, [1, 6, 7, 8], 'masters then replicas, new uids')
  t.same(await Promise.all([1, 6, 7, 8].map(nodeOf)), ['1', '2', '2', '1'])
  const shards = (await call('GET', '/v1/bdbs/1/shards')).json()
  t.same(shards.map((s: any) => [s.uid, s.role, s.assigned_slots]), [['1', 'master', '0-8191'], ['6', 'master', '8192-16383'], ['7', 'slave', '0-8191'], ['8', 'slave', '8192-16383']])
  t.equal((await call('GET', '/v1/license')).json().ram_shards_in_use, 8)
  c.ms += 1000
  t.equal((await call('GET', '/v1/bdbs/1')).json().status, 'active')
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'SMRevampBDB' })

  isRsError(t, await call('PUT', '/v1/bdbs/1/actions/revamp', { shards_count: 600 }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/bdbs/1/actions/revamp', { name: 'x' }), 400, 'invalid_schema')
  store.state.license!.shards_limit = 10
  const used = store.clusterStateId
  isRsError(t, await call('PUT', '/v1/bdbs/2/actions/revamp', { shards_count: 40 }), 406, 'insufficient_resources', 'over the license')
  isRsError(t, await call('PUT', '/v1/bdbs/2/actions/revamp', { avoid_nodes: ['1', '2'] }), 406, 'insufficient_resources', 'no node left')
  t.equal(store.clusterStateId, used, 'refused revamps change nothing')
  isRsError(t, await call('PUT', '/v1/bdbs/99/actions/revamp', {}), 404, 'bdb_not_found')
})

t.test('recover: the plan lists persistence files; only a database in recovery recovers', async t => {
  const c = { ms: T0, now: () => c.ms }
  const { call } = await buildTestApp(t, { clock: c, transitionDelayMs: 1000 })
  const plan = (await call('GET', '/v1/bdbs/2/actions/recover')).json()
  t.equal(plan.status, 'ready')
  t.same(plan.data_files.map((f: any) => [f.filename, f.shard_uid, f.shard_role, f.node_uid, f.shard_slots]),
    [['appendonly-2.aof', '2', 'master', '1', '0-16383'], ['appendonly-3.aof', '3', 'slave', '1', '0-16383']])
  t.type(plan.data_files[0].last_modified, 'number')
  t.type(plan.data_files[0].size, 'number')
  t.same((await call('GET', '/v1/bdbs/3/actions/recover')).json().data_files.map((f: any) => f.filename), ['dump-4.rdb', 'dump-5.rdb'])
  t.same((await call('GET', '/v1/bdbs/1/actions/recover')).json(), { data_files: [], status: 'ready' }, 'no persistence, no files')
  isRsError(t, await call('GET', '/v1/bdbs/99/actions/recover'), 404, 'bdb_not_found')

  isRsError(t, await call('POST', '/v1/bdbs/2/actions/recover'), 409, 'bdb_not_recoverable', 'an active database')
  t.same((await call('POST', '/_mock/bdbs/2/recovery')).json(), { uid: 2, status: 'recovery' })
  isRsError(t, await call('GET', '/v1/bdbs/2/availability'), 503, 'bdb_not_active')
  t.match((await call('GET', '/v1/shards/2')).json(), { status: 'inactive', detailed_status: 'down' })
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/recover', { body: { data_files: 'all' } }), 400, 'invalid_schema')
  const res = await call('POST', '/v1/bdbs/2/actions/recover', { body: { data_files: [{ filename: 'appendonly-2.aof', node_uid: '1', shard_slots: '0-16383' }], ignore_errors: false, recover_without_data: false } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { action_uid: /^[0-9a-f-]{36}$/ })
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'active-change-pending')
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/recover'), 409, 'busy', 'already recovering')
  c.ms += 1000
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'active')
  t.equal((await call('GET', '/v1/bdbs/2/availability')).statusCode, 200)
  t.match((await call('GET', '/v1/shards/2')).json(), { status: 'active', detailed_status: 'ok' })
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'SMRecoverBDB', status: 'completed' })
  isRsError(t, await call('POST', '/_mock/bdbs/99/recovery'), 404, 'bdb_not_found')
})

t.test('PUT /v1/bdbs/{uid} with shards_blueprint and cluster-state-id rearranges the shards', async t => {
  const { call, nodeOf } = await twoNodeApp(t, T0)
  const got = await call('GET', '/v1/bdbs/2/actions/optimize_shards_placement')
  const id = String(got.headers['cluster-state-id'])
  const flipped = [{ nodes: [{ node_uid: '2', role: 'master' }, { node_uid: '1', role: 'slave' }], slot_range: '0-16383' }]
  const put = (blueprint: object[], headers: Record<string, string> = { 'cluster-state-id': id }) =>
    call('PUT', '/v1/bdbs/2', { shards_blueprint: blueprint }, headers)
  isRsError(t, await put([...flipped, ...flipped]), 406, 'bad_shards_blueprint', 'one entry per master')
  isRsError(t, await put([{ nodes: [{ node_uid: '9', role: 'master' }, { node_uid: '1', role: 'slave' }], slot_range: '0-16383' }]), 406, 'bad_shards_blueprint', 'unknown node')
  isRsError(t, await put([{ nodes: [{ node_uid: '2', role: 'master' }], slot_range: '0-16383' }]), 406, 'bad_shards_blueprint', 'the replica is missing')
  isRsError(t, await put(flipped, { 'cluster-state-id': 'abc' }), 400, 'invalid_header')
  const res = await put(flipped)
  t.equal(res.statusCode, 200)
  t.notOk('shards_blueprint' in res.json(), 'never part of the object')
  t.equal(await nodeOf(2), '2', 'the master moved')
  t.equal(await nodeOf(3), '1')
  isRsError(t, await put(flipped), 409, 'busy', 'the database is changing')
  const stale = await call('GET', '/v1/bdbs/3/actions/optimize_shards_placement')
  await call('PUT', '/v1/bdbs/1', { memory_size: 2 ** 30 })
  isRsError(t, await call('PUT', '/v1/bdbs/3', { shards_blueprint: stale.json() }, { 'cluster-state-id': String(stale.headers['cluster-state-id']) }), 409, 'wrong_cluster_state_id')
  t.equal((await call('PUT', '/v1/bdbs/3', { shards_blueprint: stale.json() })).statusCode, 200, 'without the header, no check')
})
