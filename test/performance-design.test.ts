// The designs behind the performance targets (issue 7), each checked for its behaviour: lazy
// schema compilers, the projector's key-order memo, a seed source's pristine resets, and the
// Basic parser of @fastify/basic-auth behind the verified-header cache.
import t from 'tap'
import fastify from 'fastify'
import { lazyCompilers } from '../src/plugins/validation.js'
import { Projector, project } from '../src/present.js'
import { loadSeedSource } from '../src/fixtures.js'
import { defaultFixturesDir } from '../src/config.js'
import { createStore } from '../src/store/index.js'
import { buildTestApp, basic } from './helpers/app.js'

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

t.test('the projector: the requested fields in the object\'s own key order, following key changes', async t => {
  let version = 1
  const p = new Projector(() => version)
  const obj: Record<string, unknown> = { zeta: 1, uid: 2, alpha: 3, name: 'n' }
  t.same(Object.keys(p.project(obj, ['alpha', 'uid', 'name', 'nope', 'uid'])), ['uid', 'alpha', 'name'])
  t.same(p.project(obj, []), {}, 'present but empty: {}')
  delete obj.uid
  t.same(p.project(obj, ['uid', 'alpha']), { alpha: 3 }, 'presence is read from the object itself')
  obj.uid = 9
  version++ // every store change bumps cluster-state-id
  t.same(Object.keys(p.project(obj, ['uid', 'alpha'])), ['alpha', 'uid'], 'a re-added key moves to the end')
  t.same(p.project(obj, undefined), obj, 'no fields: the whole object')
  t.same(Object.keys(project(obj, ['uid', 'zeta'])), ['zeta', 'uid'], 'the plain function agrees')
  const omit = new Set(['alpha'])
  t.same(Object.keys(p.project(obj, undefined, omit)), ['zeta', 'name', 'uid'])
  const plain = { a: 1 }
  t.equal(project(plain, undefined, omit), plain, 'nothing to omit: the object itself, no copy')
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

t.test('Basic credentials go through @fastify/basic-auth on a cache miss only', async t => {
  const { app, call } = await buildTestApp(t)
  t.type(app.basicAuth, 'function')
  const plugin = app.basicAuth
  let parsed = 0
  ;(app as unknown as { basicAuth: typeof plugin }).basicAuth = (...args: Parameters<typeof plugin>) => {
    parsed++
    return plugin.apply(app, args)
  }
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200)
  t.equal(parsed, 1, 'the second request hit the verified-header cache')
  t.equal((await call('GET', '/v1/bdbs/1', { headers: { authorization: basic('admin@redis.local', 'wrong') } })).statusCode, 401)
  t.equal(parsed, 2)
})
