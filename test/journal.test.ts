// The request journal: what it records (every RS request, refusals and 404s included, never
// /_mock/), redaction, the bound on its size, filters, count and clear.
import t from 'tap'
import { buildTestApp, logins } from './helpers/app.js'
import { globToRegExp, Journal, REDACTED, redactBody } from '../src/control/journal.js'

const json = (res: { json(): unknown }) => res.json() as any

t.test('records every RS request with status, user and timing; not /_mock/', async t => {
  let now = Date.parse('2026-03-01T10:00:00Z')
  const { call } = await buildTestApp(t, { clock: { now: () => now } })
  await call('GET', '/v1/bdbs?fields=uid')
  now += 1000
  await call('GET', '/v1/bdbs/1', { as: 'db_viewer' })
  await call('GET', '/v1/nowhere')
  await call('GET', '/v1/bdbs', { headers: { authorization: null } })
  await call('GET', '/v1/cluster', { headers: { authorization: 'Basic ' + Buffer.from('ghost@x:pw').toString('base64') } })
  await call('GET', '/_mock/status')
  const entries = json(await call('GET', '/_mock/journal'))
  t.same(entries.map((e: any) => [e.id, e.method, e.path, e.status, e.user]), [
    [1, 'GET', '/v1/bdbs', 200, 'admin@redis.local'],
    [2, 'GET', '/v1/bdbs/1', 200, 'db-viewer@redis.local'],
    [3, 'GET', '/v1/nowhere', 404, 'admin@redis.local'],
    [4, 'GET', '/v1/bdbs', 401, null],
    [5, 'GET', '/v1/cluster', 401, 'ghost@x']
  ])
  t.equal(entries[0].url, '/v1/bdbs?fields=uid')
  t.equal(entries[0].time, '2026-03-01T10:00:00.000Z', 'store clock')
  t.equal(entries[1].time, '2026-03-01T10:00:01.000Z')
  t.type(entries[0].duration_ms, 'number')
})

t.test('the Authorization header and passwords are redacted', async t => {
  const { call } = await buildTestApp(t)
  await call('POST', '/v1/users', {
    body: { email: 'new@redis.local', password: 'hunter2', name: 'n', role_uids: [2], credentials: { password: 'p2' } },
    headers: { cookie: 'session=abc' }
  })
  await call('PUT', '/v1/bdbs/1', { body: { authentication_redis_pass: 'r3dis', authentication_admin_pass: 'adm', name: 'cache' } })
  await call('PUT', '/v1/users/1', { body: { new_password: 'n3w' } })
  const text = (await call('GET', '/_mock/journal')).payload
  for (const secret of ['hunter2', 'p2"', 'r3dis', 'adm"', 'n3w', 'abc', logins.admin.slice(6)]) {
    t.notOk(text.includes(secret), `no ${secret}`)
  }
  const [user, bdb, pw] = json(await call('GET', '/_mock/journal'))
  t.equal(user.headers.authorization, `Basic ${REDACTED}`, 'the scheme stays visible')
  t.equal(user.headers.cookie, REDACTED)
  t.match(user.body, { email: 'new@redis.local', password: REDACTED, credentials: { password: REDACTED } })
  t.match(bdb.body, { authentication_redis_pass: REDACTED, authentication_admin_pass: REDACTED, name: 'cache' })
  t.same(pw.body, { new_password: REDACTED })
  t.same(redactBody([{ a: { password: 1 } }, 'x']), [{ a: { password: REDACTED } }, 'x'])
})

t.test('bounded: the oldest entries go, ids keep increasing', async t => {
  const { call } = await buildTestApp(t, { control: { journalSize: 3 } })
  for (let i = 0; i < 5; i++) await call('GET', `/v1/bdbs/${i}`)
  const entries = json(await call('GET', '/_mock/journal'))
  t.same(entries.map((e: any) => e.id), [3, 4, 5])
  t.same(json(await call('DELETE', '/_mock/journal')), { cleared: 3 })
  t.same(json(await call('GET', '/_mock/journal/count')), { count: 0 })
  await call('GET', '/v1/bdbs')
  t.same(json(await call('GET', '/_mock/journal')).map((e: any) => e.id), [6], 'ids go on after a clear')
  const zero = new Journal(0)
  zero.add({ time: '', method: 'GET', url: '/', path: '/', status: 200, duration_ms: 1, user: null, headers: {} })
  t.equal(zero.count(), 0, 'size 0 keeps nothing')
})

t.test('filters: method, path prefix or glob, status or class, since id or time, limit', async t => {
  let now = Date.parse('2026-03-01T10:00:00Z')
  const { call } = await buildTestApp(t, { clock: { now: () => now } })
  await call('GET', '/v1/bdbs')
  await call('GET', '/v1/bdbs/1')
  now += 60_000
  await call('GET', '/v1/bdbs/99')
  await call('DELETE', '/v1/cluster')
  await call('GET', '/v1/cluster')
  const ids = async (q: string) => json(await call('GET', `/_mock/journal${q}`)).map((e: any) => e.id)
  const count = async (q: string) => json(await call('GET', `/_mock/journal/count${q}`)).count
  t.same(await ids('?method=delete'), [4])
  t.same(await ids('?path=/v1/bdbs'), [1, 2, 3], 'prefix')
  t.same(await ids('?path=/v1/bdbs/*'), [2, 3], 'glob')
  t.same(await ids('?status=404'), [3])
  t.same(await ids('?status=4xx'), [3, 4])
  t.same(await ids('?since=3'), [4, 5], 'after an id')
  t.same(await ids('?since=2026-03-01T10:00:30Z'), [3, 4, 5], 'at or after a time')
  t.same(await ids('?limit=2'), [4, 5], 'the newest N')
  t.same(await ids('?path=/v1/bdbs&status=2xx&limit=1'), [2])
  t.equal(await count('?status=2xx'), 3)
  t.equal(await count(''), 5)
  for (const q of ['?status=abc', '?limit=-1', '?since=yesterday', '?bogus=1', '?method=G%20T']) {
    t.equal((await call('GET', `/_mock/journal${q}`)).statusCode, 400, q)
  }
})

t.test('globs', async t => {
  t.ok(globToRegExp('/v1/*/x').test('/v1/a/x'))
  t.notOk(globToRegExp('/v1/*').test('/v1/a/b'))
  t.ok(globToRegExp('/v1/**').test('/v1/a/b'))
  t.ok(globToRegExp('/v1/bdbs/?').test('/v1/bdbs/7'))
  t.notOk(globToRegExp('/v1/bdbs.json').test('/v1/bdbsXjson'), 'dots are literal')
})
