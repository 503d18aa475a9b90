// The designs behind the performance targets, each checked for its behaviour: lazy schema
// compilers, the read cache of serialized answers, a seed source's pristine resets, and the
// Basic login through @fastify/basic-auth behind the verified-header cache.
import t from 'tap'
import fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { lazyCompilers } from '../../src/http/validation.js'
import { project } from '../../src/routes/present.js'
import { ReadCache } from '../../src/routes/read-cache.js'
import { loadSeedSource } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { createStore } from '../../src/store/index.js'
import { isApiError } from '../../src/base/errors.js'
import { ADMIN, buildTestApp, basic, isRsError } from '../helpers/app.js'

t.test('route schemas compile on first use, with fastify\'s own compilers', async t => {
  const app = fastify({ schemaController: { compilersFactory: lazyCompilers } })
  t.teardown(() => app.close())
  // An invalid schema: an eager compiler fails ready(); a lazy one fails only its first request.
  app.post('/broken', { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({ ok: true }))
  app.post('/checked', { schema: { body: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } } }, async req => req.body)
  app.get('/shaped', { schema: { response: { 200: { type: 'object', properties: { kept: { type: 'string' } } } } } }, async () => ({ kept: 'yes', dropped: 'no' }))
  await t.resolves(async () => { await app.ready() }, 'ready() compiles nothing')
  t.equal((await app.inject({ method: 'POST', url: '/broken', payload: {} })).statusCode, 500)
  const bad = await app.inject({ method: 'POST', url: '/checked', payload: { n: 'x' } })
  t.equal(bad.statusCode, 400, 'validation errors reach the error handler')
  t.match(bad.json(), { message: /body\/n must be integer/ })
  t.same((await app.inject({ method: 'POST', url: '/checked', payload: { n: 2 } })).json(), { n: 2 })
  t.same((await app.inject('/shaped')).json(), { kept: 'yes' }, 'response schemas still serialize')
})

t.test('project: the requested fields in the object\'s own key order', async t => {
  const obj: Record<string, unknown> = { zeta: 1, uid: 2, alpha: 3, name: 'n' }
  t.same(Object.keys(project(obj, ['alpha', 'uid', 'name', 'nope', 'uid'])), ['uid', 'alpha', 'name'])
  t.same(project(obj, []), {}, 'present but empty: {}')
  t.same(Object.keys(project(obj, undefined, new Set(['alpha']))), ['zeta', 'uid', 'name'])
  const plain = { a: 1 }
  t.equal(project(plain, undefined, new Set(['alpha'])), plain, 'nothing to omit: the object itself, no copy')
})

t.test('the read cache: one build per key and generation, bounded', async t => {
  let generation = 1
  let builds = 0
  const cache = new ReadCache(() => generation, { maxEntries: 3, maxBytes: 400 })
  const build = (v: unknown) => () => { builds++; return v }
  const a = cache.get('/a', build({ a: 1 }))
  t.equal(a.toString(), '{"a":1}')
  t.equal(cache.get('/a', build({ a: 2 })), a, 'same generation: the same bytes, not rebuilt')
  t.equal(builds, 1)
  generation++
  t.equal(cache.get('/a', build({ a: 2 })).toString(), '{"a":2}', 'a new generation rebuilds')
  t.throws(() => cache.get('/missing', () => { throw new Error('404') }), /404/)
  t.equal(cache.get('/missing', build('now')).toString(), '"now"', 'a throw is not kept')
  cache.get('/b', build(1))
  t.equal(cache.size, 3)
  cache.get('/c', build(2))
  t.equal(cache.size, 1, 'past maxEntries it starts over')
  const big = 'x'.repeat(120)
  t.equal(cache.get('/big', build(big)).length, 122, 'a body over a quarter of the budget is served')
  t.equal(cache.size, 1, '... and not kept')
  cache.get('/m1', build('y'.repeat(90)))
  cache.get('/m2', build('y'.repeat(90)))
  t.equal(cache.size, 3)
  cache.get('/m3', build('y'.repeat(90)))
  t.equal(cache.size, 1, 'past maxBytes it starts over')
})

t.test('cached database reads follow every change of the state', async t => {
  const { store, call } = await buildTestApp(t)
  const names = async (url = '/v1/bdbs?fields=uid,name') => {
    const res = await call('GET', url)
    t.equal(res.headers['content-type'], 'application/json')
    return res.body
  }
  const before = await names()
  t.equal(await names(), before)
  const exported = store.exportState()
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { name: 'renamed' } })).statusCode, 200)
  t.match(await names(), /"renamed"/, 'an update')
  t.match(await names('/v1/bdbs/1'), /"name":"renamed"/, 'the single object too')
  t.equal((await call('DELETE', '/v1/bdbs/3')).statusCode, 200)
  t.match(await names(), /"uid":3\b/, 'delete-pending: still listed')
  store.core.completeAll()
  t.notMatch(await names(), /"uid":3\b/, 'gone once the transition completed')
  // A quiet swap (a state file loaded) can keep cluster-state-id as it is: the generation moves anyway.
  const id = store.clusterStateId
  store.core.replace(store.parseState({ ...exported, state: { ...exported.state, clusterStateId: id } }), true)
  t.equal(store.clusterStateId, id)
  t.equal(await names(), before, 'a swap to the earlier state')
  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.equal(await names(), before, 'a reset')
  // README: a direct edit of store.state shows once it is announced with store.changed().
  store.state.bdbs.get(1)!.name = 'edited'
  t.equal(await names(), before, 'not announced: the cached answer')
  store.changed()
  t.match(await names(), /"edited"/, 'announced')
  const head = await call('HEAD', '/v1/bdbs')
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-type'], 'application/json')
  t.equal(head.body, '', 'HEAD: headers only')
})

t.test('a seed source: its first parse is the state, every reset a fresh parse', async t => {
  const store = createStore(loadSeedSource(defaultFixturesDir))
  const name = store.bdbs.get(1).name
  for (let i = 0; i < 2; i++) {
    store.bdbs.get(1).name = 'changed'
    store.state.bdbs.delete(2)
    store.reset()
    t.equal(store.bdbs.get(1).name, name, `reset ${i + 1}: pristine`)
    t.equal(store.bdbs.list().length, 3)
  }
  t.not(store.seed, store.seed, 'each seed read is a new copy')
})

t.test('Basic credentials are checked on a cache miss only', async t => {
  const { store, call } = await buildTestApp(t)
  const check = store.access.authenticate
  let parsed = 0
  store.access.authenticate = (...args: Parameters<typeof check>) => {
    parsed++
    return check.apply(store.access, args)
  }
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal(parsed, 1, 'the second request hit the verified-header cache')
  t.equal((await call('GET', '/v1/bdbs/1', { headers: { authorization: basic('admin@redis.local', 'wrong') } })).statusCode, 401)
  t.equal(parsed, 2)
})

t.test('a Basic cache miss is decoded by @fastify/basic-auth, a hit or another header never', async t => {
  const { app, store, call } = await buildTestApp(t, { control: { token: 'sekret' } })
  t.ok(app.hasPlugin('@fastify/basic-auth'), 'the plugin is registered')
  const plugin = app.basicAuth
  const decoded: string[] = []
  ;(app as unknown as { basicAuth: typeof plugin }).basicAuth = function (this: typeof app, ...args: Parameters<typeof plugin>) {
    decoded.push(String(args[0].headers.authorization))
    return plugin.apply(this, args)
  }
  const password = store.access.loginBasic
  const checked: string[] = []
  store.access.loginBasic = (...args: Parameters<typeof password>) => {
    checked.push(`${args[1]}:${args[2]}`)
    return password.apply(store.access, args)
  }
  const viewer = basic('db-viewer@redis.local', 'db-viewer')
  const token = (await call('POST', '/v1/users/authorize')).json().access_token as string
  t.same(decoded, [ADMIN], 'the first Basic login went through the plugin')
  t.same(checked, ['admin@redis.local:admin'], 'which handed the decoded credentials to the store')
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal((await call('GET', '/v1/bdbs/1', { headers: { authorization: `JWT ${token}` } })).statusCode, 200)
  isRsError(t, await call('GET', '/v1/bdbs/1', { headers: { authorization: 'Basic !!!' } }), 401, 'unauthorized')
  isRsError(t, await call('GET', '/v1/bdbs/1', { headers: { authorization: basic('admin@redis.local', 'a\u2028b') } }), 401, 'unauthorized')
  t.same(decoded, [ADMIN], 'a hit, a token and malformed headers do not reach it')
  isRsError(t, await call('POST', '/v1/bdbs', { headers: { authorization: viewer }, body: { name: 'x', memory_size: 104857600 } }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/_mock/status', { as: 'db_viewer', headers: { authorization: `Basic\t${viewer.slice(6)}` } }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/bdbs/1', { headers: { authorization: basic('admin@redis.local', 'wrong') } }), 401, 'unauthorized')
  t.same(decoded, [ADMIN, viewer, `Basic\t${viewer.slice(6)}`, basic('admin@redis.local', 'wrong')], 'every miss did, front door and control login alike')
  t.same(checked.slice(1), ['db-viewer@redis.local:db-viewer', 'db-viewer@redis.local:db-viewer', 'admin@redis.local:wrong'])
})

t.test('a Basic login that calls back later still meets the permission step, delayed by a fault or not', async t => {
  const { app, call } = await buildTestApp(t)
  const plugin = app.basicAuth
  let later = 0
  ;(app as unknown as { basicAuth: typeof plugin }).basicAuth = function (this: typeof app, ...args: Parameters<typeof plugin>) {
    later++
    setImmediate(() => plugin.apply(this, args))
  }
  const create = (as: 'admin' | 'db_viewer', name: string) => call('POST', '/v1/bdbs', { as, body: { name, memory_size: 104857600 } })
  isRsError(t, await create('db_viewer', 'first'), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: basic('admin@redis.local', 'wrong') } }), 401, 'unauthorized')
  t.equal((await call('POST', '/_mock/faults', { body: { path: '/v1/bdbs', action: { latency_ms: 5 } } })).statusCode, 200)
  t.equal(later, 3, 'each a cache miss, the control login\'s included')
  t.equal((await create('admin', 'second')).statusCode, 200, 'known by now: the cache hit')
  t.equal((await call('GET', '/v1/bdbs', { as: 'db_member' })).statusCode, 200, 'a miss after the fault\'s delay')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: basic('admin@redis.local', 'wrong') } }), 401, 'unauthorized')
  t.equal(later, 5)
})

t.test('basic-auth\'s own refusal is the RS 401 of a malformed header', async t => {
  const { app, store } = await buildTestApp(t)
  const events = store.state.events.length
  const err = await new Promise<Error | undefined>(resolve => {
    app.frontDoor.basicLogin({ headers: { authorization: 'Basic !!!' } } as unknown as FastifyRequest, {} as FastifyReply, resolve)
  })
  t.ok(isApiError(err), 'an ApiError, not the plugin\'s FST_ error')
  t.match(err, { statusCode: 401, code: 'unauthorized', message: 'Missing or malformed Authorization header' })
  t.equal(store.state.events.length, events, 'no failed login')
})

t.test('a remembered grant follows role changes on the next request', async t => {
  const { call } = await buildTestApp(t)
  const create = (name: string) => call('POST', '/v1/bdbs', { as: 'db_viewer', body: { name, memory_size: 104857600 } })
  isRsError(t, await create('first'), 403, 'insufficient_permissions')
  t.equal((await call('PUT', '/v1/users/5', { body: { role_uids: [4] } })).statusCode, 200, 'db-viewer now holds DB Member')
  t.equal((await create('second')).statusCode, 200)
  t.equal((await call('PUT', '/v1/roles/4', { body: { management: 'db_viewer' } })).statusCode, 200, 'the role itself narrowed')
  isRsError(t, await create('third'), 403, 'insufficient_permissions')
})
