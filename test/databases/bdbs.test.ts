import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

t.test('GET /v1/bdbs lists the fixture databases', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('GET', '/v1/bdbs')
  t.equal(res.statusCode, 200)
  const list = res.json() as Array<Record<string, unknown>>
  t.ok(list.length >= 3)
  t.same(list.map(b => b.uid), store.bdbs.list().map(b => b.uid))
  t.notOk('search' in list[0], 'module config only with ?extended')
})

t.test('GET /v1/bdbs/{uid}', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/bdbs/1')
  t.equal(res.statusCode, 200)
  t.equal(res.json().uid, 1)
  t.type(res.json().name, 'string')
  isRsError(t, await call('GET', '/v1/bdbs/999'), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/abc'), 404, 'not_found', 'a non-integer uid matches no route')
})

t.test('?fields= (docs/decisions.md #8)', async t => {
  const { call } = await buildTestApp(t)
  const list = (await call('GET', '/v1/bdbs?fields=uid,name')).json() as Array<Record<string, unknown>>
  for (const b of list) t.same(Object.keys(b), ['name', 'uid'], 'the object\'s own key order, not the query\'s')
  t.same(Object.keys((await call('GET', '/v1/bdbs/1?fields=%20name%20,,%20memory_size')).json()), ['memory_size', 'name'], 'whitespace trimmed, empty items dropped')
  t.same((await call('GET', '/v1/bdbs/1?fields=name,bogus')).json(), { name: (await call('GET', '/v1/bdbs/1')).json().name }, 'unknown names ignored')
  t.same((await call('GET', '/v1/bdbs/1?fields=bogus')).json(), {}, 'nothing known: {}')
  t.same((await call('GET', '/v1/bdbs/1?fields=')).json(), {}, 'empty list: {}')
  t.same(Object.keys((await call('GET', '/v1/bdbs/1?fields=name')).json()), ['name'], 'uid is not added')
})

t.test('?extended=true adds the module config objects where a database has them', async t => {
  const { call, store } = await buildTestApp(t)
  store.bdbs.get(1).search = { 'search-timeout': 500 }
  t.notOk('search' in (await call('GET', '/v1/bdbs/1')).json())
  t.same((await call('GET', '/v1/bdbs/1?extended=true')).json().search, { 'search-timeout': 500 })
  t.ok('search' in (await call('GET', '/v1/bdbs?extended=true')).json()[0])
})

t.test('routing errors: 404 not_found, 405 method_not_allowed', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('GET', '/v1/nothing-here'), 404, 'not_found')
  isRsError(t, await call('GET', '/v9/bdbs'), 404, 'not_found', 'unknown version prefix')
  isRsError(t, await call('GET', '/v1/bdbs/'), 404, 'not_found', 'trailing slash is another path')
  isRsError(t, await call('PATCH', '/v1/bdbs'), 405, 'method_not_allowed')
  isRsError(t, await call('DELETE', '/v1/bootstrap'), 405, 'method_not_allowed')
  isRsError(t, await call('GET', '/v1/nothing-here', { headers: { authorization: null } }), 401, 'unauthorized', 'credentials are checked before routing')
})
