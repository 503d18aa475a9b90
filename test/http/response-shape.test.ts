// Every response of the mock's HTTPS servers has one shape: the API's step on writeHead lives in
// fields of the response class, not in properties added per request. Node's HTTP and stream code,
// which the API and the exporter share, then stays monomorphic: with per-request properties, the
// API's list cost 14-55% more CPU per request after the exporter's first scrapes (docs/performance.md).
import t from 'tap'
import { request } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startMock } from '../../src/library.js'
import { MockRequest, MockResponse } from '../../src/http/response.js'

const get = async (url: string, auth?: string): Promise<number> => await new Promise((resolve, reject) => {
  request(url, { rejectUnauthorized: false, auth }, r => { r.resume(); r.on('end', () => resolve(r.statusCode ?? 0)) }).on('error', reject).end()
})
const keysOf = (res: ServerResponse): string[] => Reflect.ownKeys(res).map(String).sort()

t.test('an API answer and an exporter answer are responses of one class with the same own properties', async t => {
  const mock = await startMock({ port: 0, host: '127.0.0.1' })
  t.teardown(() => mock.close())
  const seen: ServerResponse[] = []
  const watch = (_req: IncomingMessage, res: ServerResponse): void => { seen.push(res) }
  mock.app.server.on('request', watch)
  t.equal(await get(`${mock.url}/v1/bdbs`, 'admin@redis.local:admin'), 200)
  t.equal(await get(`${mock.url}/v1/bdbs`, 'nobody@redis.local:wrong'), 401)
  mock.app.server.off('request', watch)
  t.equal(seen.length, 2)
  // the exporter's: its server is not exposed, so its class's prototype writeHead is watched
  const exporterSeen: ServerResponse[] = []
  const original = MockResponse.prototype.writeHead
  MockResponse.prototype.writeHead = function (this: MockResponse, ...args: unknown[]) {
    exporterSeen.push(this)
    return (original as (...a: unknown[]) => MockResponse).apply(this, args)
  } as typeof original
  try {
    t.equal(await get(`${mock.metricsUrl!}/v2`), 200)
  } finally {
    MockResponse.prototype.writeHead = original
  }
  t.equal(exporterSeen.length, 1, 'the exporter\'s answer went through the class')
  for (const res of [...seen, ...exporterSeen]) t.ok(res instanceof MockResponse)
  t.same(keysOf(seen[0]!), keysOf(exporterSeen[0]!), 'the 200 has the exporter answer\'s own properties, no more')
  t.same(keysOf(seen[1]!), keysOf(exporterSeen[0]!), 'so has the 401')
  t.notOk(Object.hasOwn(seen[0]!, 'writeHead'), 'no own writeHead on the API\'s response')
})

// The same for requests: fastify's rewriteUrl (HEAD routed as GET) sets `originalUrl` on each of
// the API's requests, and the request class of both servers has it from construction. Without it,
// a scrape sent Node's Readable and IncomingMessage code, shared by both servers, through requests
// of another shape (docs/performance.md).
t.test('an API request and an exporter request have the same own properties, in the same order', async t => {
  const mock = await startMock({ port: 0, host: '127.0.0.1' })
  t.teardown(() => mock.close())
  const requests: IncomingMessage[] = []
  const original = MockResponse.prototype.writeHead
  MockResponse.prototype.writeHead = function (this: MockResponse, ...args: unknown[]) {
    requests.push(this.req)
    return (original as (...a: unknown[]) => MockResponse).apply(this, args)
  } as typeof original
  try {
    t.equal(await get(`${mock.url}/v1/bdbs`, 'admin@redis.local:admin'), 200)
    t.equal(await get(`${mock.metricsUrl!}/v2`), 200)
    t.equal(await get(`${mock.metricsUrl!}/metrics`), 200)
  } finally {
    MockResponse.prototype.writeHead = original
  }
  t.equal(requests.length, 3)
  for (const req of requests) t.ok(req instanceof MockRequest)
  const keys = (req: IncomingMessage): string[] => Reflect.ownKeys(req).map(String)
  t.ok(keys(requests[0]!).includes('originalUrl'), 'the API\'s request carries fastify\'s originalUrl')
  t.same(keys(requests[1]!), keys(requests[0]!), 'the exporter\'s request has the API request\'s own properties, in the same order')
  t.same(keys(requests[2]!), keys(requests[0]!), 'so has the one of /metrics')
})
