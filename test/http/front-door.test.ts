import t from 'tap'
import { buildTestApp, basic, isRsError, logins } from '../helpers/app.js'

t.test('503 node_not_in_cluster on a fresh node, before authentication', async t => {
  const { call } = await buildTestApp(t, { freshNode: true })
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: null } }), 503, 'node_not_in_cluster')
  isRsError(t, await call('GET', '/v1/bdbs'), 503, 'node_not_in_cluster')
  isRsError(t, await call('GET', '/v1/nope', { headers: { authorization: null } }), 503, 'node_not_in_cluster', 'unknown routes too')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { accept: 'text/html' } }), 503, 'node_not_in_cluster', '503 comes before header checks')
  const boot = await call('GET', '/v1/bootstrap', { headers: { authorization: null } })
  t.equal(boot.statusCode, 200, 'bootstrap answers without credentials')
  t.equal(boot.json().bootstrap_status.state, 'idle')
  t.type(boot.json().local_node_info, 'object')
  const health = await call('GET', '/_mock/health', { headers: { authorization: null } })
  t.equal(health.statusCode, 200)
  t.equal(health.json().in_cluster, false)
})

t.test('bootstrap needs credentials once the node is in a cluster', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/v1/bootstrap', { headers: { authorization: null } }), 401, 'unauthorized')
  const res = await call('GET', '/v1/bootstrap')
  t.equal(res.statusCode, 200)
  t.equal(res.json().bootstrap_status.state, 'completed')
})

t.test('400 invalid_header', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { accept: 'text/html' } }), 400, 'invalid_header')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { accept: 'application/json;q=0' } }), 400, 'invalid_header', 'q=0 refuses JSON')
  isRsError(t, await call('POST', '/v1/bdbs', { body: 'name=x', headers: { 'content-type': 'text/plain' } }), 400, 'invalid_header')
  isRsError(t, await call('POST', '/v1/bdbs', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_header')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { accept: 'text/html', authorization: null } }), 400, 'invalid_header', 'headers are checked before credentials')
  for (const accept of ['application/json', 'application/json; charset=utf-8', 'text/html, application/*;q=0.5', '*/*']) {
    t.equal((await call('GET', '/v1/bdbs', { headers: { accept } })).statusCode, 200, `Accept: ${accept} is fine`)
  }
  t.equal((await call('GET', '/v1/bdbs', { headers: { 'content-type': 'text/plain' } })).statusCode, 200, 'content-type on a bodiless GET is ignored')
})

t.test('505 unsupported_api_version (docs/decisions.md #1)', async t => {
  const { call } = await buildTestApp(t)
  for (const v of ['1', 'v1', 'V1']) t.equal((await call('GET', '/v1/bdbs', { headers: { 'x-api-version': v } })).statusCode, 200, `x-api-version ${v}`)
  for (const v of ['2', 'v2', 'banana', '', '1.0']) {
    isRsError(t, await call('GET', '/v1/bdbs', { headers: { 'x-api-version': v } }), 505, 'unsupported_api_version', `x-api-version ${JSON.stringify(v)}`)
  }
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { 'x-api-version': '7', authorization: null } }), 505, 'unsupported_api_version', 'before authentication')
})

t.test('401 unauthorized: same answer for every failure, with the Basic challenge', async t => {
  const { call } = await buildTestApp(t)
  const cases: Record<string, string | null> = {
    'no credentials': null,
    'wrong password': basic('admin@redis.local', 'wrong'),
    'unknown user': basic('nobody@redis.local', 'admin'),
    'malformed base64': 'Basic !!!not-base64!!!',
    'no colon': 'Basic ' + Buffer.from('admin@redis.local').toString('base64'),
    empty: 'Basic ',
    'other scheme': 'Digest username="admin"',
    'control character': 'Basic ' + Buffer.from('admin@redis.local:ad\u0000min').toString('base64')
  }
  const bodies = new Set<string>()
  for (const [name, authorization] of Object.entries(cases)) {
    const res = await call('GET', '/v1/bdbs', { headers: { authorization } })
    isRsError(t, res, 401, 'unauthorized', name)
    t.equal(res.headers['www-authenticate'], 'Basic realm="Redis Enterprise"', `${name}: challenge`)
    if (name === 'wrong password' || name === 'unknown user') bodies.add(res.body)
  }
  t.equal(bodies.size, 1, 'unknown user and wrong password are indistinguishable')
})

t.test('403 insufficient_permissions from the route permission', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/v1/bdbs', { as: 'none' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/bdbs/1', { as: 'none' }), 403, 'insufficient_permissions')
  for (const role of Object.keys(logins).filter(r => r !== 'none') as Array<keyof typeof logins>) {
    t.equal((await call('GET', '/v1/bdbs', { as: role })).statusCode, 200, `${role} may list databases`)
  }
})

t.test('RS response headers (docs/decisions.md #14)', async t => {
  const { call, store } = await buildTestApp(t)
  for (const res of [await call('GET', '/v1/bdbs'), await call('GET', '/v1/nope'), await call('GET', '/v1/bdbs', { headers: { authorization: null } })]) {
    t.equal(res.headers.server, 'envoy')
    t.equal(res.headers['cluster-state-id'], String(store.clusterStateId))
    t.match(res.headers['x-envoy-upstream-service-time'], /^\d+$/)
    t.equal(res.headers['content-type'], 'application/json')
  }
  const before = store.clusterStateId
  store.changed()
  t.equal((await call('GET', '/v1/bdbs')).headers['cluster-state-id'], String(before + 1), 'follows the state')
})
