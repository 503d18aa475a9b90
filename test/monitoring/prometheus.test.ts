// A real Prometheus (Debian's `prometheus` package; skipped without it) scrapes a running mock's
// exporter on both paths over HTTPS, answers typical RS dashboard queries, and fires alert rules
// with `for: 0s` when the control API fills a database or takes a node down. Every wait polls its
// condition with a deadline.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock } from '../../src/index.js'

const binary = process.env.PROMETHEUS_BIN ?? 'prometheus'
const present = spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0
const DEADLINE_MS = 60_000

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
  s.on('error', reject)
})

async function until<T> (what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + DEADLINE_MS
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) { last = e }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`)
}

const ALERTS = `groups:
  - name: redis-enterprise
    rules:
      - alert: DatabaseNearFull
        expr: sum by (cluster, db) (redis_server_used_memory{role="master"}) / (avg by (cluster, db) (db_memory_limit_bytes) / max by (cluster, db) (db_replication_factor)) > 0.9
        for: 0s
      - alert: NodeDown
        expr: node_metrics_up == 0
        for: 0s
      - alert: DatabaseNearFullV1
        expr: bdb_used_memory / bdb_memory_limit > 0.9
        for: 0s
`

t.test('Prometheus scrapes /v2 and /metrics, answers dashboard queries, fires alert rules', { skip: present ? false : 'no prometheus binary (apt-get install prometheus)' }, async t => {
  const mock = await startMock({ nodes: 2 })
  t.teardown(() => mock.close())
  const target = `127.0.0.1:${mock.metrics[0].port}`
  const dir = mkdtempSync(join(tmpdir(), 'rs-mock-prometheus-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'alerts.yml'), ALERTS)
  const job = (name: string, path: string) => `  - job_name: ${name}
    metrics_path: ${path}
    scheme: https
    tls_config:
      insecure_skip_verify: true
    static_configs:
      - targets: ["${target}"]
`
  writeFileSync(join(dir, 'prometheus.yml'), `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - ${join(dir, 'alerts.yml')}
scrape_configs:
${job('redis-enterprise-v2', '/v2')}${job('redis-enterprise-v1', '/metrics')}`)
  const port = await freePort()
  const prom = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  prom.stderr.on('data', (c: Buffer) => { log += c.toString() })
  t.teardown(() => { if (prom.exitCode === null) prom.kill('SIGKILL') })

  const api = async (path: string): Promise<any> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`)
    return ((await res.json()) as { data: any }).data
  }
  const query = async (q: string): Promise<Array<{ metric: Record<string, string>, value: [number, string] }>> =>
    (await api(`/api/v1/query?query=${encodeURIComponent(q)}`)).result
  const some = async (q: string, test: (v: number, m: Record<string, string>) => boolean = () => true) => {
    const r = await query(q)
    return r.some(x => test(Number(x.value[1]), x.metric)) ? r : undefined
  }

  // traffic on database 1 (throughput and latency panels need rates)
  t.equal((await mock.inject({ method: 'PUT', url: '/_mock/bdbs/1/load', payload: { ops_per_sec: 4000 } })).statusCode, 200)
  const up = await until('both jobs up', async () => {
    const r = await query('up')
    return r.length === 2 && r.every(x => x.value[1] === '1') ? r : undefined
  }).catch(e => { throw new Error(`${String(e)}\n${log}`) })
  t.same(up.map(x => x.metric.job).sort(), ['redis-enterprise-v1', 'redis-enterprise-v2'], 'up == 1 on /v2 and /metrics')

  const throughput = await until('per-database throughput', () => some('sum by (db) (irate(endpoint_read_requests[5s]) + irate(endpoint_write_requests[5s]) + irate(endpoint_other_requests[5s]))', (v, m) => m.db === '1' && v > 3000))
  t.ok(throughput.length >= 1, 'per-database ops/s')
  const p99 = await until('p99 latency', () => some('histogram_quantile(0.99, sum by (le, db) (rate(endpoint_read_requests_latency_histogram_bucket[5s])))', (v, m) => m.db === '1' && v > 0))
  t.ok(p99.length >= 1, 'p99 read latency from the histogram buckets')
  const memory = await until('memory vs limit', () => some('sum by (cluster, db) (redis_server_used_memory{role="master"}) / (avg by (cluster, db) (db_memory_limit_bytes) / max by (cluster, db) (db_replication_factor))', v => v > 0 && v < 1))
  t.equal(memory.length, 3, 'memory ratio per database')
  const cpu = await until('per-node CPU', () => some('avg by (node) (irate(node_cpu_seconds_total{mode="user"}[5s]))', v => v > 0))
  t.same(cpu.map(x => x.metric.node).sort(), ['1', '2'])
  t.equal((await until('free memory', () => some('node_memory_MemFree_bytes', v => v > 0))).length, 2)
  const roles = await until('shard roles', () => some('count by (role) (redis_server_up)'))
  t.ok(roles.some(x => x.metric.role === 'master'))
  t.equal((await until('v1 memory', () => some('bdb_used_memory', v => v > 0))).length, 3, 'v1 bdb_used_memory')

  const firing = async (name: string, match: (l: Record<string, string>) => boolean) => {
    const { alerts } = await api('/api/v1/alerts') as { alerts: Array<{ labels: Record<string, string>, state: string }> }
    return alerts.find(a => a.labels.alertname === name && a.state === 'firing' && match(a.labels))
  }
  t.equal(await firing('DatabaseNearFull', () => true), undefined, 'no database is near full yet')
  const size = (await mock.inject({ method: 'GET', url: '/v1/bdbs/2' })).json().memory_size
  t.equal((await mock.inject({ method: 'PUT', url: '/_mock/bdbs/2/load', payload: { metrics: { used_memory: Math.floor(size * 0.97) } } })).statusCode, 200)
  t.ok(await until('DatabaseNearFull', () => firing('DatabaseNearFull', l => l.db === '2')), 'v2 alert fires for database 2')
  t.ok(await until('DatabaseNearFullV1', () => firing('DatabaseNearFullV1', l => l.bdb === '2')), 'v1 alert fires for database 2')

  await mock.nodeDown(2)
  t.ok(await until('NodeDown', () => firing('NodeDown', l => l.node === '2')), 'NodeDown fires for node 2')
})
