// Availability and health: the lag-aware flow Redis clients use, the 503 codes, /v4, and the
// /_mock/ control routes that make a database unhealthy.
import t from 'tap'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import monitoringControl from '../../src/control/monitoring.js'
import { buildTestApp, isRsError, logins } from '../helpers/app.js'

const avail = (uid: number, q = '') => `/v1/bdbs/${uid}/availability${q}`

t.test('lag-aware health check: healthy → lagging → 503 → healthy', async t => {
  const { call, store } = await buildTestApp(t)
  const ok = await call('GET', avail(1, '?extend_check=lag&availability_lag_tolerance_ms=100'))
  t.equal(ok.statusCode, 200)
  t.equal(ok.body, '', 'an available database answers 200 with no body')

  store.health.setHealth(1, { lag_ms: 250 })
  t.equal((await call('GET', avail(1))).statusCode, 200, 'without extend_check lag does not count')
  isRsError(t, await call('GET', avail(1, '?extend_check=lag')), 503, 'bdb_lag_exceeds_tolerance',
    'over the cluster availability_lag_tolerance_ms (100)')
  isRsError(t, await call('GET', avail(1, '?extend_check=lag&availability_lag_tolerance_ms=200')), 503, 'bdb_lag_exceeds_tolerance')
  t.equal((await call('GET', avail(1, '?extend_check=lag&availability_lag_tolerance_ms=250'))).statusCode, 200, 'at the tolerance: fine')
  store.state.cluster.availability_lag_tolerance_ms = 1000
  t.equal((await call('GET', avail(1, '?extend_check=lag'))).statusCode, 200, 'the cluster default moved')
  store.state.cluster.availability_lag_tolerance_ms = 100

  store.health.setHealth(1, { lag_ms: 0 })
  t.equal((await call('GET', avail(1, '?extend_check=lag'))).statusCode, 200, 'healthy again')
})

t.test('unavailable databases and the local endpoint check', async t => {
  const { call, store } = await buildTestApp(t)
  const local = (uid: number) => `/v1/local/bdbs/${uid}/endpoint/availability`
  store.health.setHealth(2, { unavailable: 'shard_unreachable' })
  isRsError(t, await call('GET', avail(2)), 503, 'bdb_unavailable_shard_unreachable')
  isRsError(t, await call('GET', '/v4/db/2/health'), 503, 'bdb_unavailable_shard_unreachable')
  t.equal((await call('GET', local(2))).statusCode, 200, 'the local proxy endpoint still answers')
  t.equal((await call('GET', avail(1))).statusCode, 200, 'other databases are unaffected')

  store.health.setHealth(2, { unavailable: 'endpoint_unavailable' })
  isRsError(t, await call('GET', avail(2)), 503, 'bdb_endpoint_unavailable')
  isRsError(t, await call('GET', local(2)), 503, 'bdb_endpoint_unavailable')
  store.health.clear(2)
  t.equal((await call('GET', local(2))).statusCode, 200)
  t.equal((await call('GET', '/v4/db/2/health')).statusCode, 200)
})

t.test('no quorum: 503 no_quorum everywhere; /v4 honours x-api-version 4', async t => {
  const { call, store } = await buildTestApp(t)
  t.equal((await call('GET', '/v4/cluster/health', { headers: { 'x-api-version': '4' } })).statusCode, 200)
  isRsError(t, await call('GET', '/v4/cluster/health', { headers: { 'x-api-version': '1' } }), 505, 'unsupported_api_version')
  store.health.setQuorum(false)
  for (const url of [avail(1), '/v1/local/bdbs/1/endpoint/availability', '/v4/cluster/health', '/v4/db/1/health']) {
    isRsError(t, await call('GET', url), 503, 'no_quorum', url)
  }
  store.health.setQuorum(true)
  t.equal((await call('GET', '/v4/cluster/health')).statusCode, 200)
})

t.test('errors: unknown, not active, bad parameters, permissions', async t => {
  const { call } = await buildTestApp(t, { transitionDelayMs: 1000 })
  isRsError(t, await call('GET', avail(99)), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v4/db/99/health'), 404, 'bdb_not_found')
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'new', memory_size: 104857600 } })).json()
  isRsError(t, await call('GET', avail(created.uid)), 503, 'bdb_not_active')
  isRsError(t, await call('GET', avail(1, '?extend_check=lag&availability_lag_tolerance_ms=-5')), 400, 'invalid_param')
  isRsError(t, await call('GET', avail(1, '?extend_check=ping')), 400, 'invalid_param')
  t.equal((await call('GET', avail(1), { as: 'db_viewer' })).statusCode, 200, 'view_bdb_info: every role but none')
  isRsError(t, await call('GET', avail(1), { as: 'none' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v4/cluster/health', { as: 'none' }), 403, 'insufficient_permissions')
})

// The control routes, registered the way src/control/index.ts does unless it already has.
async function controlApp (t: Test) {
  const store = createStore(loadSeed(defaultFixturesDir))
  const app = await buildApp({ store })
  if (!app.hasRoute({ method: 'PUT', url: '/_mock/bdbs/:uid(^\\d+$)/health' })) await app.register(monitoringControl, { store })
  await app.ready()
  t.teardown(() => app.close())
  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: object, authorization: string | null = logins.admin) =>
    app.inject({ method, url, headers: authorization === null ? {} : { authorization }, ...(body === undefined ? {} : { payload: body }) })
  return { app, store, call }
}

t.test('control routes make a database unhealthy, busy or an alert raised', async t => {
  const { call } = await controlApp(t)
  const set = await call('PUT', '/_mock/bdbs/1/health', { lag_ms: 500, latency_ms: 3 })
  t.equal(set.statusCode, 200)
  t.match(set.json(), { uid: 1, unavailable: null, lag_ms: 500, latency_ms: 3, ops_per_sec: 0 })
  isRsError(t, await call('GET', avail(1, '?extend_check=lag')), 503, 'bdb_lag_exceeds_tolerance')

  t.match((await call('PUT', '/_mock/bdbs/1/load', { ops_per_sec: 1000, no_of_keys: 42, metrics: { evicted_objects: 7 } })).json(),
    { ops_per_sec: 1000, no_of_keys: 42, metrics: { evicted_objects: 7 } })
  const last = (await call('GET', '/v1/bdbs/stats/last/1')).json()['1']
  t.equal(last.no_of_keys, 42)
  t.equal(last.evicted_objects, 7)
  t.ok(last.avg_latency >= 0.003, 'the added latency shows')
  t.ok(last.total_req > 900 && last.total_req < 1100)
  isRsError(t, await call('PUT', '/_mock/bdbs/1/load', { metrics: { used_memory: 1e12 } }), 400, 'bad_request')
  isRsError(t, await call('PUT', '/_mock/bdbs/1/health', { unavailable: 'gone' }), 400, 'invalid_schema')

  t.equal((await call('PUT', '/_mock/bdbs/1/health', { unavailable: 'shard_unreachable' })).statusCode, 200)
  isRsError(t, await call('GET', avail(1)), 503, 'bdb_unavailable_shard_unreachable')
  t.match((await call('DELETE', '/_mock/bdbs/1/health')).json(), { unavailable: null, lag_ms: 0, ops_per_sec: 0, metrics: {} })
  t.equal((await call('GET', avail(1, '?extend_check=lag'))).statusCode, 200)
  t.match((await call('GET', '/_mock/bdbs/1/health')).json(), { uid: 1, lag_ms: 0 })
  isRsError(t, await call('GET', '/_mock/bdbs/99/health'), 404, 'bdb_not_found')

  t.same((await call('PUT', '/_mock/cluster/health', { quorum: false })).json(), { quorum: false })
  isRsError(t, await call('GET', '/v4/cluster/health'), 503, 'no_quorum')
  t.same((await call('PUT', '/_mock/cluster/health', { quorum: true })).json(), { quorum: true })
  t.same((await call('GET', '/_mock/cluster/health')).json(), { quorum: true })

  t.match((await call('PUT', '/_mock/alerts/bdbs/2/bdb_high_latency', { severity: 'ERROR' })).json(), { state: true, severity: 'ERROR' })
  t.equal((await call('GET', '/v1/bdbs/alerts/2/bdb_high_latency')).json().state, true)
  t.equal((await call('DELETE', '/_mock/alerts/bdbs/2/bdb_high_latency')).json().state, false)
  t.equal((await call('PUT', '/_mock/alerts/cluster/cluster_internal_bdb', {})).json().state, true)
  t.equal((await call('DELETE', '/_mock/alerts/cluster/cluster_internal_bdb')).json().state, false)
  t.equal((await call('PUT', '/_mock/alerts/nodes/1/node_failed', { change_value: { reason: 'test' } })).json().change_value.reason, 'test')
  t.equal((await call('DELETE', '/_mock/alerts/nodes/1/node_failed')).json().state, false)
  isRsError(t, await call('PUT', '/_mock/alerts/nodes/1/bdb_size', {}), 404, 'alert_not_found')
})

t.test('control routes need the control API credentials', async t => {
  const { call } = await controlApp(t)
  isRsError(t, await call('PUT', '/_mock/bdbs/1/health', { lag_ms: 1 }, null), 401, 'unauthorized')
  isRsError(t, await call('PUT', '/_mock/cluster/health', { quorum: false }, logins.db_member), 403, 'insufficient_permissions')
  isRsError(t, await call('PUT', '/_mock/alerts/cluster/cluster_internal_bdb', {}, logins.cluster_member), 403, 'insufficient_permissions')
})
