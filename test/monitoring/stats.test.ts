// /v1/*/stats: intervals and retention, /last shapes, errors, and the consistency of the values.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const T0 = Date.parse('2026-03-02T10:00:00.500Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }
type Sample = Record<string, any>

t.test('without interval: 1sec, 10sec and 5min blocks, oldest first, as captured', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  const cluster = (await call('GET', '/v1/cluster/stats')).json()
  t.same(Object.keys(cluster), ['intervals', 'uid'])
  t.equal(cluster.uid, '', 'the cluster uid is an empty string')
  const names = cluster.intervals.map((i: Sample) => i.interval)
  t.same(names, [...Array(10).fill('1sec'), ...Array(30).fill('10sec'), ...Array(12).fill('5min')])
  const ones = cluster.intervals.slice(0, 10)
  t.equal(ones[9].etime, '2026-03-02T10:00:00Z', 'the newest complete second')
  t.equal(ones[0].stime, '2026-03-02T09:59:50Z')
  t.equal(cluster.intervals[39].etime, '2026-03-02T10:00:00Z', 'the newest complete 10 s bucket')
  t.equal(cluster.intervals[51].stime, '2026-03-02T09:55:00Z')
  const unsorted = cluster.intervals.filter((s: Sample) => Object.keys(s).join() !== Object.keys(s).sort().join())
  t.same(unsorted, [], 'metric keys in sorted order')
  const notNumbers = cluster.intervals.flatMap((s: Sample) => Object.entries(s)
    .filter(([k, v]) => !['stime', 'etime', 'interval'].includes(k) && typeof v !== 'number').map(([k]) => k))
  t.same(notNumbers, [], 'every metric is a number')

  const nodes = (await call('GET', '/v1/nodes/stats')).json()
  t.equal(nodes[0].uid, 1, 'node uids are integers')
  t.ok('cur_aof_rewrites' in nodes[0].intervals[0])
  const bdbs = (await call('GET', '/v1/bdbs/stats')).json()
  t.same(bdbs.map((b: Sample) => b.uid), ['1', '2', '3'], 'bdb uids are strings')
  const quiet = bdbs[0].intervals.filter((i: Sample) => i.interval === '1sec').length
  t.ok(quiet < 10, 'an idle database samples 1sec only every few seconds')
})

t.test('?interval selects one interval with its retention', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  const want = { '1sec': 10, '10sec': 30, '5min': 12, '15min': 96, '1hour': 168, '12hour': 62 }
  for (const [interval, n] of Object.entries(want)) {
    const s = (await call('GET', `/v1/cluster/stats?interval=${interval}`)).json()
    t.equal(s.intervals.length, n, `${interval}: ${n} samples`)
    t.ok(s.intervals.every((i: Sample) => i.interval === interval))
  }
  // The cluster was created 2026-01-05: about eight weeks, fewer than the 53 retained.
  const weeks = (await call('GET', '/v1/cluster/stats?interval=1week')).json().intervals
  t.ok(weeks.length > 0 && weeks.length < 53)
  t.ok(weeks.every((w: Sample) => w.etime > '2026-01-05T09:00:00Z'), 'no sample before the cluster existed')

  const ranged = (await call('GET', '/v1/cluster/stats?interval=10sec&stime=2026-03-02T09:59:00Z&etime=2026-03-02T09:59:30Z')).json()
  t.same(ranged.intervals.map((i: Sample) => i.stime), ['2026-03-02T09:59:00Z', '2026-03-02T09:59:10Z', '2026-03-02T09:59:20Z'])

  const some = (await call('GET', '/v1/bdbs/stats/1?interval=10sec&metrics=used_memory,no_of_keys')).json()
  t.same(Object.keys(some.intervals[0]), ['etime', 'interval', 'no_of_keys', 'stime', 'used_memory'])

  isRsError(t, await call('GET', '/v1/cluster/stats?interval=2min'), 400, 'invalid_schema')
  isRsError(t, await call('GET', '/v1/bdbs/stats?stime=yesterday'), 400, 'invalid_param')
})

t.test('/last: one sample, keyed by uid string; the cluster one flat', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  const cluster = (await call('GET', '/v1/cluster/stats/last')).json()
  t.match(cluster, { interval: '1sec', stime: '2026-03-02T09:59:59Z', etime: '2026-03-02T10:00:00Z' })
  t.notOk('uid' in cluster)
  const bdbs = (await call('GET', '/v1/bdbs/stats/last')).json()
  t.same(Object.keys(bdbs), ['1', '2', '3'])
  const one = (await call('GET', '/v1/bdbs/stats/last/2?interval=5min')).json()
  t.same(Object.keys(one), ['2'])
  t.match(one['2'], { interval: '5min', stime: '2026-03-02T09:55:00Z', etime: '2026-03-02T10:00:00Z' })
  t.same(Object.keys((await call('GET', '/v1/nodes/stats/last/1')).json()), ['1'])
  t.same(Object.keys((await call('GET', '/v1/shards/stats/last?parent_uid=3')).json()), ['4', '5'])
  t.same(Object.keys((await call('GET', '/v1/shards/stats/last/3')).json()), ['3'])
})

t.test('values are deterministic for a state and a clock, and move with the clock', async t => {
  const c = clock()
  const { call } = await buildTestApp(t, { clock: c })
  const a = (await call('GET', '/v1/nodes/stats')).body
  t.equal((await call('GET', '/v1/nodes/stats')).body, a, 'same clock, same answer')
  c.ms += 1000
  const b = (await call('GET', '/v1/nodes/stats/last/1')).json()['1']
  t.equal(b.etime, '2026-03-02T10:00:01Z')
  t.not((await call('GET', '/v1/nodes/stats')).body, a)
})

t.test('consistency: memory within memory_size, cluster = sum of nodes, shards split their database', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  store.health.setLoad(1, { ops_per_sec: 2000, no_of_keys: 100_000_000 })
  store.health.setLoad(3, { ops_per_sec: 500, no_of_keys: 1000 })
  const bdb1 = (await call('GET', '/v1/bdbs/stats/1')).json()
  t.ok(bdb1.intervals.every((i: Sample) => i.used_memory <= 1073741824), 'used_memory never above memory_size')
  t.equal(bdb1.intervals[0].no_of_keys, 100_000_000)

  // a second node, holding nothing: the cluster adds up both
  const node1 = store.state.nodes.get(1)!
  store.state.nodes.set(2, { ...structuredClone(node1), uid: 2, addr: '10.0.0.12', shard_list: [], shard_count: 0 })
  const cluster = (await call('GET', '/v1/cluster/stats/last')).json()
  const nodes = (await call('GET', '/v1/nodes/stats/last')).json()
  t.same(Object.keys(nodes), ['1', '2'])
  for (const k of ['free_memory', 'available_memory', 'provisional_memory', 'persistent_storage_free', 'conns']) {
    t.equal(cluster[k], nodes['1'][k] + nodes['2'][k], `cluster ${k} is the sum of the nodes`)
  }
  t.equal(cluster.total_req, Math.round((nodes['1'].total_req + nodes['2'].total_req) * 1000) / 1000)
  t.equal(cluster.cpu_user, Math.round((nodes['1'].cpu_user + nodes['2'].cpu_user) / 2 * 1000) / 1000, 'CPU is averaged')
  t.equal(nodes['2'].total_req, 0, 'an empty node has no traffic')

  const dbs = (await call('GET', '/v1/bdbs/stats/last')).json()
  t.equal(nodes['1'].total_req, Math.round((dbs['1'].total_req + dbs['3'].total_req) * 1000) / 1000, 'node traffic = its databases')
  t.ok(dbs['1'].avg_latency > 0, 'latency appears with traffic')
  t.notOk('avg_latency' in dbs['2'], 'and not without')
  t.equal(dbs['2'].no_of_keys, 0)
  t.equal(dbs['2'].last_req_time, '1970-01-01T00:00:00Z')

  const shards = (await call('GET', '/v1/shards/stats/last?parent_uid=3')).json()
  t.equal(shards['4'].total_req + shards['5'].total_req, dbs['3'].total_req, 'the masters split the traffic')
  t.equal(shards['4'].no_of_keys + shards['5'].no_of_keys, 1000)
  const replicated = (await call('GET', '/v1/shards/stats/last?parent_uid=2')).json()
  t.equal(replicated['3'].total_req, 0, 'a replica serves no requests')
})

t.test('a new database: 406 while pending, then zero traffic and no samples before it existed', async t => {
  const c = clock()
  const { call } = await buildTestApp(t, { clock: c, transitionDelayMs: 500 })
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'fresh', memory_size: 104857600 } })).json()
  isRsError(t, await call('GET', `/v1/bdbs/stats/${String(created.uid)}`), 406, 'bdb_not_active')
  isRsError(t, await call('GET', `/v1/bdbs/stats/last/${String(created.uid)}`), 406, 'bdb_not_active')
  t.notOk(String(created.uid) in (await call('GET', '/v1/bdbs/stats/last')).json(), 'not listed while pending')
  c.ms += 30_000
  const s = (await call('GET', `/v1/bdbs/stats/${String(created.uid)}`)).json()
  t.ok(s.intervals.length > 0)
  t.ok(s.intervals.every((i: Sample) => i.stime >= '2026-03-02T10:00:00Z'), 'nothing before the creation')
  t.ok(s.intervals.every((i: Sample) => i.total_req === 0 && i.no_of_keys === 0 && i.conns === 0), 'zero traffic, no keys')
  t.ok(s.intervals.every((i: Sample) => i.used_memory <= 104857600))
})

t.test('a metric set by a test shows in every sample', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  store.health.setLoad(1, { metrics: { evicted_objects: 12.5 } })
  const s = (await call('GET', '/v1/bdbs/stats/1')).json()
  t.ok(s.intervals.every((i: Sample) => i.evicted_objects === 12.5))
  t.throws(() => store.health.setLoad(1, { metrics: { used_memory: 2 * 1073741824 } }), { code: 'bad_request' }, 'not above memory_size')
  t.throws(() => store.health.setLoad(1, { metrics: { no_such_metric: 1 } }), { code: 'bad_request' })
  store.health.setLoad(1, { metrics: { evicted_objects: null } })
  t.equal((await call('GET', '/v1/bdbs/stats/last/1')).json()['1'].evicted_objects, 0, 'null removes the override')
})

t.test('shard stats carry the documented keys: where the shard runs, and every metric of the example', async t => {
  const { call } = await buildTestApp(t)
  const one = (await call('GET', '/v1/shards/stats/3?interval=1hour')).json()
  t.match(one, { uid: '3', status: 'active', node_uid: '1', role: 'slave', assigned_slots: '0-16383' })
  const documented = ['avg_ttl', 'blocked_clients', 'connected_clients', 'etime', 'evicted_objects', 'expired_objects', 'interval',
    'last_save_time', 'mem_size_lua', 'no_of_expires', 'no_of_keys', 'pubsub_channels', 'pubsub_patterns', 'rdb_changes_since_last_save',
    'read_hits', 'read_misses', 'stime', 'sync_full', 'sync_partial_err', 'sync_partial_ok', 'total_req', 'used_memory',
    'used_memory_peak', 'used_memory_rss', 'write_hits', 'write_misses']
  const sample = one.intervals.at(-1)
  t.same(documented.filter(k => !(k in sample)), [], 'every key of the page\'s example')
  t.ok(sample.used_memory_rss >= sample.used_memory * 0.9 && sample.used_memory_peak >= sample.used_memory, 'rss and peak follow used memory')
  const all = (await call('GET', '/v1/shards/stats?interval=1hour')).json()
  t.match(all[0], { uid: '1', status: 'active', node_uid: '1', assigned_slots: '0-16383', role: 'master' })
})

t.test('endpoint stats carry every key of the page\'s example', async t => {
  const { call, store } = await buildTestApp(t)
  store.health.setLoad(1, { ops_per_sec: 1000 })
  const series = (await call('GET', '/v1/endpoints/stats?interval=1hour')).json()
  const sample = series[0].intervals.at(-1)
  const documented = ['acc_latency', 'acc_other_latency', 'acc_read_latency', 'acc_write_latency', 'auth_cmds', 'auth_errors', 'cmd_flush',
    'cmd_get', 'cmd_set', 'cmd_touch', 'conns', 'egress_bytes', 'ingress_bytes', 'last_req_time', 'last_res_time', 'max_connections_exceeded',
    'monitor_sessions_count', 'other_req', 'other_res', 'other_started_res', 'read_req', 'read_res', 'read_started_res',
    'total_connections_received', 'total_req', 'total_res', 'total_started_res', 'write_req', 'write_res', 'write_started_res']
  t.same(documented.filter(k => !(k in sample)), [])
  const busy = series.find((s: { uid: string }) => s.uid.startsWith('1:')).intervals.at(-1)
  t.equal(busy.cmd_get, busy.read_req, 'GETs are the reads')
  t.ok(busy.acc_latency > 0 && busy.last_req_time > 0, 'traffic accumulates latency and dates its last request')
})

t.test('endpoint stats: one series per endpoint and proxy', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  store.health.setLoad(2, { ops_per_sec: 100 })
  const eps = (await call('GET', '/v1/endpoints/stats?interval=1sec')).json()
  t.same(eps.map((e: Sample) => e.uid), ['1:1:1', '2:1:1', '3:1:1'])
  const db = (await call('GET', '/v1/bdbs/stats/2?interval=1sec')).json()
  t.same(eps[1].intervals.map((i: Sample) => i.total_req), db.intervals.map((i: Sample) => i.total_req))
})

t.test('documented errors', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  isRsError(t, await call('GET', '/v1/bdbs/stats/99'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/stats/last/99'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/nodes/stats/9'), 404, 'node_not_found')
  isRsError(t, await call('GET', '/v1/shards/stats/99'), 404, 'shard_not_found')
  isRsError(t, await call('GET', '/v1/shards/stats?parent_uid=99'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/stats/abc'), 404, 'not_found')
  store.state.bdbs.get(2)!.status = 'recovery'
  isRsError(t, await call('GET', '/v1/bdbs/stats/2'), 503, 'bdb_in_recovery')
  store.state.nodes.get(1)!.status = 'down'
  isRsError(t, await call('GET', '/v1/nodes/stats/last/1'), 406, 'node_not_active')
  store.state.bdbs.clear()
  isRsError(t, await call('GET', '/v1/bdbs/stats'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/stats/last'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/shards/stats'), 404, 'shard_not_found')
})

t.test('permissions', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  for (const as of ['cluster_viewer', 'db_viewer', 'user_manager'] as const) {
    t.equal((await call('GET', '/v1/cluster/stats/last', { as })).statusCode, 200, `${as} reads stats`)
  }
  isRsError(t, await call('GET', '/v1/bdbs/stats', { as: 'none' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/endpoints/stats', { as: 'none' }), 403, 'insufficient_permissions')
})
