import t from 'tap'
import { buildTestApp, isRsError, logins } from '../helpers/app.js'

async function withClock (t: Parameters<typeof buildTestApp>[0]) {
  const clock = { ms: Date.parse('2026-03-01T10:00:00Z'), now () { return this.ms } }
  const built = await buildTestApp(t, { clock })
  const authorize = async (body?: unknown, as: keyof typeof logins = 'admin') => {
    const res = await built.call('POST', '/v1/users/authorize', { body, as })
    t.equal(res.statusCode, 200, 'authorized')
    return res.json().access_token as string
  }
  const get = (authorization: string, url = '/v1/users') => built.call('GET', url, { headers: { authorization } })
  return { ...built, authorize, get, advance: (s: number) => { clock.ms += s * 1000 } }
}

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())

t.test('POST /v1/users/authorize: an HS256 JWT accepted as JWT and Bearer for 300 s', async t => {
  const { call, authorize, get, advance, store } = await withClock(t)
  const res = await call('POST', '/v1/users/authorize')
  t.equal(res.statusCode, 200, 'no body at all is fine')
  t.same(Object.keys(res.json()), ['access_token'])
  const token = res.json().access_token as string
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
  t.same(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), { alg: 'HS256', typ: 'JWT' })
  t.match(claims(token), { uid: 1, pwv: String, iat: 1772359200, exp: 1772359500 })
  for (const scheme of ['JWT', 'Bearer', 'bearer']) t.equal((await get(`${scheme} ${token}`)).statusCode, 200, scheme)
  t.same((await get(`JWT ${token}`, '/v1/users/role')).json(), { role: 'admin' })
  advance(299)
  t.equal((await get(`JWT ${token}`)).statusCode, 200, 'still valid at 299 s (and remembered)')
  advance(1)
  isRsError(t, await get(`JWT ${token}`), 401, 'unauthorized', 'expired at 300 s')
  const short = await authorize({ ttl: 10 })
  advance(10)
  isRsError(t, await get(`Bearer ${short}`), 401, 'unauthorized', 'ttl honoured')
  const day = await authorize({ ttl: 86400 })
  advance(86399)
  t.equal((await get(`Bearer ${day}`)).statusCode, 200)
  t.notMatch(JSON.stringify(store.state.events), new RegExp(token.split('.')[2]), 'never logged')
})

t.test('authorize body and credentials', async t => {
  const { call } = await withClock(t)
  for (const ttl of [0, 86401, '60', 1.5]) isRsError(t, await call('POST', '/v1/users/authorize', { body: { ttl } }), 400, 'invalid_schema', `ttl ${ttl}`)
  isRsError(t, await call('POST', '/v1/users/authorize', { body: { ttl: 60, other: 1 } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/users/authorize', { headers: { authorization: null } }), 401, 'unauthorized')
  isRsError(t, await call('POST', '/v1/users/authorize', { headers: { authorization: logins.admin.replace('Basic ', 'Basic x') } }), 401, 'unauthorized')
  t.equal((await call('POST', '/v1/users/authorize', { as: 'none' })).statusCode, 200, 'role none may still get a token')
})

t.test('a token carries its user\'s permissions', async t => {
  const { authorize, get } = await withClock(t)
  const token = await authorize(undefined, 'db_viewer')
  isRsError(t, await get(`JWT ${token}`), 403, 'insufficient_permissions')
  t.equal((await get(`JWT ${token}`, '/v1/bdbs')).statusCode, 200)
})

t.test('POST /v1/users/refresh_jwt', async t => {
  const { call, authorize, get, advance } = await withClock(t)
  const token = await authorize({ ttl: 100 })
  advance(50)
  const res = await call('POST', '/v1/users/refresh_jwt', { headers: { authorization: `JWT ${token}` }, body: { ttl: 1000 } })
  t.equal(res.statusCode, 200)
  const fresh = res.json().access_token as string
  t.equal(claims(fresh).exp - claims(fresh).iat, 1000)
  advance(60)
  isRsError(t, await get(`JWT ${token}`), 401, 'unauthorized', 'the old one expires on its own schedule')
  t.equal((await get(`JWT ${fresh}`)).statusCode, 200)
  const again = await call('POST', '/v1/users/refresh_jwt', { headers: { authorization: `Bearer ${fresh}` } })
  t.equal(claims(again.json().access_token).exp - claims(again.json().access_token).iat, 300, 'default ttl')
  isRsError(t, await call('POST', '/v1/users/refresh_jwt'), 401, 'unauthorized', 'Basic credentials are not a token')
  isRsError(t, await call('POST', '/v1/users/refresh_jwt', { headers: { authorization: `JWT ${token}` } }), 401, 'unauthorized', 'expired')
  isRsError(t, await call('POST', '/v1/users/refresh_jwt', { headers: { authorization: `JWT ${fresh}` }, body: { ttl: 0 } }), 400, 'invalid_schema')
})

t.test('tokens die with a password change, a deleted user, a forged signature or another instance', async t => {
  const { call, authorize, get } = await withClock(t)
  const um = await authorize(undefined, 'user_manager')
  t.equal((await get(`JWT ${um}`)).statusCode, 200)
  await call('PUT', '/v1/users/6', { body: { password: 'rotated' } })
  isRsError(t, await get(`JWT ${um}`), 401, 'unauthorized', 'password changed')
  const dm = await authorize(undefined, 'db_member')
  t.equal((await get(`JWT ${dm}`, '/v1/bdbs')).statusCode, 200)
  await call('DELETE', '/v1/users/4')
  isRsError(t, await get(`JWT ${dm}`, '/v1/bdbs'), 401, 'unauthorized', 'user deleted')
  await call('POST', '/v1/users', { body: { uid: 4, email: 'db-member@redis.local', password: 'db-member', role_uids: [4] } })
  isRsError(t, await get(`JWT ${dm}`, '/v1/bdbs'), 401, 'unauthorized', 'a new user with the same uid and password is not the old one')
  const admin = await authorize()
  const [h, p, s] = admin.split('.')
  const forged = Buffer.from(JSON.stringify({ ...claims(admin), exp: claims(admin).exp + 9999 })).toString('base64url')
  isRsError(t, await get(`JWT ${h}.${forged}.${s}`), 401, 'unauthorized', 'payload tampered')
  isRsError(t, await get(`JWT ${h}.${p}.${s.slice(0, -2)}AA`), 401, 'unauthorized', 'signature tampered')
  isRsError(t, await get('JWT not-a-token'), 401, 'unauthorized')
  isRsError(t, await get('Bearer '), 401, 'unauthorized')
  const other = await withClock(t)
  isRsError(t, await other.get(`JWT ${admin}`), 401, 'unauthorized', 'another mock instance has another secret')
})

t.test('remembered Authorization headers stay bounded', async t => {
  const { authorize, get, store } = await withClock(t)
  const tokens: string[] = []
  for (let ttl = 1000; ttl < 2100; ttl++) tokens.push(await authorize({ ttl }))
  for (const token of tokens) store.access.login(`JWT ${token}`)
  t.ok((store.access as unknown as { verified: Map<string, unknown> }).verified.size <= 1024, 'at most 1024 entries')
  t.equal((await get(`JWT ${tokens[0]}`)).statusCode, 200, 'an evicted header is simply verified again')
})
