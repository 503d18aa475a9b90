// Issue 8: every limit, over real sockets where the limit lives in the socket layer, answering
// with an RS error body wherever an answer is possible; and a slow client stalls no one else.
import { createLog } from '../../src/base/log.js'
import t from 'tap'
import { Agent } from 'node:https'
import { ADMIN_BASIC, httpRequest, httpsCall, parseResponse, rawExchange, rsErrorProblem, startTestServer, tlsConnect } from '../helpers/raw.js'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { DEFAULT_LIMITS, transportOptions } from '../../src/http/transport.js'
import { MAX_EVENTS } from '../../src/store/kernel/index.js'

const code = (body: string): string | undefined => { try { return JSON.parse(body).error_code } catch { return undefined } }
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

t.test('the limit flags, their environment twins and defaults', async t => {
  const c = loadConfig([], {}) as Config
  t.same([c.bodyLimit, c.maxHeaderSize, c.requestTimeoutMs, c.keepAliveTimeoutMs],
    [DEFAULT_LIMITS.bodyLimit, DEFAULT_LIMITS.maxHeaderSize, DEFAULT_LIMITS.requestTimeout, DEFAULT_LIMITS.keepAliveTimeout], 'defaults')
  const env = loadConfig([], { RS_MOCK_BODY_LIMIT: '2048', RS_MOCK_MAX_HEADER_SIZE: '4096', RS_MOCK_REQUEST_TIMEOUT_MS: '0', RS_MOCK_KEEP_ALIVE_TIMEOUT_MS: '500' }) as Config
  t.same([env.bodyLimit, env.maxHeaderSize, env.requestTimeoutMs, env.keepAliveTimeoutMs], [2048, 4096, 0, 500], 'environment')
  for (const argv of [['--body-limit', '10'], ['--max-header-size', '99999999'], ['--request-timeout-ms', '-1'], ['--keep-alive-timeout-ms', '0']]) {
    t.throws(() => loadConfig(argv, {}), { name: 'ConfigError' }, argv.join(' '))
  }
})

t.test('body limit: 413 request_too_large naming the limit', async t => {
  const { port } = await startTestServer(t, ['--body-limit', '2048'])
  const big = await httpsCall(port, 'POST', '/v1/bdbs', { headers: { authorization: ADMIN_BASIC }, body: JSON.stringify({ name: 'x'.repeat(3000) }) })
  t.equal(rsErrorProblem(big.status, big.headers['content-type'] as string, big.body, s => s === 413), undefined, '413 with an RS body')
  t.equal(code(big.body), 'request_too_large')
  t.match(JSON.parse(big.body).description, /2048 bytes/)
  const fits = await httpsCall(port, 'POST', '/v1/bdbs?dry_run', { headers: { authorization: ADMIN_BASIC }, body: JSON.stringify({ name: 'fits', memory_size: 1048576 }) })
  t.equal(fits.status, 200, 'a body under the limit is served')
  // The state import keeps its own, larger limit (a large scenario exports megabytes).
  const state = await httpsCall(port, 'PUT', '/_mock/state', { headers: { authorization: ADMIN_BASIC }, body: JSON.stringify({ pad: 'x'.repeat(5000) }) })
  t.equal(code(state.body), 'invalid_state_document', 'PUT /_mock/state is not held to --body-limit')
})

t.test('header size limit: 431 request_header_too_large on the raw socket', async t => {
  const { port } = await startTestServer(t, ['--max-header-size', '4096'])
  const res = await rawExchange(port, httpRequest('GET', '/v1/bdbs', { 'x-padding': 'p'.repeat(5000) }))
  t.equal(rsErrorProblem(res.status, res.headers['content-type'], res.body, s => s === 431), undefined, '431 with an RS body')
  t.equal(code(res.body), 'request_header_too_large')
  t.match(JSON.parse(res.body).description, /4096 bytes/)
  t.equal(res.headers.server, 'envoy')
  const url = await rawExchange(port, httpRequest('GET', `/v1/bdbs?fields=${'a'.repeat(5000)}`))
  t.equal(code(url.body), 'request_header_too_large', 'a request line over the limit too')
  const fits = await rawExchange(port, httpRequest('GET', '/v1/bdbs?fields=uid', { 'x-padding': 'p'.repeat(3000) }))
  t.equal(fits.status, 200, 'headers under the limit are served')
})

t.test('request timeout: headers or a body not sent in time get 408 request_timeout', async t => {
  const { port } = await startTestServer(t, ['--request-timeout-ms', '400'])
  for (const [what, partial] of [
    ['headers never finished', `GET /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\n`],
    ['a body shorter than its content-length', `POST /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"name":`]
  ]) {
    const started = performance.now()
    const res = await rawExchange(port, partial, 5000)
    const took = performance.now() - started
    t.equal(rsErrorProblem(res.status, res.headers['content-type'], res.body, s => s === 408), undefined, `${what}: 408 with an RS body`)
    t.equal(code(res.body), 'request_timeout', what)
    t.ok(took >= 350 && took < 2000, `${what}: answered after ${Math.round(took)} ms (limit 400)`)
  }
})

t.test('keep-alive timeout: an idle connection is closed after --keep-alive-timeout-ms', async t => {
  const { port } = await startTestServer(t, ['--keep-alive-timeout-ms', '300'])
  const socket = await tlsConnect(port)
  let raw = ''
  socket.setEncoding('latin1')
  socket.on('data', (c: string) => { raw += c })
  const closed = new Promise<number>(resolve => socket.once('close', () => resolve(performance.now())))
  socket.write('GET /_mock/health HTTP/1.1\r\nhost: localhost\r\n\r\n')
  while (parseResponse(raw) === undefined) await sleep(10)
  const answered = performance.now()
  t.match(parseResponse(raw)?.headers['keep-alive'] ?? '', /timeout=0?/, 'kept alive')
  const idle = (await closed) - answered
  t.ok(idle >= 250 && idle < 1500, `closed after ${Math.round(idle)} ms idle (limit 300)`)
})

t.test('slow clients dribbling headers stall no one; they are cut off at the request timeout', async t => {
  const { port } = await startTestServer(t, ['--request-timeout-ms', '1500'])
  const dribblers = await Promise.all(Array.from({ length: 20 }, () => tlsConnect(port)))
  const line = `GET /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\nx-slow: ${'s'.repeat(200)}\r\n`
  const outcomes = dribblers.map(s => new Promise<string>(resolve => {
    let raw = ''
    let i = 0
    s.setEncoding('latin1')
    s.on('data', (c: string) => { raw += c })
    const timer = setInterval(() => { if (!s.destroyed) s.write(line[i++ % line.length]) }, 50)
    s.once('close', () => { clearInterval(timer); resolve(code(parseResponse(raw)?.body ?? '') ?? 'closed without an answer') })
    s.once('error', () => {})
  }))
  await sleep(200)
  const agent = new Agent({ keepAlive: true, maxSockets: 10 })
  t.teardown(() => agent.destroy())
  const times: number[] = []
  for (let i = 0; i < 50; i++) {
    const started = performance.now()
    const res = await httpsCall(port, 'GET', '/v1/bdbs?fields=uid', { agent, headers: { authorization: ADMIN_BASIC } })
    times.push(performance.now() - started)
    t.equal(res.status, 200, `request ${i} served while 20 clients dribble`)
  }
  const worst = Math.max(...times)
  t.ok(worst < 500, `the slowest of 50 requests took ${Math.round(worst)} ms`)
  t.same(new Set(await Promise.all(outcomes)), new Set(['request_timeout']), 'every dribbler got 408 request_timeout')
})

t.test('the journal and the fault rules are capped', async t => {
  const { call } = await buildTestApp(t, { control: { journalSize: 5, maxFaults: 3 } })
  for (let i = 0; i < 20; i++) await call('GET', `/v1/bdbs/${i}`)
  const journal = (await call('GET', '/_mock/journal')).json()
  t.equal(journal.length, 5, 'the journal keeps the last --journal-size requests')
  t.same(journal.map((e: { url: string }) => e.url), [15, 16, 17, 18, 19].map(i => `/v1/bdbs/${i}`))
  for (let i = 0; i < 3; i++) t.equal((await call('POST', '/_mock/faults', { body: { path: `/x${i}`, action: { status: 500 } } })).statusCode, 200)
  isRsError(t, await call('POST', '/_mock/faults', { body: { path: '/x4', action: { status: 500 } } }), 409, 'too_many_faults')
})

t.test('the event log keeps the newest MAX_EVENTS events', async t => {
  const { store, call } = await buildTestApp(t)
  for (let i = 0; i < MAX_EVENTS * 1.2; i++) store.core.log('soak_event', { n: i })
  const events = store.state.events
  t.ok(events.length >= MAX_EVENTS && events.length <= MAX_EVENTS * 1.1 + 1, `${events.length} kept`)
  t.equal(events.at(-1)?.n, MAX_EVENTS * 1.2 - 1, 'the newest is kept')
  t.equal((await call('GET', '/v1/logs?order=desc&limit=1')).json()[0].n, MAX_EVENTS * 1.2 - 1)
})

t.test('transport options: no request timeout means Node\'s own header timeout', async t => {
  const off = transportOptions({ ...DEFAULT_LIMITS, requestTimeout: 0 }, createLog(false)) as { http: Record<string, unknown>, requestTimeout: number }
  t.equal(off.requestTimeout, 0)
  t.equal(off.http.headersTimeout, undefined)
  const on = transportOptions(DEFAULT_LIMITS, createLog(false), { cert: 'c', key: 'k' }) as { https: Record<string, unknown> }
  t.same([on.https.headersTimeout, on.https.connectionsCheckingInterval, on.https.maxHeaderSize], [30_000, 1000, 16_384])
})
