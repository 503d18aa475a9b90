// The metrics exporter's content (src/metrics/): every documented name, RS's types and labels, one
// series per object the REST API lists, and values that agree with /v1/*/stats and follow the
// control API. Rendered in-process on a clock the test moves; the socket is metrics-server.test.ts.
import t, { type Test } from 'tap'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { one, pick, scrape, sum } from '../helpers/metrics.js'
import { generate } from 'selfsigned'
import { V1_METRICS, V2_METRICS, V2_REFERENCED } from '../../src/metrics/catalog.js'

const T0 = Date.parse('2026-03-02T10:00:00.500Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }

async function app (t: Test): Promise<TestApp & { c: ReturnType<typeof clock> }> {
  const c = clock()
  return { ...await buildTestApp(t, { clock: c }), c }
}

t.test('every name of the v2 and v1 pages is served, with the page\'s type', async t => {
  const { call, store, c } = await app(t)
  // traffic (v1 latencies), an Auto Tiering database (bigredis metrics), a Replica Of and an Active-Active source
  t.equal((await call('PUT', '/_mock/bdbs/1/load', { body: { ops_per_sec: 2000, no_of_keys: 500 } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/bdbs/2', { body: { replica_sources: [{ uri: 'redis://redis-12000.mock-cluster.local:12000' }] } })).statusCode, 200)
  store.completePending()
  const db3 = store.state.bdbs.get(3)!
  db3.bigstore = true
  Object.assign(db3, { crdt: true, crdt_sync: 'enabled', crdt_sources: [{ uid: 1, uri: 'redis://aa.west.example:443', status: 'in-sync', lag: 0, last_error: '', last_update: '2026-03-02T10:00:00Z', rdb_size: 0, rdb_transferred: 0 }] })
  store.changed()
  const { cert } = await generate([{ name: 'commonName', value: 'mock' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
  scrape(store)
  c.ms += 5000
  const v2 = scrape(store, 'v2', 1, cert)
  const v1 = scrape(store, 'v1', 1, cert)
  const names2 = new Set(v2.series.map(s => s.name))
  const names1 = new Set(v1.series.map(s => s.name))
  // RS shows these search fields only when positive; the mock has no search index
  const positive = V2_METRICS.filter(m => m.only.includes('positive')).map(m => m.name)
  t.ok(positive.length > 0 && positive.every(n => !names2.has(n)), 'positive-only search metrics stay out at 0')
  for (const m of [...V2_METRICS, ...V2_REFERENCED]) {
    if (positive.includes(m.name)) continue
    if (m.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) t.ok(names2.has(m.name + suffix), `${m.name}${suffix}`)
    } else {
      t.ok(names2.has(m.name), m.name)
    }
    t.equal(v2.types.get(m.name), m.type, `TYPE ${m.name} ${m.type}`)
  }
  for (const m of V1_METRICS) {
    t.ok(names1.has(m.name), `v1 ${m.name}`)
    t.equal(v1.types.get(m.name), 'gauge')
  }
  t.ok(pick(v2, 'endpoint_read_requests_latency_histogram_bucket', { le: '+Inf' }).length > 0, 'histograms end with le="+Inf"')
})

t.test('one series per object the REST API lists, with RS\'s labels', async t => {
  const { call, store } = await app(t)
  const p = scrape(store)
  const bdbs = (await call('GET', '/v1/bdbs')).json()
  const shards = (await call('GET', '/v1/shards')).json()
  const nodes = (await call('GET', '/v1/nodes')).json()
  t.same(pick(p, 'db_status').map(s => s.labels.db).sort(), bdbs.map((b: any) => String(b.uid)).sort(), 'db_status per database')
  t.same(pick(p, 'redis_server_up').map(s => [s.labels.redis, s.labels.role, s.labels.db, s.labels.node]),
    shards.map((s: any) => [s.uid, s.role, String(s.bdb_uid), s.node_uid]), 'redis_server_up per shard, role and node as /v1/shards')
  t.same(pick(p, 'node_metrics_up').map(s => s.labels.node), nodes.map((n: any) => String(n.uid)))
  const endpoints = bdbs.flatMap((b: any) => b.endpoints.map((e: any) => e.uid)).sort()
  t.same(pick(p, 'endpoint_read_requests').map(s => s.labels.endpoint).sort(), endpoints, 'one endpoint series per endpoint (one proxy)')
  t.match(pick(p, 'db_config', { db: '1' })[0].labels, { cluster: 'mock-cluster.local', db_name: bdbs[0].name, db_port: String(bdbs[0].port), tls_mode: 'disabled' })
  t.match(pick(p, 'endpoint_read_requests', { db: '1' })[0].labels, { cluster: 'mock-cluster.local', db: '1', endpoint: '1:1', proxy: '1', node: '1', port: '12000' })

  // a database deleted takes its series along; a new one brings its own
  t.equal((await call('DELETE', '/v1/bdbs/3')).statusCode, 200)
  store.completePending()
  const after = scrape(store)
  t.same(pick(after, 'db_status').map(s => s.labels.db).sort(), ['1', '2'])
  t.same(pick(after, 'redis_server_up', { db: '3' }), [], 'no shard series of a deleted database')
  t.same(pick(after, 'endpoint_read_requests', { db: '3' }), [])
})

t.test('gauges are the stats routes\' values of the same second', async t => {
  const { call, store } = await app(t)
  await call('PUT', '/_mock/bdbs/1/load', { body: { ops_per_sec: 3000, no_of_keys: 1000 } })
  await call('PUT', '/_mock/bdbs/1/health', { body: { latency_ms: 2 } })
  const v2 = scrape(store)
  const v1 = scrape(store, 'v1')
  const db = (await call('GET', '/v1/bdbs/stats/last/1')).json()['1']
  const node = (await call('GET', '/v1/nodes/stats/last/1')).json()['1']
  const shards = (await call('GET', '/v1/shards/stats/last?parent_uid=1')).json()
  const bdb = (await call('GET', '/v1/bdbs/1')).json()
  t.equal(one(v1, 'bdb_used_memory', { bdb: '1' }), db.used_memory)
  t.equal(sum(v2, 'redis_server_used_memory', { db: '1' }), Object.values(shards).reduce((a: number, s: any) => a + s.used_memory, 0), 'v2 shard memory adds up to the shards\' stats')
  t.equal(one(v2, 'db_memory_limit_bytes', { db: '1' }), bdb.memory_size)
  t.equal(one(v1, 'bdb_memory_limit', { bdb: '1' }), bdb.memory_size)
  t.equal(one(v1, 'bdb_conns', { bdb: '1' }), db.conns)
  t.equal(one(v1, 'bdb_total_req', { bdb: '1' }), db.total_req)
  t.equal(one(v1, 'bdb_avg_latency', { bdb: '1' }), db.avg_latency)
  t.equal(one(v1, 'bdb_no_of_keys', { bdb: '1' }), db.no_of_keys)
  t.equal(one(v2, 'redis_server_db_keys', { db: '1', role: 'master' }), db.no_of_keys)
  t.equal(one(v1, 'node_cpu_user', { node: '1' }), node.cpu_user)
  t.equal(one(v1, 'node_free_memory', { node: '1' }), node.free_memory)
  t.equal(one(v2, 'node_memory_MemFree_bytes', { node: '1' }), node.free_memory)
  t.equal(one(v2, 'node_available_memory_bytes', { node: '1' }), node.available_memory)
  t.equal(one(v2, 'node_persistent_storage_free_bytes', { node: '1' }), node.persistent_storage_free)
  t.equal(one(v2, 'node_ephemeral_storage_avail_bytes', { node: '1' }), node.ephemeral_storage_avail)
  t.equal(one(v1, 'node_conns', { node: '1' }), node.conns)
})

t.test('counters run up at the stats\' rates and never go back', async t => {
  const { call, store, c } = await app(t)
  await call('PUT', '/_mock/bdbs/1/load', { body: { ops_per_sec: 5000 } })
  const first = scrape(store)
  c.ms += 10_000
  const second = scrape(store)
  const db = (await call('GET', '/v1/bdbs/stats/last/1')).json()['1']
  const node = (await call('GET', '/v1/nodes/stats/last/1')).json()['1']
  const delta = (name: string, match: Record<string, string>) => sum(second, name, match) - sum(first, name, match)
  t.equal(Math.round(delta('endpoint_read_requests', { db: '1' })), Math.round(db.read_req * 10), 'reads over 10 s = read_req × 10')
  t.equal(Math.round(delta('endpoint_write_requests', { db: '1' })), Math.round(db.write_req * 10))
  t.equal(Math.round(delta('endpoint_ingress', { db: '1' })), Math.round(db.ingress_bytes * 10))
  const cores = pick(second, 'node_cpu_seconds_total', { node: '1', mode: 'user' }).length
  t.ok(cores > 0)
  t.equal(Math.round(delta('node_cpu_seconds_total', { node: '1', mode: 'user' }) / cores * 1000), Math.round(node.cpu_user * 10 * 1000), 'per-core user seconds over 10 s = cpu_user × 10')
  // the histogram counts every response, and its sum over its count is the average latency in µs
  const count = delta('endpoint_read_requests_latency_histogram_count', { db: '1' })
  t.equal(Math.round(count), Math.round(db.read_res * 10))
  t.equal(Math.round(delta('endpoint_read_requests_latency_histogram_sum', { db: '1' }) / count), Math.round(db.avg_read_latency * 1e6))
  // bdb_conns (v2): connections made − closed is what is open
  const open = sum(second, 'endpoint_client_connections', { db: '1' }) - sum(second, 'endpoint_client_disconnections', { db: '1' }) - sum(second, 'endpoint_proxy_disconnections', { db: '1' })
  t.equal(open, db.conns)

  // the load drops to nothing: counters stay where they were
  await call('DELETE', '/_mock/bdbs/1/health')
  c.ms += 10_000
  const third = scrape(store)
  for (const s of second.series) {
    if (second.types.get(s.name) !== 'counter') continue
    const later = third.series.find(x => x.name === s.name && JSON.stringify(x.labels) === JSON.stringify(s.labels))
    if (later !== undefined && later.value < s.value) t.fail(`${s.name} ${JSON.stringify(s.labels)} went back`)
  }
  t.equal(sum(third, 'endpoint_read_requests', { db: '1' }), sum(second, 'endpoint_read_requests', { db: '1' }), 'idle: no more requests')
  t.equal(one(third, 'endpoint_client_connections', { db: '1' }) - one(third, 'endpoint_client_disconnections', { db: '1' }), 0, 'idle: no open connection')

  // a reset swaps the whole state: counters start again from 0 (docs/metrics.md)
  store.reset()
  t.equal(sum(scrape(store), 'endpoint_read_requests', { db: '1' }), 0)
})

t.test('a database near full shows in both, and the memory ratio of RS\'s dashboards', async t => {
  const { call, store } = await app(t)
  const size = (await call('GET', '/v1/bdbs/2')).json().memory_size
  t.equal((await call('PUT', '/_mock/bdbs/2/load', { body: { metrics: { used_memory: Math.floor(size * 0.99) } } })).statusCode, 200)
  const v2 = scrape(store)
  const stats = (await call('GET', '/v1/bdbs/stats/last/2')).json()['2']
  t.equal(stats.used_memory, Math.floor(size * 0.99))
  t.equal(one(scrape(store, 'v1'), 'bdb_used_memory', { bdb: '2' }), stats.used_memory)
  // the v2 page's percent usage: sum(used_memory{role="master"}) / (db_memory_limit_bytes / db_replication_factor)
  const ratio = sum(v2, 'redis_server_used_memory', { db: '2', role: 'master' }) / (one(v2, 'db_memory_limit_bytes', { db: '2' }) / one(v2, 'db_replication_factor', { db: '2' }))
  t.ok(ratio > 0.98 && ratio <= 1, `memory ratio ${ratio}`)
})

t.test('availability, sync and node state follow the control API', async t => {
  const { call, store, c } = await app(t)
  await call('PUT', '/_mock/bdbs/1/health', { body: { unavailable: 'shard_unreachable' } })
  await call('PUT', '/_mock/bdbs/2/health', { body: { unavailable: 'endpoint_unavailable' } })
  scrape(store)
  c.ms += 3000
  const p = scrape(store)
  t.equal(one(p, 'redis_server_up', { db: '1' }), 0, 'an unreachable shard is down')
  t.equal(one(p, 'shard_ping_failure_duration_seconds', { db: '1' }), 3)
  t.equal(one(scrape(store, 'v1'), 'bdb_up', { bdb: '1' }), 0)
  t.equal(one(p, 'endpoint_ping_failure_duration_seconds', { db: '2' }), 3)
  t.ok(one(p, 'endpoint_ping_failures', { db: '2' }) > 0)

  // Replica Of: in sync, then lagging (health lag_ms), as syncer_state says
  await call('PUT', '/v1/bdbs/3', { body: { replica_sources: [{ uri: 'redis://redis-13001.mock-cluster.local:13001' }, { uri: 'redis://redis-14999.mock-cluster.local:14999' }] } })
  store.completePending()
  await call('PUT', '/_mock/bdbs/3/health', { body: { lag_ms: 4200 } })
  const syncer = (await call('GET', '/v1/bdbs/3/syncer_state/replica')).json()
  const s = scrape(store)
  const v1 = scrape(store, 'v1')
  for (const src of syncer.Sources) {
    const match = { db: '3', syncer_type: 'replicaof', source: String(src.ID) }
    t.equal(one(s, 'database_syncer_lag_ms', match), src.Lag, `lag of source ${src.ID}`)
    t.equal(one(s, 'database_syncer_current_status', match), src.Status === 'in-sync' ? 0 : 1)
    t.equal(one(v1, 'bdb_replicaof_syncer_status', { bdb: '3', source: String(src.ID) }), src.Status === 'in-sync' ? 0 : 2)
  }
  t.equal(one(s, 'database_syncer_lag_ms', { db: '3', source: '1' }), 4200)

  await call('PUT', '/_mock/cluster/health', { body: { quorum: false } })
  t.equal(one(scrape(store), 'has_quorum', { node: '1' }), 0)
})

t.test('a node down: its metrics stop, its shards fail over, the primary moves', async t => {
  const { store } = await buildTestApp(t, { nodes: 3, clock: clock(), transitionDelayMs: 0 })
  const { MockControl } = await import('../../src/control/index.js')
  const control = new MockControl(store)
  const before = scrape(store)
  t.same(pick(before, 'node_metrics_up').map(s => s.value), [1, 1, 1])
  t.equal(one(before, 'is_primary', { node: '1' }), 1)
  const mastersOn1 = pick(before, 'redis_server_up', { node: '1', role: 'master' }).map(s => s.labels.redis)
  await control.setNodeDown(1, true)
  const after = scrape(store)
  const nodes = await Promise.resolve(store.cluster.nodes())
  t.same(pick(after, 'node_metrics_up').map(s => s.value), nodes.map(n => n.status === 'active' ? 1 : 0), 'node_metrics_up as /v1/nodes status')
  t.equal(one(after, 'node_metrics_up', { node: '1' }), 0)
  t.same(pick(after, 'node_memory_MemFree_bytes', { node: '1' }), [], 'a down node reports nothing else')
  t.equal(one(after, 'total_live_nodes_count', { node: '2' }), 2)
  t.equal(one(after, 'is_primary', { node: String(store.master.uid) }), 1)
  t.equal(one(after, 'primary_selections_total', { node: '2' }), 2, 'a second primary selection')
  for (const s of pick(after, 'redis_server_up', { node: '1' })) t.equal(s.value, 0, `shard ${s.labels.redis} on the down node is down`)
  const shards = store.shards.list()
  t.same(pick(after, 'redis_server_up').map(s => [s.labels.redis, s.labels.role]), shards.map(s => [s.uid, s.role]), 'roles as /v1/shards after the failover')
  const replicated = new Set(store.bdbs.list().filter(b => b.replication === true).map(b => b.uid))
  for (const uid of mastersOn1) {
    const shard = shards.find(s => s.uid === uid)!
    if (replicated.has(Number(shard.bdb_uid))) t.equal(shard.role, 'slave', `master ${uid} of a replicated database on the down node is a replica now`)
  }
  t.equal(one(scrape(store, 'v1'), 'node_up', { node: '1' }), 0)

  // a partitioned node is cut off from the cluster: not connected for the metrics either
  await control.setNodeDown(1, false)
  control.setPartitioned(3, true)
  const cut = scrape(store)
  t.same(pick(cut, 'node_metrics_up').map(s => [s.labels.node, s.value]), [['1', 1], ['2', 1], ['3', 0]])
  control.setPartitioned(3, false)
  t.equal(one(scrape(store), 'node_metrics_up', { node: '3' }), 1, 'healed')
})

t.test('/v2/node: only the node\'s own series, without cluster and node labels', async t => {
  const { store } = await buildTestApp(t, { nodes: 2, clock: clock() })
  const full = scrape(store)
  const node2 = scrape(store, 'v2-node', 2)
  t.same(pick(node2, 'node_metrics_up'), [{ name: 'node_metrics_up', labels: {}, value: 1 }])
  const onNode2 = pick(full, 'redis_server_up', { node: '2' }).map(s => s.labels.redis).sort()
  t.same(pick(node2, 'redis_server_up').map(s => s.labels.redis).sort(), onNode2)
  t.ok(node2.series.every(s => s.labels.cluster === undefined && s.labels.node === undefined))
  t.same(pick(node2, 'db_status'), [], 'cluster-wide series are the primary\'s')
  t.equal(pick(scrape(store, 'v2-node', 1), 'db_status').length, pick(full, 'db_status').length)
})
