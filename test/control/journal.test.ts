// The request journal: what it records (every RS request, refusals and 404s included, never
// /_mock/), redaction, the bound on its size, filters, count and clear.
import t from 'tap'
import { buildTestApp, logins } from '../helpers/app.js'
import { globToRegExp, Journal, REDACTED, redactBody } from '../../src/control/journal.js'

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

t.test('HEAD: answered as the GET without its body, journaled and matched by faults as HEAD', async t => {
  const { call } = await buildTestApp(t)
  const get = await call('GET', '/v1/bdbs/1')
  const head = await call('HEAD', '/v1/bdbs/1')
  t.equal(head.statusCode, 200)
  t.equal(head.body, '', 'no body')
  t.equal(head.headers['content-length'], get.headers['content-length'], 'the length of the GET body')
  const missing = await call('HEAD', '/v1/nowhere')
  t.equal(missing.statusCode, 404)
  t.equal(missing.body, '')
  t.equal((await call('HEAD', '/v1/users/password')).statusCode, 405, 'a path with no GET: 405 as for any other method')
  t.equal((await call('POST', '/_mock/faults', { body: { method: 'HEAD', path: '/v1/bdbs/1', action: { status: 503, error_code: 'busy' } } })).statusCode, 200)
  t.equal((await call('HEAD', '/v1/bdbs/1')).statusCode, 503, 'a HEAD fault hits HEAD')
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200, 'and not GET')
  const entries = json(await call('GET', '/_mock/journal?path=/v1/'))
  t.same(entries.map((e: any) => [e.method, e.path, e.status]), [
    ['GET', '/v1/bdbs/1', 200],
    ['HEAD', '/v1/bdbs/1', 200],
    ['HEAD', '/v1/nowhere', 404],
    ['HEAD', '/v1/users/password', 405],
    ['HEAD', '/v1/bdbs/1', 503],
    ['GET', '/v1/bdbs/1', 200]
  ])
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
  t.same(redactBody({ certificates: [{ name: 'api', certificate: 'PEM', key: 'PRIVATE' }], bind_pass: 'b' }),
    { certificates: [{ name: 'api', certificate: 'PEM', key: REDACTED }], bind_pass: REDACTED }, 'private keys and the LDAP bind password')
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
  t.equal(zero.open(0, 'GET', '/', {}), 0)
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

t.test('the ring: header text kept outside the heap, as sent', async t => {
  const j = new Journal(10)
  const id = j.open(Date.parse('2026-03-01T10:00:00Z'), 'GET', '/v1/bdbs?fields=uid', { 'x-uni': 'ünï ✓', 'x-list': ['a=1', 'b=2'], authorization: 'Basic ' + Buffer.from('ann@x:pw').toString('base64') })
  j.close(id, 200, undefined, undefined, 1.23456)
  const [e] = j.list()
  t.same(e.headers, { 'x-uni': 'ünï ✓', 'x-list': ['a=1', 'b=2'], authorization: `Basic ${REDACTED}` })
  t.match(e, { id, method: 'GET', url: '/v1/bdbs?fields=uid', path: '/v1/bdbs', status: 200, duration_ms: 1.235, user: 'ann@x', time: '2026-03-01T10:00:00.000Z' })
  j.close(id, 500, 'other', undefined, 9)
  t.match(j.list()[0], { status: 200, user: 'ann@x' }, 'the first close counts')
})

t.test('the ring: a request like the one before it (method, URL, raw header lines) shares its text', async t => {
  const j = new Journal(10)
  const written = () => (j as unknown as { written: number }).written
  const poll = (url: string, login: string, lines = ['Host', 'rs:9443', 'Authorization', 'Basic ' + Buffer.from(login).toString('base64')]) =>
    j.open(0, 'GET', url, { host: lines[1], authorization: lines[3] }, [...lines])
  const first = poll('/v1/bdbs', 'ann@x:pw')
  const after = written()
  const second = poll('/v1/bdbs', 'ann@x:pw')
  t.equal(written(), after, 'the same lines (other strings of the same text): no bytes written')
  poll('/v1/bdbs', 'bob@x:pw')
  poll('/v1/bdbs?fields=uid', 'bob@x:pw')
  j.open(0, 'HEAD', '/v1/bdbs?fields=uid', { host: 'rs:9443', authorization: 'Basic ' + Buffer.from('bob@x:pw').toString('base64') }, ['Host', 'rs:9443', 'Authorization', 'Basic ' + Buffer.from('bob@x:pw').toString('base64')])
  poll('/v1/bdbs?fields=uid', 'bob@x:pw', ['Host', 'rs:9443', 'Authorization', 'Basic ' + Buffer.from('bob@x:pw').toString('base64'), 'Accept', '*/*'])
  j.open(0, 'GET', '/v1/bdbs', { host: 'rs:9443' })
  j.open(0, 'GET', '/v1/bdbs', { host: 'rs:9443' })
  t.same(j.list().map(e => [e.id, e.method, e.url, e.user, e.headers.host]), [
    [first, 'GET', '/v1/bdbs', 'ann@x', 'rs:9443'],
    [second, 'GET', '/v1/bdbs', 'ann@x', 'rs:9443'],
    [3, 'GET', '/v1/bdbs', 'bob@x', 'rs:9443'],
    [4, 'GET', '/v1/bdbs?fields=uid', 'bob@x', 'rs:9443'],
    [5, 'HEAD', '/v1/bdbs?fields=uid', 'bob@x', 'rs:9443'],
    [6, 'GET', '/v1/bdbs?fields=uid', 'bob@x', 'rs:9443'],
    [7, 'GET', '/v1/bdbs', null, 'rs:9443'],
    [8, 'GET', '/v1/bdbs', null, 'rs:9443']
  ], 'an other login, URL, method or line: a text of its own; no lines given: a text of its own')
  t.ok(written() > after, 'those were written')
  // Shared texts go when the arena wraps over them, all their entries at once, never showing other bytes.
  const ring = new Journal(10)
  const lines = ['Host', 'rs:9443', 'Authorization', 'Basic ' + Buffer.from('ann@x:pw').toString('base64')]
  const polls = [1, 2, 3].map(() => ring.open(0, 'GET', '/v1/bdbs', { host: lines[1], authorization: lines[3] }, [...lines]))
  t.same(ring.list().map(e => [e.id, e.user]), polls.map(id => [id, 'ann@x']))
  for (let i = 0; i < 5; i++) ring.open(0, 'GET', `/big/${i}`, { 'x-big': 'y'.repeat(5000) }, ['X-Big', 'y'.repeat(5000)])
  t.same(ring.list().map(e => e.url), [...polls.map(() => '/v1/bdbs'), ...[0, 1, 2, 3, 4].map(i => `/big/${i}`)], '25 KB later: still there')
  for (let i = 5; i < 14; i++) ring.open(0, 'GET', `/big/${i}`, { 'x-big': 'y'.repeat(5000) }, ['X-Big', 'y'.repeat(5000)])
  t.notOk(ring.list().some(e => e.url === '/v1/bdbs'), 'the arena (64 KiB) wrapped over their text: gone together')
  t.ok(ring.list().every(e => e.headers['x-big'] === 'y'.repeat(5000)), 'the others intact')
  const again = ring.open(0, 'GET', '/v1/bdbs', { host: lines[1], authorization: lines[3] }, [...lines])
  t.match(ring.list().at(-1), { id: again, url: '/v1/bdbs', user: 'ann@x', headers: { host: 'rs:9443' } }, 'written anew, intact')
})

t.test('through the app: like requests in a row each read back whole, the last of a different login its own', async t => {
  const { call } = await buildTestApp(t)
  for (let i = 0; i < 3; i++) await call('GET', '/v1/bdbs?fields=uid')
  await call('GET', '/v1/bdbs?fields=uid', { as: 'db_viewer' })
  const entries = json(await call('GET', '/_mock/journal'))
  t.same(entries.map((e: any) => [e.url, e.status, e.user, e.headers.authorization]), [
    ...[1, 2, 3].map(() => ['/v1/bdbs?fields=uid', 200, 'admin@redis.local', `Basic ${REDACTED}`]),
    ['/v1/bdbs?fields=uid', 200, 'db-viewer@redis.local', `Basic ${REDACTED}`]
  ])
  t.ok(entries.every((e: any) => e.headers.host !== undefined), 'every header kept')
})

t.test('the ring: headers too large to keep, large requests pushing old ones out, late closes', async t => {
  const j = new Journal(10)
  const huge = j.open(0, 'GET', '/huge', { 'x-big': 'x'.repeat(20_000) })
  t.same(j.list()[0].headers, { $truncated: '20007 characters' }, 'summarised; method and url kept')
  t.equal(j.list()[0].url, '/huge')
  // 40 slots: 80 KiB of text; requests of 6,000 characters fill it long before 40 arrive.
  const ring = new Journal(40)
  const ids: number[] = []
  for (let i = 0; i < 60; i++) ids.push(ring.open(0, 'GET', `/big/${i}`, { 'x-big': 'y'.repeat(6000) }))
  const kept = ring.list().map(e => e.id)
  t.ok(kept.length >= 10 && kept.length < 40, `${kept.length} of the last 40 kept: their text filled the arena`)
  t.same(kept, ids.slice(-kept.length), 'the newest, in order')
  t.ok(ring.list().every(e => e.headers['x-big'] === 'y'.repeat(6000)), 'each kept one intact')
  for (let i = 0; i < 40; i++) ring.open(0, 'GET', `/small/${i}`, {})
  t.equal(ring.list().length, 40, 'small requests fill it again')
  for (let i = 0; i < 10; i++) j.open(0, 'GET', `/small/${i}`, {})
  j.close(huge, 200, undefined, undefined, 1)
  t.notOk(j.list().some(e => e.id === huge), 'a close after its slot was reused changes nothing')
  t.ok(j.list().every(e => e.status === null))
})
