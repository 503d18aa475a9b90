// The /_mock/ control API over HTTP (inject): authentication, reset, state export/import,
// scenarios, membership, timing. Faults and the journal have their own files.
import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, isRsError, logins, ADMIN } from '../helpers/app.js'

const json = (res: { json(): unknown }) => res.json() as any

t.test('GET /_mock/health needs no credentials and answers off-cluster too', async t => {
  const { call, store } = await buildTestApp(t, { freshNode: true })
  const res = await call('GET', '/_mock/health', { headers: { authorization: null } })
  t.equal(res.statusCode, 200)
  t.same(json(res), { status: 'ok', in_cluster: false, cluster_state_id: store.clusterStateId })
})

t.test('authentication: admin login or control token; 401/403 in the RS shape', async t => {
  const { call } = await buildTestApp(t, { control: { token: 's3cret' } })
  t.equal((await call('GET', '/_mock/status')).statusCode, 200, 'admin Basic')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: null } }), 401, 'unauthorized')
  isRsError(t, await call('GET', '/_mock/status', { as: 'cluster_member' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: 'Basic ' + Buffer.from('admin@redis.local:nope').toString('base64') } }), 401, 'unauthorized')
  t.equal((await call('GET', '/_mock/status', { headers: { authorization: 'Bearer s3cret' } })).statusCode, 200, 'Bearer token')
  t.equal((await call('GET', '/_mock/status', { headers: { authorization: null, 'x-mock-control-token': 's3cret' } })).statusCode, 200, 'token header')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthorized')
  const res = await call('POST', '/_mock/reset', { headers: { authorization: null } })
  t.equal(res.headers['www-authenticate'], 'Basic realm="Redis Enterprise"')
})

t.test('without a configured token, no token is accepted', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: 'Bearer ' } }), 401, 'unauthorized')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: null, 'x-mock-control-token': 'x' } }), 401, 'unauthorized')
})

t.test('enabled: false keeps only the health route', async t => {
  const { call } = await buildTestApp(t, { control: { enabled: false } })
  t.equal((await call('GET', '/_mock/health', { headers: { authorization: null } })).statusCode, 200)
  isRsError(t, await call('POST', '/_mock/reset'), 404, 'not_found')
  isRsError(t, await call('GET', '/_mock/journal'), 404, 'not_found')
})

t.test('reset returns to the start state as one more change', async t => {
  const { call, store } = await buildTestApp(t)
  store.state.bdbs.delete(1)
  store.state.cluster.name = 'changed.example'
  store.changed()
  isRsError(t, await call('GET', '/v1/bdbs/1'), 404, 'bdb_not_found')
  const before = store.clusterStateId
  const res = await call('POST', '/_mock/reset')
  t.equal(res.statusCode, 200)
  t.same(json(res), { in_cluster: true, cluster_state_id: before + 1, scenario: 'default' })
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal(store.state.cluster.name, 'mock-cluster.local')
  t.equal(Number((await call('GET', '/v1/bdbs')).headers['cluster-state-id']), before + 1, 'cluster-state-id never goes back')
})

t.test('reset drops pending transitions and runs the reset listeners', async t => {
  const { call, store } = await buildTestApp(t)
  let ran = false
  let resets = 0
  store.core.onReset(() => { resets++ })
  store.core.schedule(() => { ran = true }, 10)
  await call('POST', '/_mock/reset')
  t.equal(store.core.pendingJobs, 0)
  t.equal(store.core.completeAll(), 0)
  t.notOk(ran)
  t.equal(resets, 1)
})

t.test('export and import the whole state', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('GET', '/_mock/state')
  t.equal(res.statusCode, 200)
  const doc = json(res)
  t.equal(doc.format, 'redis-enterprise-mock/state')
  t.equal(doc.version, 1)
  t.ok(Array.isArray(doc.state.bdbs.$map), 'maps travel as $map pairs')
  const bdb1 = doc.state.bdbs.$map.find(([k]: [number]) => k === 1)[1]
  bdb1.name = 'imported'
  doc.state.bdbs.$map = doc.state.bdbs.$map.filter(([k]: [number]) => k !== 3)
  const imported = await call('PUT', '/_mock/state', { body: doc })
  t.equal(imported.statusCode, 200)
  t.equal(json(await call('GET', '/v1/bdbs/1')).name, 'imported')
  isRsError(t, await call('GET', '/v1/bdbs/3'), 404, 'bdb_not_found')
  t.ok(store.clusterStateId > doc.state.clusterStateId, 'cluster-state-id keeps increasing')
  t.equal(store.state.users.get(1)?.user.email, 'admin@redis.local', 'logins come along (salted hashes)')
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization: logins.db_viewer } })).statusCode, 200)
})

t.test('a bad state document is refused whole and changes nothing', async t => {
  const { call, store } = await buildTestApp(t)
  const good = json(await call('GET', '/_mock/state'))
  const before = JSON.stringify(json(await call('GET', '/_mock/state')).state)
  const variants: Array<[string, (d: any) => unknown]> = [
    ['not an object', () => [1, 2]],
    ['wrong format', d => ({ ...d, format: 'other' })],
    ['wrong version', d => ({ ...d, version: 2 })],
    ['missing part', d => { delete d.state.roles; return d }],
    ['unknown part', d => { d.state.extra = 1; return d }],
    ['wrong kind', d => { d.state.bdbs = []; return d }],
    ['bad map', d => { d.state.bdbs = { $map: [[1]] }; return d }],
    ['duplicate key', d => { d.state.bdbs.$map.push(d.state.bdbs.$map[0]); return d }],
    ['uid mismatch', d => { d.state.bdbs.$map[0][0] = 99; return d }],
    ['non-integer key', d => { d.state.roles.$map[0][0] = 'x'; return d }],
    ['schema violation', d => { d.state.bdbs.$map[1][1].name = 42; return d }],
    ['unknown bdb field', d => { d.state.bdbs.$map[1][1].bogus = true; return d }],
    ['bad cluster', d => { d.state.cluster = { ...d.state.cluster, name: 1 }; return d }],
    ['bad user record', d => { delete d.state.users.$map[0][1].hash; return d }],
    ['bad state id', d => { d.state.clusterStateId = -1; return d }]
  ]
  const id = store.clusterStateId
  for (const [name, change] of variants) {
    const res = await call('PUT', '/_mock/state', { body: change(structuredClone(good)) as object })
    isRsError(t, res, 400, 'invalid_state_document', name)
  }
  t.equal(JSON.stringify(json(await call('GET', '/_mock/state')).state), before, 'state untouched')
  t.equal(store.clusterStateId, id)
  isRsError(t, await call('PUT', '/_mock/state', { body: '{"format":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json')
})

t.test('scenarios: the built-in ones, a user directory, reset returns to the last one', async t => {
  const { call, store } = await buildTestApp(t)
  const list = json(await call('GET', '/_mock/scenarios'))
  t.equal(list.current, 'default')
  t.same(list.scenarios.map((s: { name: string }) => s.name).sort(), ['default', 'empty-cluster', 'fresh-node', 'large'])

  t.same(json(await call('POST', '/_mock/scenario', { body: { name: 'empty-cluster' } })).scenario, 'empty-cluster')
  t.same(json(await call('GET', '/v1/bdbs')), [])
  t.equal((await call('GET', '/v1/users')).statusCode, 200, 'bootstrapped: logins work')
  store.state.bdbs.set(9, { ...store.state.bdbs.get(9)!, uid: 9 } as never)
  await call('POST', '/_mock/reset')
  t.equal(store.state.bdbs.size, 0, 'reset goes back to the scenario loaded last')

  const started = Date.now()
  await call('POST', '/_mock/scenario', { body: { name: 'large' } })
  const bdbs = json(await call('GET', '/v1/bdbs?fields=uid,name,port'))
  t.comment(`large scenario: load + list in ${Date.now() - started} ms`)
  t.equal(bdbs.length, 1000)
  t.equal(new Set(bdbs.map((b: { port: number }) => b.port)).size, 1000, 'unique ports')
  t.same(bdbs[999], { uid: 1000, name: 'db-1000', port: 12999 })

  await call('POST', '/_mock/scenario', { body: { name: 'fresh-node' } })
  isRsError(t, await call('GET', '/v1/bdbs'), 503, 'node_not_in_cluster')
  t.equal((await call('GET', '/v1/bootstrap', { headers: { authorization: null } })).statusCode, 200)
  t.equal((await call('GET', '/_mock/status')).statusCode, 200, 'control still works off-cluster')

  const dir = t.testdir({ mine: { 'scenario.json': JSON.stringify({ extends: 'default' }), 'bdbs.json': '[]' } })
  const mine = join(dir, 'mine')
  const res = await call('POST', '/_mock/scenario', { body: { name: mine } })
  t.equal(res.statusCode, 200)
  t.equal(json(res).scenario, mine)
  t.equal(json(res).in_cluster, true)
  t.same(json(await call('GET', '/v1/bdbs')), [])
})

t.test('scenario errors', async t => {
  const { call, store } = await buildTestApp(t)
  const dir = t.testdir({ broken: { 'scenario.json': '{"extends":' }, partial: { 'cluster.json': '{}' } })
  const id = store.clusterStateId
  isRsError(t, await call('POST', '/_mock/scenario', { body: { name: 'nope' } }), 404, 'scenario_not_found')
  isRsError(t, await call('POST', '/_mock/scenario', { body: { name: join(dir, 'missing') } }), 404, 'scenario_not_found')
  isRsError(t, await call('POST', '/_mock/scenario', { body: { name: join(dir, 'broken') } }), 400, 'invalid_scenario')
  isRsError(t, await call('POST', '/_mock/scenario', { body: { name: join(dir, 'partial') } }), 400, 'invalid_scenario')
  isRsError(t, await call('POST', '/_mock/scenario', { body: {} }), 400, 'invalid_schema')
  t.equal(store.clusterStateId, id, 'nothing changed')
  mkdirSync(join(dir, 'gen'))
  writeFileSync(join(dir, 'gen', 'scenario.json'), JSON.stringify({ extends: 'default', generate: { bdbs: { count: 2, template: 77 } } }))
  isRsError(t, await call('POST', '/_mock/scenario', { body: { name: join(dir, 'gen') } }), 400, 'invalid_scenario')
})

t.test('membership: leave answers 503 on RS routes with the state kept; join restores', async t => {
  const { call } = await buildTestApp(t)
  const before = json(await call('GET', '/v1/bdbs'))
  const left = await call('POST', '/_mock/cluster/leave')
  t.equal(json(left).in_cluster, false)
  isRsError(t, await call('GET', '/v1/bdbs'), 503, 'node_not_in_cluster')
  isRsError(t, await call('GET', '/v1/cluster', { headers: { authorization: null } }), 503, 'node_not_in_cluster')
  t.equal(json(await call('GET', '/_mock/cluster')).in_cluster, false)
  t.equal(json(await call('GET', '/_mock/health')).in_cluster, false)
  t.equal(json(await call('POST', '/_mock/cluster/join', { headers: { 'content-type': 'application/json' } })).in_cluster, true, 'an empty JSON body is fine')
  t.same(json(await call('GET', '/v1/bdbs')), before)
})

t.test('timing: set the delay, complete everything pending', async t => {
  const { call, store } = await buildTestApp(t)
  t.same(json(await call('GET', '/_mock/timing')), { transition_delay_ms: 100, pending: 0 })
  t.same(json(await call('PUT', '/_mock/timing', { body: { transition_delay_ms: 5000 } })), { transition_delay_ms: 5000, pending: 0 })
  t.equal(store.core.timing.transitionDelayMs, 5000)
  isRsError(t, await call('PUT', '/_mock/timing', { body: { transition_delay_ms: -1 } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/_mock/timing', { body: { transition_delay_ms: '1' } }), 400, 'invalid_schema')
  const done: number[] = []
  store.core.schedule(() => { done.push(1); store.core.schedule(() => done.push(2)) })
  t.equal(json(await call('GET', '/_mock/timing')).pending, 1)
  t.same(json(await call('POST', '/_mock/timing/complete')), { completed: 2, pending: 0 })
  t.same(done, [1, 2], 'including transitions the pending ones start')
})

t.test('reset brings the timing back to the start-up value, so a later test\'s writes are not busy', async t => {
  const { call } = await buildTestApp(t, { transitionDelayMs: 0 })
  await call('PUT', '/_mock/timing', { body: { transition_delay_ms: 3_600_000 } })
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: 209715200 } })).statusCode, 200)
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { memory_size: 209715200 } }), 409, 'busy', 'the long delay holds the first change')
  await call('POST', '/_mock/reset')
  t.same(json(await call('GET', '/_mock/timing')), { transition_delay_ms: 0, pending: 0 }, 'the start-up delay again')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: 209715200 } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: 104857600 } })).statusCode, 200, 'two changes in a row: not busy')
})

t.test('a created database becomes active when pending work is completed', async t => {
  const { call } = await buildTestApp(t, { clock: { now: () => Date.parse('2026-02-01T00:00:00Z') } })
  await call('PUT', '/_mock/timing', { body: { transition_delay_ms: 3_600_000 } })
  const res = await call('POST', '/v1/bdbs', { body: { name: 'timed', memory_size: 104857600 } })
  t.equal(res.statusCode, 200)
  const uid = json(res).uid
  t.equal(json(await call('GET', `/v1/bdbs/${uid}`)).status, 'pending')
  t.ok(json(await call('POST', '/_mock/timing/complete')).completed >= 1)
  t.equal(json(await call('GET', `/v1/bdbs/${uid}`)).status, 'active')
})

t.test('control routes are outside the RS front door', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/_mock/status', { headers: { authorization: ADMIN, accept: 'text/html', 'x-api-version': '9' } })
  t.equal(res.statusCode, 200, 'no RS header checks')
  t.equal(res.headers.server, 'envoy', 'but the RS response headers')
})
