// GET /v4/cluster/health answers the OpenAPI spec's ClusterHealthReport (docs/decisions.md #60),
// not an empty 200: its required keys and JSON types, and a status that follows the cluster.
import t, { type Test } from 'tap'
import { buildTestApp } from '../helpers/app.js'

// The spec's `required` lists (components.schemas) and the type of each key.
const REPORT = { fqdn: 'string', status: 'string', license: 'object', certificates: 'array', nodes: 'array', active_alerts: 'array', database_infos: 'array' }
const LICENSE = { expired: 'boolean', shards_in_use: 'number', ram_shards_in_use: 'number', flex_shards_in_use: 'number', shards_limit: 'number', ram_shards_limit: 'number', flex_shards_limit: 'number', valid_until: 'string' }
const NODE = {
  id: 'string', status: 'string', detailed_status: 'string', role: 'string', version: 'string', shards: 'array', memory: 'object', observed_at: 'number', services: 'array',
  ephemeral_memory_path: 'string', ephemeral_memory_size: 'number', persistent_memory_path: 'string', persistent_memory_size: 'number', quorum_only: 'boolean', in_maintenance: 'boolean'
}
const MEMORY = { total_ram: 'number', free_ram: 'number', free_provisional_ram: 'number', total_provisional_ram: 'number', overbooking_depth: 'number' }
const SHARD = { id: 'string', role: 'string', status: 'string', detailed_status: 'string' }
const DATABASE = { id: 'string', name: 'string', status: 'string', detailed_status: 'string', version: 'string', high_availability: 'object' }

const kind = (v: unknown): string => Array.isArray(v) ? 'array' : typeof v
function hasShape (t: Test, obj: Record<string, unknown>, shape: Record<string, string>, what: string): void {
  for (const [k, type] of Object.entries(shape)) t.equal(kind(obj[k]), type, `${what}.${k} is ${type}`)
}

t.test('the report: every required key with its JSON type; ok on a healthy cluster', async t => {
  const { call } = await buildTestApp(t, { nodes: 3 })
  const res = await call('GET', '/v4/cluster/health')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const r = res.json()
  hasShape(t, r, REPORT, 'report')
  hasShape(t, r.license, LICENSE, 'license')
  t.equal(r.fqdn, 'mock-cluster.local')
  t.equal(r.status, 'ok')
  t.same(r.nodes.map((n: { id: string, role: string }) => [n.id, n.role]), [['1', 'leader'], ['2', 'follower'], ['3', 'follower']])
  hasShape(t, r.nodes[0], NODE, 'node')
  hasShape(t, r.nodes[0].memory, MEMORY, 'memory')
  const shards = r.nodes.flatMap((n: { shards: unknown[] }) => n.shards)
  t.ok(shards.length > 0, 'the shards are on their nodes')
  hasShape(t, shards[0], SHARD, 'shard')
  t.equal(r.license.shards_in_use, shards.length, 'shards in use: those of the nodes')
  t.same(r.database_infos.map((d: { id: string, status: string }) => [d.id, d.status]), [['1', 'active'], ['2', 'active'], ['3', 'active']])
  hasShape(t, r.database_infos[0], DATABASE, 'database')
})

t.test('alerts make it warning; a database down or a node down makes it error', async t => {
  const { call, store } = await buildTestApp(t, { nodes: 3 })
  store.alerts.raise('node', 2, 'node_checks_error', { state: true, severity: 'ERROR', change_value: {} })
  let r = (await call('GET', '/v4/cluster/health')).json()
  t.equal(r.status, 'warning')
  t.same(r.active_alerts.map((a: { name: string }) => a.name), ['node_checks_error'])
  t.equal(r.nodes[1].status, 'warning', 'on the node it concerns')
  t.equal((await call('POST', '/_mock/bdbs/1/recovery')).statusCode, 200)
  r = (await call('GET', '/v4/cluster/health')).json()
  t.equal(r.status, 'error')
  t.same(r.database_infos[0], { ...r.database_infos[0], status: 'down', detailed_status: 'recovery' })
  t.equal((await call('POST', '/_mock/nodes/3/down')).statusCode, 200)
  r = (await call('GET', '/v4/cluster/health')).json()
  t.equal(r.nodes[2].status, 'down')
  t.equal(r.nodes[2].detailed_status, 'down')
})
