// /v1/proxies and /v1/jsonschema.
import t from 'tap'
import { Ajv } from 'ajv'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { bdbSchema, proxySchema } from '../../src/schemas/index.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

t.test('GET /v1/proxies and /v1/proxies/{uid}', async t => {
  const { call } = await buildTestApp(t)
  const list = (await call('GET', '/v1/proxies')).json()
  t.equal(list.length, 1)
  t.match(list[0], { uid: 1, threads: 2, max_threads: 8, log_level: 'info' })
  t.same((await call('GET', '/v1/proxies/1')).json(), list[0])
  t.same((await call('GET', '/v1/proxies/1?fields=uid,threads')).json(), { threads: 2, uid: 1 }, '?fields= (docs/decisions.md #8)')
  isRsError(t, await call('GET', '/v1/proxies/9'), 404, 'proxy_not_found')
  t.equal((await call('GET', '/v1/proxies', { as: 'db_viewer' })).statusCode, 200)
  isRsError(t, await call('GET', '/v1/proxies', { as: 'none' }), 403, 'insufficient_permissions')
})

t.test('PUT /v1/proxies/{uid}', async t => {
  const { call, store } = await buildTestApp(t)
  const before = store.clusterStateId
  const res = await call('PUT', '/v1/proxies/1', { body: { threads: 4, log_level: 'debug' } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { uid: 1, threads: 4, log_level: 'debug', max_threads: 8 })
  t.same(Object.keys(res.json()), Object.keys(res.json()).sort(), 'captured key order kept')
  t.ok(store.clusterStateId > before)
  t.equal((await call('GET', '/v1/proxies/1')).json().threads, 4)
  t.equal((await call('PUT', '/v1/proxies/1', { body: { threads: 3 }, as: 'user_manager' })).statusCode, 200, 'update_proxy: user_manager too')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { threads: 3 }, as: 'cluster_member' }), 403, 'insufficient_permissions')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { uid: 2 } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { log_level: 'loud' } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { threads: '4' } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies/9', { body: { threads: 2 } }), 404, 'proxy_not_found')
  // the page's body (docs/decisions.md #54)
  const paged = await call('PUT', '/v1/proxies/1', { body: { allow_restart: true, proxy: { threads: 8 } } })
  t.equal(paged.statusCode, 200)
  t.equal(paged.json().threads, 8)
  t.equal((await call('GET', '/v1/proxies/1')).json().threads, 8, 'the wrapped change shows in reads')
  t.notOk('allow_restart' in (await call('GET', '/v1/proxies/1')).json(), 'allow_restart is no proxy field')
  isRsError(t, await call('PUT', '/v1/proxies/9', { body: { allow_restart: true, proxy: { threads: 8 } } }), 404, 'proxy_not_found')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { allow_restart: true, proxy: { threads: 0 } } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { allow_restart: true, proxy: {} } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/proxies/1', { body: { allow_restart: true, threads: 8 } }), 400, 'invalid_schema')
})

t.test('a fixture set without proxies.json gets one default proxy per node', async t => {
  const { proxies, ...seed } = loadSeed(defaultFixturesDir)
  t.ok(proxies !== undefined, 'the default fixtures have proxies.json')
  const store = createStore(seed)
  const list = store.proxies.list()
  t.same(list.map(p => p.uid), [...store.state.nodes.keys()])
  t.ok(new Ajv().validate(proxySchema, list[0]), 'valid proxy objects')
})

t.test('GET /v1/jsonschema?object=', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/jsonschema?object=bdb')
  t.equal(res.statusCode, 200)
  const { description: _, ...bdb } = res.json()
  t.same(bdb, bdbSchema, 'the schema the server validates bdbs with')
  const { description, ...proxy } = (await call('GET', '/v1/jsonschema?object=proxy')).json()
  t.same(proxy, proxySchema)
  t.equal(description, 'An object that represents a proxy in the cluster', 'the object page\'s description, as in the example')
  isRsError(t, await call('GET', '/v1/jsonschema?object=spaceship'), 406, 'invalid_object')
  isRsError(t, await call('GET', '/v1/jsonschema?object=toString'), 406, 'invalid_object')
  isRsError(t, await call('GET', '/v1/jsonschema'), 406, 'invalid_object')
  t.equal((await call('GET', '/v1/jsonschema?object=node', { as: 'none' })).statusCode, 200, 'any authenticated user')
  isRsError(t, await call('GET', '/v1/jsonschema?object=bdb', { headers: { authorization: null } }), 401, 'unauthorized')
})
