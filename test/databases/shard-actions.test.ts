// Shard failover and migration (docs/rs-api-notes.md §5.6): roles and nodes change, an action to poll.
import t from 'tap'
import { buildTestApp, isRsError, twoNodeApp } from '../helpers/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const seed = loadSeed(defaultFixturesDir)

t.test('failover: the replica becomes the master through the database state machine', async t => {
  const c = { ms: T0, now: () => c.ms }
  const { call, store } = await buildTestApp(t, { clock: c, transitionDelayMs: 1000 })
  const role = async (uid: number) => (await call('GET', `/v1/shards/${uid}`)).json().role
  const dry = await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: ['2'], dry_run: true } })
  t.equal(dry.statusCode, 200)
  t.equal(dry.body, '', 'a successful dry run: the status code only')
  t.equal(await role(2), 'master', 'nothing changed')

  const res = await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: ['2'], force_rebind: true } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { action_uid: /^[0-9a-f-]{36}$/, description: 'Failover was triggered' })
  t.same(Object.keys(res.json()), ['action_uid', 'description'])
  t.equal(await role(2), 'slave')
  t.equal(await role(3), 'master')
  t.same((await call('GET', '/v1/bdbs/2')).json().shard_list, [3, 2])
  t.equal((await call('GET', '/v1/bdbs/2')).json().status, 'active-change-pending')
  isRsError(t, await call('POST', '/v1/shards/3/actions/failover'), 409, 'db_busy')
  c.ms += 1000
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'SMFailoverShards', status: 'completed', object_name: 'bdb:2' })

  const one = await call('POST', '/v1/shards/3/actions/failover', { headers: { 'content-length': '0' } })
  t.equal(one.statusCode, 200, 'one shard, no body')
  t.equal(await role(2), 'master', 'and back')
  const copy = createStore(seed)
  copy.importState(store.exportState())
  t.same(copy.bdbs.get(2).shard_list, [2, 3], 'saved with the state')
})

t.test('failover of one master of a sharded, replicated database promotes that master\'s own replica', async t => {
  const c = { ms: T0, now: () => c.ms }
  const { call, store } = await buildTestApp(t, { clock: c, transitionDelayMs: 1000 })
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'two-masters', memory_size: 1e8, sharding: true, shards_count: 2, replication: true } })).json()
  c.ms += 1000
  const shards = async () => (await call('GET', `/v1/bdbs/${String(created.uid)}/shards`)).json() as Array<{ uid: string, role: string, assigned_slots: string }>
  const before = await shards()
  const masters = before.filter(s => s.role === 'master')
  t.same(masters.map(s => s.assigned_slots), ['0-8191', '8192-16383'], 'two masters, half the slots each')
  const [first, second] = masters
  const secondReplica = before.find(s => s.role === 'slave' && s.assigned_slots === second.assigned_slots)!
  const firstReplica = before.find(s => s.role === 'slave' && s.assigned_slots === first.assigned_slots)!

  t.equal((await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: [second.uid] } })).statusCode, 200)
  const after = new Map((await shards()).map(s => [s.uid, s]))
  t.match(after.get(second.uid), { role: 'slave', assigned_slots: '8192-16383' }, 'the master failed over is a replica now')
  t.match(after.get(secondReplica.uid), { role: 'master', assigned_slots: '8192-16383' }, 'its own replica took its slots')
  t.match(after.get(first.uid), { role: 'master', assigned_slots: '0-8191' }, 'the other master is untouched')
  t.match(after.get(firstReplica.uid), { role: 'slave', assigned_slots: '0-8191' }, 'and so is its replica')
  t.equal([...after.values()].filter(s => s.role === 'master').length, 2, 'still two masters')
  t.equal(store.bdbs.get(created.uid).shards_count, 2)
})

t.test('failover errors with the page\'s codes', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('POST', '/v1/shards/actions/failover', { body: {} }), 404, 'shard_uids_required')
  isRsError(t, await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: [] } }), 404, 'shard_uids_required')
  isRsError(t, await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: ['77'] } }), 404, 'shard_not_exist')
  isRsError(t, await call('POST', '/v1/shards/77/actions/failover'), 404, 'shard_not_exist')
  isRsError(t, await call('POST', '/v1/shards/3/actions/failover'), 400, 'shard_is_slave')
  isRsError(t, await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: ['2', '4'] } }), 400, 'failover_shards_different_bdb')
  isRsError(t, await call('POST', '/v1/shards/1/actions/failover'), 400, 'no_replica')
  isRsError(t, await call('POST', '/v1/shards/actions/failover', { body: { shard_uids: ['x'] } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/shards/2/actions/failover', { body: { shard_uids: ['2'] } }), 400, 'invalid_schema', 'the one-shard form names no list')
})

t.test('migrate: shards move to the target node; a task to poll', async t => {
  const { c, call, nodeOf } = await twoNodeApp(t, T0)

  t.equal((await call('POST', '/v1/shards/actions/migrate', { shard_uids: ['3', '4'], target_node_uid: 2, dry_run: true })).body, '')
  t.equal(await nodeOf(3), '1', 'a dry run moves nothing')
  const res = await call('POST', '/v1/shards/actions/migrate', { shard_uids: ['3', 4], target_node_uid: 2, preserve_roles: true, max_concurrent_bdb_migrations: 3 })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { action_uid: /^[0-9a-f-]{36}$/, description: 'Migrate was triggered' })
  t.equal(await nodeOf(3), '2')
  t.equal(await nodeOf(4), '2', 'shards of several databases')
  t.match((await call('GET', '/v1/nodes/2')).json(), { shard_list: [3, 4], shard_count: 2 })
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'migrate_shards', status: 'running' })
  c.ms += 1000
  t.match((await call('GET', `/v1/actions/${String(res.json().action_uid)}`)).json(), { name: 'migrate_shards', status: 'completed', progress: '100' })

  t.equal((await call('POST', '/v1/shards/4/actions/migrate', { target_node_uid: 1 })).statusCode, 200)
  t.equal(await nodeOf(4), '1', 'one shard back')
  t.equal((await call('POST', '/v1/shards/4/actions/migrate', { target_node_uid: 1 })).statusCode, 200, 'already there: nothing happens')

  const err = async (url: string, body: object | undefined, status: number, code: string) => isRsError(t, await call('POST', url, body), status, code, `${url} ${JSON.stringify(body)}`)
  await err('/v1/shards/actions/migrate', { target_node_uid: 2 }, 404, 'shard_uids_required')
  await err('/v1/shards/actions/migrate', { shard_uids: ['3'] }, 404, 'node_uid_required')
  await err('/v1/shards/4/actions/migrate', {}, 404, 'node_uid_required')
  await err('/v1/shards/4/actions/migrate', { target_node_uid: 9 }, 404, 'node_not_found')
  await err('/v1/shards/99/actions/migrate', { target_node_uid: 2 }, 404, 'shard_not_exist')
  await err('/v1/shards/4/actions/migrate', { target_node_uid: '2' }, 400, 'invalid_schema')
  const endpoint = async () => (await call('GET', '/v1/bdbs/2')).json().endpoints[0].addr
  t.same(await endpoint(), ['10.0.0.11'], 'database 2: its master on node 1, its replica now on node 2')
  await call('POST', '/v1/shards/actions/failover', { shard_uids: ['2'] })
  t.same(await endpoint(), ['10.0.0.12'], 'failover: the endpoint follows the new master')
  await err('/v1/shards/2/actions/migrate', { target_node_uid: 2 }, 409, 'db_busy')
})
