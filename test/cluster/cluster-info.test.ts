// Module capabilities, DNS suffixes, migration status, the usage report, PUT /v1/proxies.
import t from 'tap'
import { gunzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { buildTestApp, isRsError } from '../helpers/app.js'

t.test('GET /v1/cluster/module-capabilities lists every capability the modules use', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/cluster/module-capabilities', { as: 'db_viewer' })
  t.equal(res.statusCode, 200)
  const all = res.json().all_capabilities as Array<{ name: string, desc: string }>
  t.same(all[0], { name: 'types', desc: 'module has its own types and not only operate on existing redis types' }, 'the documented example')
  for (const c of all) t.same(Object.keys(c), ['name', 'desc'])
  const used = new Set(store0((await call('GET', '/v1/modules')).json()))
  for (const cap of used) t.ok(all.some(c => c.name === cap), `${cap} is listed`)
})
const store0 = (modules: Array<{ capabilities?: string[] }>) => modules.flatMap(m => m.capabilities ?? [])

t.test('suffixes follow the cluster name', async t => {
  const { call } = await buildTestApp(t)
  const list = (await call('GET', '/v1/suffixes')).json()
  t.same(list, [
    { default: true, internal: false, mdns: false, name: 'mock-cluster.local', slaves: [], use_aaaa_ns: false },
    { default: false, internal: true, mdns: false, name: 'internal.mock-cluster.local', slaves: [], use_aaaa_ns: false }
  ])
  t.same((await call('GET', '/v1/suffix/internal.mock-cluster.local')).json(), list[1])
  isRsError(t, await call('GET', '/v1/suffix/other.zone'), 404, 'suffix_not_found')
})

t.test('GET /v1/migrations/{uid}', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/migrations/1')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { migration: { status: 'disabled', lag: 0, rdb_size: 0, rdb_transferred: 0, run_id: '', flush_counter: 0, source_shards: [] } })
  isRsError(t, await call('GET', '/v1/migrations/99'), 404, 'bdb_not_found')
})

t.test('GET /v1/usage_report: NDJSON per database and its MD5, gzipped on request', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('GET', '/v1/usage_report')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/x-ndjson/)
  const lines = res.body.trimEnd().split('\n')
  t.equal(lines.length, store.state.bdbs.size + 1)
  const hash = lines.pop()
  t.equal(hash, createHash('md5').update(lines.map(l => l + '\n').join('')).digest('hex'), 'the last line hashes the rest')
  const first = JSON.parse(lines[0])
  const withModules = ((store.state.bdbs.get(1) as unknown as { module_list?: unknown[] }).module_list ?? []).length > 0
  t.match(first, { cluster_name: 'mock-cluster.local', bdb_uid: '1', api_version: '1', type: withModules ? 'premium' : 'core', provisioned_memory: store.state.bdbs.get(1)!.memory_size, replication: Boolean })
  t.match(first.cluster_uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
  t.type(first.used_memory, 'number')
  t.same(Object.keys(first.license), ['activation_date', 'expiration_date', 'ram_shards_in_use', 'ram_shards_limit', 'flash_shards_in_use', 'flash_shards_limit', 'shards_limit'])
  const zipped = await call('GET', '/v1/usage_report', { headers: { 'accept-encoding': 'gzip' } })
  t.equal(zipped.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(zipped.rawPayload).toString('utf8').split('\n').length, lines.length + 2)
})

t.test('PUT /v1/proxies changes every proxy', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('PUT', '/v1/proxies', { body: { allow_restart: true, proxy: { threads: 8, max_threads: 12 } } })
  t.equal(res.statusCode, 200)
  for (const p of (await call('GET', '/v1/proxies')).json()) t.match(p, { threads: 8, max_threads: 12 })
  t.match(store.state.events.at(-1), { type: 'proxies_updated', fields: 'max_threads,threads' })
  const id = store.clusterStateId
  isRsError(t, await call('PUT', '/v1/proxies', { body: { proxy: {} } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies', { body: { proxy: { threads: 0 } } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies', { body: { proxy: { uid: 5 } } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies', { body: { threads: 4 } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies', { body: { proxy: { threads: 4 } }, as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.equal(store.clusterStateId, id)
})
