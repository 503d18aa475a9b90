// Every implemented GET has the key set, key order and JSON types of the captured RS 8.0
// response for the same endpoint (test/shapes/), on a cluster bootstrapped over the API.
import t from 'tap'
import { buildTestApp, basic } from '../helpers/app.js'
import { shape, shapeProblems } from '../helpers/shapes.js'

const ADMIN = { authorization: basic('admin@example.com', 'Admin123!') }

t.test('GET responses match the captures', async t => {
  const { call, store } = await buildTestApp(t, { freshNode: true, transitionDelayMs: 0 })
  const boot = { action: 'create_cluster', cluster: { name: 'shapes.local' }, credentials: { username: 'admin@example.com', password: 'Admin123!' } }
  t.equal((await call('POST', '/v1/bootstrap/create_cluster', { body: boot, headers: { authorization: null } })).statusCode, 200)
  const get = async (url: string) => {
    const res = await call('GET', url, { headers: ADMIN })
    t.equal(res.statusCode, 200, url)
    return res.json()
  }
  await get('/v1/cluster')
  t.equal((await call('POST', '/v1/bdbs', { body: { name: 'default-db', memory_size: 1073741824, type: 'redis', replication: false }, headers: ADMIN })).statusCode, 200)
  t.equal((await call('PUT', '/v1/bdbs/1/flush', { headers: ADMIN })).statusCode, 200, 'a task for the actions list')
  store.core.completeAll()

  const same = (value: unknown, file: string, label: string) => t.same(shapeProblems(value, shape(file), ''), [], label)
  same(await get('/v1/cluster'), 'cluster.json', 'GET /v1/cluster')
  same(await get('/v1/nodes/1'), 'node_single.json', 'GET /v1/nodes/1')
  for (const n of await get('/v1/nodes')) same(n, 'node_single.json', 'GET /v1/nodes[]')
  same(await get('/v1/license'), 'license.json', 'GET /v1/license (trial)')
  same(await get('/v1/ocsp'), 'ocsp.json', 'GET /v1/ocsp')
  same(await get('/v1/bootstrap'), 'bootstrap_status.json', 'GET /v1/bootstrap (completed)')
  for (const m of await get('/v1/modules')) same(m, 'modules_list.json', 'GET /v1/modules[]')
  same(await get('/v1/bdbs/1'), 'bdb_single.json', 'GET /v1/bdbs/1 (active)')
  for (const b of await get('/v1/bdbs')) same(b, 'bdb_single.json', 'GET /v1/bdbs[]')
  for (const s of await get('/v1/shards')) same(s, 'shards_list.json', 'GET /v1/shards[]')
  same(await get('/v1/shards/1'), 'shards_list.json', 'GET /v1/shards/1')
  for (const s of await get('/v1/bdbs/1/shards')) same(s, 'shards_list.json', 'GET /v1/bdbs/1/shards[]')
  const actions = await get('/v1/actions')
  t.ok(actions.actions.length > 0 && actions['state-machines'].length > 0, 'both kinds present')
  same(actions, 'actions_list.json', 'GET /v1/actions (completed)')
  // GET /v1/users/1 belongs to the users routes; the record bootstrap wrote must match too
  same(store.state.users.get(1)?.user, 'user_single.json', 'the bootstrap admin user')
})

// Documented optional keys the captures (of a settled cluster) do not show.
t.test('deliberate differences while something is in progress', async t => {
  const { call } = await buildTestApp(t, { transitionDelayMs: 1000 })
  const pending = (await call('POST', '/v1/bdbs', { body: { name: 'p', memory_size: 1 } })).json()
  t.same(shapeProblems(pending, shape('bdb_single.json'), ''), [': unexpected action_uid', 'background_op[0]: matches no captured element (background_op[]: unexpected name, progress)'],
    'a database mid-action adds action_uid (docs/rs-api-notes.md §4: RO, present while an action runs) and names it in background_op')
  const running = (await call('GET', '/v1/actions')).json()
  t.same(shapeProblems(running, shape('actions_list.json'), ''), [
    'state-machines[0]: matches no captured element (state-machines[]: unexpected pending_ops, progress, state)'
  ], 'a running state machine adds pending_ops, progress and state (the docs\' /v1/actions/bdb example)')
  const fresh = await buildTestApp(t, { freshNode: true })
  const idle = (await fresh.call('GET', '/v1/bootstrap', { headers: { authorization: null } })).json()
  t.same(shapeProblems(idle, shape('bootstrap_status.json'), ''), ['bootstrap_status: missing end_time, start_time'],
    'an idle node has no start_time/end_time yet')
})
