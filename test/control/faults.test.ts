// Fault rules: matching, count limits, seeded probability, and each action (error, latency,
// drop, hang) through inject and over a real socket.
import t from 'tap'
import { request } from 'node:https'
import { buildTestApp, isRsError, logins } from '../helpers/app.js'
import { Faults, mulberry32 } from '../../src/control/faults.js'
import { startMock } from '../../src/library.js'

const json = (res: { json(): unknown }) => res.json() as any

t.test('mulberry32 is deterministic per seed', async t => {
  const a = mulberry32(7)
  const b = mulberry32(7)
  const c = mulberry32(8)
  const seq = [a(), a(), a()]
  t.same([b(), b(), b()], seq)
  t.not(c(), seq[0])
  t.ok(seq.every(x => x >= 0 && x < 1))
})

t.test('matching on method, path glob, path regex and user', async t => {
  const f = new Faults(10)
  f.add({ method: 'post', path: '/v1/bdbs', action: { status: 500 } })
  f.add({ path: '/v1/bdbs/*/flush', action: { status: 501 } })
  f.add({ path_regex: '^/v1/users/\\d+$', action: { status: 502 } })
  f.add({ path: '/v2/**', user: 'db-viewer@redis.local', action: { status: 503 } })
  const hit = (m: string, p: string, u: string | null = null) => f.match(m, p, u)?.action.status
  t.equal(hit('POST', '/v1/bdbs'), 500)
  t.equal(hit('GET', '/v1/bdbs'), undefined, 'method')
  t.equal(hit('POST', '/v1/bdbs/1'), undefined, 'a glob matches the whole path')
  t.equal(hit('PUT', '/v1/bdbs/12/flush'), 501)
  t.equal(hit('PUT', '/v1/bdbs/1/2/flush'), undefined, '* stays within a segment')
  t.equal(hit('GET', '/v1/users/3'), 502)
  t.equal(hit('GET', '/v1/users/x'), undefined)
  t.equal(hit('GET', '/v2/bdbs/1/x', 'db-viewer@redis.local'), 503, '** crosses segments')
  t.equal(hit('GET', '/v2/bdbs', 'admin@redis.local'), undefined, 'user')
  t.same(f.list().map(r => [r.id, r.matched, r.applied]), [[1, 1, 1], [2, 1, 1], [3, 1, 1], [4, 1, 1]])
})

t.test('times limits a rule to its first N applications; later rules still match', async t => {
  const f = new Faults(10)
  f.add({ path: '/v1/bdbs', action: { status: 500 }, times: 2 })
  f.add({ path: '/v1/**', action: { status: 503 } })
  t.same([1, 2, 3, 4].map(() => f.match('GET', '/v1/bdbs', null)?.action.status), [500, 500, 503, 503])
  t.equal(f.get(1).applied, 2)
})

t.test('a seeded probability gives the same run every time', async t => {
  const run = (seed: number) => {
    const f = new Faults(10)
    f.add({ path: '/v1/bdbs', action: { status: 500 }, probability: 0.3, seed })
    return Array.from({ length: 200 }, () => f.match('GET', '/v1/bdbs', null) === undefined ? 0 : 1)
  }
  const first = run(42)
  t.same(run(42), first, 'same seed, same sequence')
  t.notSame(run(43), first, 'another seed, another sequence')
  const hits = first.reduce<number>((a, b) => a + b, 0)
  t.ok(hits > 30 && hits < 90, `about 30% applied (${hits}/200)`)
  const f = new Faults(10)
  f.add({ action: { status: 500 }, probability: 0 })
  f.add({ action: { status: 501 }, probability: 1 })
  t.equal(f.match('GET', '/x', null)?.action.status, 501, 'p=0 never, p=1 always')
  t.equal(f.get(1).matched, 1)
  t.equal(f.get(1).applied, 0)
})

t.test('an error fault answers the RS error body before the front door', async t => {
  const { call } = await buildTestApp(t)
  const rule = json(await call('POST', '/_mock/faults', { body: { method: 'GET', path: '/v1/bdbs/*', action: { status: 503, error_code: 'cluster_busy', description: 'busy' }, times: 1 } }))
  t.equal(rule.id, 1)
  const res = await call('GET', '/v1/bdbs/1', { headers: { authorization: null } })
  isRsError(t, res, 503, 'cluster_busy')
  t.equal(json(res).description, 'busy')
  t.equal(res.headers.server, 'envoy', 'RS headers too')
  t.equal((await call('GET', '/v1/bdbs/1')).statusCode, 200, 'times: 1 used up')
  await call('POST', '/_mock/faults', { body: { path: '/v1/nothing/**', action: { status: 418 } } })
  isRsError(t, await call('GET', '/v1/nothing/here'), 418, 'injected_fault')
})

t.test('faults never apply to /_mock/ routes', async t => {
  const { call } = await buildTestApp(t)
  await call('POST', '/_mock/faults', { body: { path: '/**', action: { status: 500 } } })
  t.equal((await call('GET', '/_mock/faults')).statusCode, 200)
  t.equal((await call('GET', '/_mock/health')).statusCode, 200)
  isRsError(t, await call('GET', '/v1/cluster'), 500, 'injected_fault')
})

t.test('the fault API: list, get, remove, clear, validation, the cap', async t => {
  const { call } = await buildTestApp(t, { control: { maxFaults: 2 } })
  await call('POST', '/_mock/faults', { body: { path: '/a', action: { latency_ms: 5 } } })
  await call('POST', '/_mock/faults', { body: { path: '/b', user: 'x', action: { drop: true } } })
  isRsError(t, await call('POST', '/_mock/faults', { body: { path: '/c', action: { hang: true } } }), 409, 'too_many_faults')
  const list = json(await call('GET', '/_mock/faults'))
  t.same(list.map((r: { id: number, path: string }) => [r.id, r.path]), [[1, '/a'], [2, '/b']])
  t.match(json(await call('GET', '/_mock/faults/2')), { id: 2, user: 'x', action: { drop: true }, matched: 0, applied: 0 })
  t.equal(json(await call('DELETE', '/_mock/faults/1')).id, 1)
  isRsError(t, await call('GET', '/_mock/faults/1'), 404, 'fault_not_found')
  isRsError(t, await call('DELETE', '/_mock/faults/1'), 404, 'fault_not_found')
  t.same(json(await call('DELETE', '/_mock/faults')), { removed: 1 })
  t.same(json(await call('GET', '/_mock/faults')), [])
  const bad: unknown[] = [
    {},
    { action: {} },
    { action: { status: 200 } },
    { action: { status: 500, drop: true } },
    { action: { latency_ms: -1 } },
    { path: '/a', path_regex: 'a', action: { drop: true } },
    { action: { drop: true }, probability: 2 },
    { action: { drop: true }, times: 0 },
    { action: { drop: true }, bogus: 1 },
    { method: 'GE T', action: { drop: true } }
  ]
  for (const body of bad) isRsError(t, await call('POST', '/_mock/faults', { body }), 400, 'invalid_schema', JSON.stringify(body))
  isRsError(t, await call('POST', '/_mock/faults', { body: { path_regex: '(', action: { drop: true } } }), 400, 'bad_request')
})

t.test('latency delays the answer, which then goes on normally', async t => {
  const { call } = await buildTestApp(t)
  await call('POST', '/_mock/faults', { body: { path: '/v1/bdbs', action: { latency_ms: 120 } } })
  const started = performance.now()
  const res = await call('GET', '/v1/bdbs')
  const took = performance.now() - started
  t.equal(res.statusCode, 200)
  t.ok(took >= 115, `took ${Math.round(took)} ms`)
  // Both count from the request's arrival, the fault's wait included.
  t.ok(Number(res.headers['x-envoy-upstream-service-time']) >= 115, `x-envoy-upstream-service-time ${res.headers['x-envoy-upstream-service-time']}`)
  const [entry] = json(await call('GET', '/_mock/journal'))
  t.ok(entry.duration_ms >= 115 && entry.duration_ms <= took + 1, `journal duration_ms ${entry.duration_ms}`)
  await call('POST', '/_mock/faults', { body: { path: '/v1/cluster', action: { latency_ms: 50, status: 500 } } })
  isRsError(t, await call('GET', '/v1/cluster'), 500, 'injected_fault', 'latency then an error')
})

t.test('drop ends the inject without an answer, and the journal says so', async t => {
  const { app, call } = await buildTestApp(t)
  await call('POST', '/_mock/faults', { body: { path: '/v1/bdbs', action: { drop: true } } })
  await t.rejects(app.inject({ method: 'GET', url: '/v1/bdbs', headers: { authorization: logins.admin } }), { code: 'LIGHT_ECONNRESET' })
  const [entry] = json(await call('GET', '/_mock/journal'))
  t.match(entry, { path: '/v1/bdbs', status: null, fault: 1 })
})

const get = (port: number, path: string, timeout = 5000) => new Promise<number>((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, agent: false, auth: 'admin@redis.local:admin', timeout }, res => {
    res.resume()
    resolve(res.statusCode ?? 0)
  })
  req.on('timeout', () => req.destroy(new Error('client timeout')))
  req.on('error', reject)
  req.end()
})

t.test('over a socket: drop resets the connection; hang never answers and close() is prompt', async t => {
  const mock = await startMock()
  let closed = false
  t.teardown(async () => { if (!closed) await mock.close() })
  mock.faults.add({ path: '/v1/bdbs', action: { drop: true }, times: 1 })
  await t.rejects(get(mock.port, '/v1/bdbs'), { code: 'ECONNRESET' }, 'dropped')
  t.equal(await get(mock.port, '/v1/bdbs'), 200, 'times: 1 used up')

  mock.faults.add({ path: '/v1/cluster', action: { hang: true } })
  const hung = get(mock.port, '/v1/cluster', 30_000)
  hung.catch(() => {})
  await new Promise(resolve => setTimeout(resolve, 200))
  t.match(mock.journal.list({ path: '/v1/cluster' }), [{ status: null, fault: 2 }], 'in flight')
  const started = performance.now()
  await mock.close()
  closed = true
  const took = performance.now() - started
  t.ok(took < 1000, `close() took ${Math.round(took)} ms with a hung request`)
  await t.rejects(hung, 'the hung client sees the connection end')
})

t.test('a hung request ends when the client gives up', async t => {
  const mock = await startMock()
  t.teardown(() => mock.close())
  mock.faults.add({ path: '/v1/cluster', action: { hang: true } })
  await t.rejects(get(mock.port, '/v1/cluster', 150), { message: 'client timeout' })
  t.equal(await get(mock.port, '/v1/bdbs'), 200, 'the server goes on serving')
})
