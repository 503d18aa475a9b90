// Requests real clients send that the mock used to refuse or answer unlike RS.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const json = { 'content-type': 'application/json' }

t.test('an empty body with a JSON content type is no body on routes that take none or an optional one', async t => {
  const { call } = await buildTestApp(t)
  t.equal((await call('POST', '/v1/users', { body: { email: 'gone@x.io', password: 'pw-gone-1' } })).statusCode, 200)
  const users = (await call('GET', '/v1/users')).json() as Array<{ uid: number, email: string }>
  const uid = users.find(u => u.email === 'gone@x.io')!.uid
  const del = await call('DELETE', `/v1/users/${uid}`, { body: '', headers: json })
  t.equal(del.statusCode, 200, 'DELETE /v1/users/{uid}')
  t.match(del.json(), { action_uid: String })
  const flush = await call('PUT', '/v1/bdbs/1/flush', { body: '', headers: json })
  t.equal(flush.statusCode, 200, 'PUT /v1/bdbs/{uid}/flush')
  const token = await call('POST', '/v1/users/authorize', { body: '', headers: json })
  t.equal(token.statusCode, 200, 'POST /v1/users/authorize')
  t.match(token.json(), { access_token: String })
  const drop = await call('DELETE', '/v1/bdbs/1', { body: '', headers: json })
  t.equal(drop.statusCode, 200, 'DELETE /v1/bdbs/{uid}')
  // A body that is required stays required, and a broken one stays broken.
  isRsError(t, await call('POST', '/v1/bdbs', { body: '', headers: json }), 400, 'invalid_json')
  isRsError(t, await call('DELETE', '/v1/bdbs/2', { body: '{"x":', headers: json }), 400, 'invalid_json')
})

t.test('a freshly bootstrapped node counts its uptime from the bootstrap', async t => {
  let now = Date.parse('2026-03-01T10:00:00Z')
  const { call, store } = await buildTestApp(t, { freshNode: true, clock: { now: () => now } })
  now += 3_600_000 // the node idled an hour before anyone bootstrapped it
  const create = { action: 'create_cluster', cluster: { name: 'up.example.com' }, credentials: { username: 'ops@example.com', password: 'S3cret!' } }
  t.equal((await call('POST', '/v1/bootstrap/create_cluster', { body: create, headers: { authorization: null } })).statusCode, 200)
  store.core.completeAll()
  const ops = { authorization: 'Basic ' + Buffer.from('ops@example.com:S3cret!').toString('base64') }
  t.equal((await call('GET', '/v1/nodes/1', { headers: ops })).json().uptime, 0)
  now += 90_500
  t.equal((await call('GET', '/v1/nodes/1', { headers: ops })).json().uptime, 90)
  t.equal((await call('GET', '/v1/nodes?fields=uid,uptime', { headers: ops })).json()[0].uptime, 90)
  t.equal(store.state.nodes.get(1)!.uptime, 0, 'the state keeps the value at the origin, not a moving one')
})

t.test('a seeded node\'s uptime moves on with the clock', async t => {
  let now = Date.parse('2026-03-01T10:00:00Z')
  const { call } = await buildTestApp(t, { clock: { now: () => now } })
  const before = (await call('GET', '/v1/nodes/1')).json().uptime as number
  now += 10_000
  t.equal((await call('GET', '/v1/nodes/1')).json().uptime, before + 10)
})

t.test('background_op shows the state machine running on the database, then idle again (docs/decisions.md #23)', async t => {
  const { call, store } = await buildTestApp(t)
  t.same((await call('GET', '/v1/bdbs/1?fields=background_op')).json(), { background_op: [{ status: 'idle' }] }, 'never changed: idle as captured')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { memory_size: 209715200 } })).statusCode, 200)
  const pending = (await call('GET', '/v1/bdbs/1')).json()
  t.equal(pending.status, 'active-change-pending')
  t.same(pending.background_op, [{ name: 'SMUpdateBDB', progress: 0, status: 'running' }])
  store.core.completeAll()
  const done = (await call('GET', '/v1/bdbs/1')).json()
  t.equal(done.status, 'active')
  t.same(done.background_op, [{ status: 'idle' }], 'settled: idle, as captured')
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'bg-op', memory_size: 104857600 } })).json()
  t.same(created.background_op, [{ name: 'SMCreateBDB', progress: 0, status: 'running' }])
})
