// One Authorization parser: the front door, the store's login, refresh_jwt, the control login
// and the journal read a header the same way.
import t from 'tap'
import { parseAuthorization, claimedLogin } from '../../src/base/authorization.js'
import { buildTestApp, basic, isRsError } from '../helpers/app.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

t.test('the parser: basic, token or malformed', async t => {
  t.same(parseAuthorization(basic('a@b', 'p:w')), { scheme: 'basic', user: 'a@b', password: 'p:w' }, 'the first colon splits')
  t.same(parseAuthorization(`bAsIc\t${b64('a:')}\t `), { scheme: 'basic', user: 'a', password: '' }, 'any case, tabs as separators')
  t.same(parseAuthorization('JWT\tabc.def.ghi'), { scheme: 'token', kind: 'jwt', token: 'abc.def.ghi' })
  t.same(parseAuthorization('Bearer  xyz '), { scheme: 'token', kind: 'bearer', token: 'xyz' })
  t.same(parseAuthorization(basic('a\u2028b', 'c')), { scheme: 'basic', user: 'a\u2028b', password: 'c' }, 'a line separator in the login is text')
  // A password @fastify/basic-auth cannot split (its `.` stops at line separators) is malformed here too.
  for (const bad of ['', 'Basic', 'Basic !!!', `Basic ${b64('no-colon')}`, `Basic ${b64('a\u0007:b')}`, `Basic ${b64('a:b\u2029c')}`, 'JWT', 'JWT a b', 'Digest abc', ` Basic ${b64('a:b')}`]) {
    t.same(parseAuthorization(bad), { scheme: 'malformed' }, JSON.stringify(bad))
  }
  t.equal(claimedLogin([basic('first@x', 'p'), basic('second@x', 'p')]), 'first@x')
  t.equal(claimedLogin('JWT abc'), null)
  t.equal(claimedLogin(undefined), null)
})

t.test('JWT<TAB><token>: the same answer on every route', async t => {
  const { call } = await buildTestApp(t)
  const token = (await call('POST', '/v1/users/authorize')).json().access_token as string
  const authorization = `JWT\t${token}`
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization } })).statusCode, 200, 'GET /v1/bdbs')
  const refreshed = await call('POST', '/v1/users/refresh_jwt', { headers: { authorization } })
  t.equal(refreshed.statusCode, 200, 'POST /v1/users/refresh_jwt')
  t.type(refreshed.json().access_token, 'string')
})

t.test('malformed headers: 401 unauthorized on the RS routes and refresh_jwt alike', async t => {
  const { call, store } = await buildTestApp(t)
  const events = store.state.events.length
  for (const authorization of ['Basic !!!', `Basic ${b64('no-colon')}`, `Basic ${b64('admin@redis.local\u0000:admin')}`, `Basic ${b64('admin@redis.local:a\u2028b')}`, 'JWT a b', 'Digest abc', 'JWT not-a-token']) {
    for (const [method, url] of [['GET', '/v1/bdbs'], ['POST', '/v1/users/refresh_jwt']] as const) {
      isRsError(t, await call(method, url, { headers: { authorization } }), 401, 'unauthorized', `${method} ${url} with ${JSON.stringify(authorization)}`)
    }
  }
  t.equal(store.state.events.length, events, 'none counted as a failed login')
})

t.test('the control login and the journal read the same parser', async t => {
  const { call } = await buildTestApp(t, { control: { token: 'sekret' } })
  t.equal((await call('GET', '/_mock/status', { headers: { authorization: 'Bearer\tsekret' } })).statusCode, 200, 'Bearer<TAB>token')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: 'JWT sekret' } }), 401, 'unauthorized', 'the control token is a Bearer token only')
  isRsError(t, await call('GET', '/_mock/status', { headers: { authorization: 'Basic !!!' } }), 401, 'unauthorized')
  await call('GET', '/v1/bdbs', { headers: { authorization: `Basic\t${b64('someone@x:wrong')}` } })
  await call('GET', '/v1/bdbs', { headers: { authorization: `Basic ${b64('nobody-colon')}` } })
  const users = (await call('GET', '/_mock/journal?path=/v1/bdbs')).json().map((e: { user: string | null }) => e.user)
  t.same(users, ['someone@x', null], 'the claimed login of a well-formed Basic header; none of a malformed one')
})
