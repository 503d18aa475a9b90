// Replication between databases: replica_sources on the bdb, syncer_state, sync_source_stats,
// peer_stats errors, the replica_sources / crdt_sources alert families, persistence and reset.
import t, { type Test } from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const T0 = Date.parse('2026-03-02T10:00:00Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }
// database 2 listens on 13001 in the default fixtures; nothing listens on 14999
const TO_DB2 = 'redis://admin:secret@redis-13001.mock-cluster.local:13001'
const NOWHERE = 'redis://redis-14999.mock-cluster.local:14999'

async function withSources (t: Test, uris: string[]) {
  const app = await buildTestApp(t, { clock: clock() })
  const res = await app.call('PUT', '/v1/bdbs/1', { body: { replica_sources: uris.map(uri => ({ uri })) } })
  t.equal(res.statusCode, 200, 'PUT replica_sources')
  return { ...app, put: res.json() }
}

t.test('replica_sources: uid and read-back fields filled, syncing until the update settles', async t => {
  const { call, store, put } = await withSources(t, [TO_DB2, NOWHERE])
  t.equal(put.replica_sync, 'enabled', 'adding sources enables the sync')
  t.same(put.replica_sources.map((s: any) => [s.uid, s.status]), [[1, 'syncing'], [2, 'syncing']])
  t.same(Object.keys(put.replica_sources[0]), ['compression', 'encryption', 'lag', 'last_error', 'last_update', 'rdb_size', 'rdb_transferred', 'status', 'uid', 'uri'])
  t.match(put.replica_sources[0], { compression: 0, encryption: false, lag: 0, last_error: '', rdb_size: 0, rdb_transferred: 0 })
  store.completePending()
  const bdb = (await call('GET', '/v1/bdbs/1')).json()
  t.same(bdb.replica_sources.map((s: any) => s.status), ['in-sync', 'out-of-sync'], 'a local port nobody binds does not sync')
  t.match(bdb.replica_sources[1].last_error, /connection refused/)
  t.notMatch(bdb.replica_sources[1].last_error, /secret/, 'no password in errors')

  // an unchanged source keeps its state; removing all of them disables the sync
  const again = (await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [{ uid: 1, uri: TO_DB2 }] } })).json()
  t.same(again.replica_sources.map((s: any) => [s.uid, s.status]), [[1, 'in-sync']])
  store.completePending()
  const off = (await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [] } })).json()
  t.equal(off.replica_sync, 'disabled')
})

t.test('replica_sources: bad sources are refused whole (400), nothing changes', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [{ uri: 'http://x:1' }] } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [{ uri: 'redis://host-without-port' }] } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [{ uid: 3, uri: TO_DB2 }, { uid: 3, uri: NOWHERE }] } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { replica_sources: [{ uri: 7 }] } }), 400, 'invalid_schema')
  t.equal(store.clusterStateId, before)
  t.same((await call('GET', '/v1/bdbs/1')).json().replica_sources, [])
  // POST /v1/bdbs takes them too
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'replica', memory_size: 1048576, replica_sources: [{ uri: TO_DB2 }] } })).json()
  t.match(created, { replica_sync: 'enabled', replica_sources: [{ uid: 1, status: 'syncing' }] })
})

t.test('syncer_state: the replica syncer of a database with sources; 404 otherwise', async t => {
  const { call, store } = await withSources(t, [TO_DB2])
  store.completePending()
  const res = await call('GET', '/v1/bdbs/1/syncer_state/replica')
  t.equal(res.statusCode, 200)
  const s = res.json()
  t.equal(s.DB, 1)
  t.type(s.RunID, 'number')
  t.same(s.Sources, [{ ID: 1, URI: 'redis://redis-13001.mock-cluster.local:13001', Status: 'in-sync', Lag: 0, LastError: '', LastUpdate: '2026-03-02T10:00:00Z' }])
  isRsError(t, await call('GET', '/v1/bdbs/1/syncer_state/crdt'), 404, 'syncer_state_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/1/syncer_state'), 404, 'syncer_state_not_found', 'the deprecated name reads the crdt syncer')
  isRsError(t, await call('GET', '/v1/bdbs/2/syncer_state/replica'), 404, 'syncer_state_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/99/syncer_state/replica'), 404, 'bdb_not_found')
  // paused: still configured, so the state is there
  await call('PUT', '/v1/bdbs/1', { body: { replica_sync: 'paused' } })
  t.equal((await call('GET', '/v1/bdbs/1/syncer_state/replica')).json().Sync, 'paused')
})

t.test('sync_source_stats: one series per source, the documented metrics', async t => {
  const { call, store } = await withSources(t, [TO_DB2, NOWHERE])
  store.completePending()
  ;(store.options.clock as unknown as { ms: number }).ms += 3_600_000
  const all = (await call('GET', '/v1/bdbs/1/sync_source_stats?interval=5min')).json()
  t.same(Object.keys(all), ['sync_source_stats'])
  t.same(all.sync_source_stats.map((s: any) => s.uid), ['1', '2'], 'uids as strings')
  const one = all.sync_source_stats[0]
  t.equal(one.intervals.length, 12)
  t.same(Object.keys(one.intervals[0]), ['etime', 'ingress_bytes', 'ingress_bytes_decompressed', 'interval', 'local_ingress_lag_time', 'stime'])
  for (const k of ['ingress_bytes', 'ingress_bytes_decompressed', 'local_ingress_lag_time']) t.type(one.intervals[0][k], 'number', k)
  t.equal(one.intervals[0].interval, '5min')
  t.same((await call('GET', '/v1/bdbs/1/sync_source_stats/1?interval=5min')).json(), one)
  isRsError(t, await call('GET', '/v1/bdbs/1/sync_source_stats/9'), 404, 'sync_source_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/99/sync_source_stats'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/1/sync_source_stats?interval=2min'), 400, 'invalid_schema')
  t.same((await call('GET', '/v1/bdbs/2/sync_source_stats')).json(), { sync_source_stats: [] }, 'no sources: empty')
  // the lag a test sets on the database shows in the stats of an in-sync source
  await call('PUT', '/_mock/bdbs/1/health', { body: { lag_ms: 4000 } })
  const lagged = (await call('GET', '/v1/bdbs/1/sync_source_stats/1?interval=5min')).json()
  t.ok(lagged.intervals.every((i: any) => i.local_ingress_lag_time >= 4), 'lag in seconds')
})

t.test('peer_stats: only for Active-Active databases', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/v1/bdbs/1/peer_stats'), 406, 'not_crdb')
  isRsError(t, await call('GET', '/v1/bdbs/1/peer_stats/2'), 406, 'not_crdb')
  isRsError(t, await call('GET', '/v1/bdbs/99/peer_stats'), 404, 'bdb_not_found')
})

t.test('replica_sources alerts: four levels, evaluated from the sources', async t => {
  const { call, store } = await withSources(t, [TO_DB2, NOWHERE])
  store.completePending()
  const all = (await call('GET', '/v1/bdbs/replica_sources/alerts')).json()
  t.same(Object.keys(all), ['1'], 'only databases with replica sources')
  const names = ['replica_src_syncer_connection_error', 'replica_src_high_syncer_lag', 'replica_src_syncer_general_error']
  t.same(Object.keys(all['1']), names)
  t.equal(all['1'].replica_src_syncer_connection_error.state, true, 'the worst source: one is out of sync')
  t.same(Object.keys(all['1'].replica_src_syncer_connection_error), ['change_time', 'change_value', 'enabled', 'severity', 'state', 'threshold'], 'with a threshold, as the page\'s example')
  t.type(all['1'].replica_src_syncer_connection_error.change_value.threshold, 'string')
  t.same((await call('GET', '/v1/bdbs/replica_sources/alerts/1')).json(), all['1'])
  const first = (await call('GET', '/v1/bdbs/replica_sources/alerts/1/1')).json()
  t.match(first.replica_src_syncer_connection_error, { state: false, severity: 'INFO' })
  const second = (await call('GET', '/v1/bdbs/replica_sources/alerts/1/2/replica_src_syncer_connection_error')).json()
  t.match(second, { state: true, severity: 'WARNING', change_value: { state: true, last_error: /connection refused/ } })
  t.same((await call('GET', '/v1/bdbs/replica_sources/alerts/2')).json(), {}, 'no sources: no alerts')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/99'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/1/9'), 404, 'sync_source_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/1/1/bdb_size'), 404, 'alert_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/1/1/__proto__'), 404, 'alert_not_found')

  // lag: evaluated while enabled, over the threshold in seconds
  ;(store.state.cluster.alert_settings as Record<string, unknown>).bdb_replica_src_high_syncer_lag = { enabled: true, threshold: '2' }
  await call('PUT', '/_mock/bdbs/1/health', { body: { lag_ms: 5000 } })
  const lag = (await call('GET', '/v1/bdbs/replica_sources/alerts/1/1/replica_src_high_syncer_lag')).json()
  t.match(lag, { enabled: true, state: true, threshold: '2', change_value: { lag: 5, state: true, threshold: '2' } })
  t.same((await call('GET', '/v1/bdbs/crdt_sources/alerts')).json(), {}, 'no Active-Active databases')
  isRsError(t, await call('GET', '/v1/bdbs/crdt_sources/alerts/1/1'), 404, 'sync_source_not_found')
})

t.test('sources are state: exported, imported and reset', async t => {
  const { call, store } = await withSources(t, [TO_DB2])
  store.completePending()
  const doc = store.exportState()
  await call('POST', '/_mock/reset')
  t.same((await call('GET', '/v1/bdbs/1')).json().replica_sources, [], 'reset drops them')
  isRsError(t, await call('GET', '/v1/bdbs/1/syncer_state/replica'), 404, 'syncer_state_not_found')
  store.importState(doc)
  t.match((await call('GET', '/v1/bdbs/1')).json().replica_sources, [{ uid: 1, status: 'in-sync', uri: TO_DB2 }])
})
