// The metrics exporter's listener over real TLS: its paths, content type and RS-shaped refusals,
// no authentication, the API's certificate (and its live replacement), one exporter per node
// (v1 redirecting to the primary's, a node down refusing connections), and --metrics-port.
import t, { type Test } from 'tap'
import { request } from 'node:https'
import { connect } from 'node:tls'
import { generate } from 'selfsigned'
import { X509Certificate } from 'node:crypto'
import { startMock } from '../../src/index.js'
import { loadConfig, ConfigError } from '../../src/config.js'
import { startServer } from '../../src/server.js'
import { metricsPort, parseMetricsPort } from '../../src/metrics/index.js'
import { parseExposition, one, pick } from '../helpers/metrics.js'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

function get (url: string, path: string, { ca, method = 'GET' }: { ca?: string, method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, agent: false, ...(ca === undefined ? { rejectUnauthorized: false } : { ca }) }, res => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const isRsRefusal = (t: Test, a: Answer, status: number, code: string): void => {
  t.equal(a.status, status)
  t.match(a.headers['content-type'], /^application\/json/)
  t.match(JSON.parse(a.body), { error_code: code, description: String })
}

t.test('GET /v2, /v2/node, /metrics and / in the text format, without credentials, on the API\'s certificate', async t => {
  const mock = await startMock()
  t.teardown(() => mock.close())
  t.ok(mock.metricsUrl !== undefined && mock.metricsUrl !== mock.url, `its own port: ${mock.metricsUrl}`)
  for (const path of ['/v2', '/v2/node', '/metrics', '/']) {
    const a = await get(mock.metricsUrl!, path, { ca: mock.ca }) // verified against the API's certificate
    t.equal(a.status, 200, path)
    t.equal(a.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    t.ok(parseExposition(a.body).series.length > 50, `${path} has series`)
  }
  const v2 = parseExposition((await get(mock.metricsUrl!, '/v2?x=1')).body)
  t.equal(one(v2, 'node_metrics_up', { node: '1' }), 1)
  const expiry = one(v2, 'node_cert_expires_in_seconds', { node: '1' })
  t.equal(Math.round(expiry / 86400), Math.round((Date.parse(new X509Certificate(mock.ca).validTo) - Date.now()) / 86_400_000), 'the served certificate\'s expiry')
  const head = await get(mock.metricsUrl!, '/v2', { method: 'HEAD' })
  t.equal(head.status, 200)
  t.equal(head.body, '')
  isRsRefusal(t, await get(mock.metricsUrl!, '/v1/bdbs'), 404, 'not_found')
  isRsRefusal(t, await get(mock.metricsUrl!, '/v2', { method: 'POST' }), 405, 'method_not_allowed')
  isRsRefusal(t, await get(mock.metricsUrl!, '/metrics', { method: 'DELETE' }), 405, 'method_not_allowed')

  // a node outside any cluster has nothing to report
  mock.leaveCluster()
  isRsRefusal(t, await get(mock.metricsUrl!, '/v2'), 503, 'node_not_in_cluster')
  mock.joinCluster()
  t.equal((await get(mock.metricsUrl!, '/v2')).status, 200)
})

t.test('a new api certificate set through the API is what the exporter presents next', async t => {
  const mock = await startMock()
  t.teardown(() => mock.close())
  const p = await generate([{ name: 'commonName', value: 'next.local' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
  const res = await mock.inject({ method: 'PUT', url: '/v1/cluster/certificates', payload: { certificates: [{ name: 'api', certificate: p.cert, key: p.private }] } })
  t.equal(res.statusCode, 200)
  const port = mock.metrics[0].port
  const presented = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
      socket.end()
    })
    socket.on('error', reject)
  })
  t.equal(presented, new X509Certificate(p.cert).fingerprint256)
})

t.test('one exporter per node: v2 on each, v1 on the primary, a node down stops answering', async t => {
  const mock = await startMock({ nodes: 3 })
  t.teardown(() => mock.close())
  t.equal(mock.metrics.length, 3)
  t.equal(new Set(mock.metrics.map(m => m.port)).size, 3)
  const [n1, n2] = mock.metrics
  const v2 = await get(n2.url, '/v2')
  t.equal(v2.status, 200)
  t.same(pick(parseExposition(v2.body), 'node_metrics_up').map(s => s.labels.node), ['1', '2', '3'], 'every node returns the whole cluster (v2)')
  const redirect = await get(n2.url, '/metrics')
  t.equal(redirect.status, 307, 'v1 on a follower redirects to the primary')
  t.equal(redirect.headers.location, `${n1.url}/metrics`)
  t.equal((await get(n1.url, '/metrics')).status, 200)

  await mock.nodeDown(2)
  await t.rejects(get(n2.url, '/v2'), { code: 'ECONNREFUSED' }, 'a down node\'s exporter refuses connections')
  t.equal(one(parseExposition((await get(n1.url, '/v2')).body), 'node_metrics_up', { node: '2' }), 0)
  await mock.nodeUp(2)
  t.equal((await get(n2.url, '/v2')).status, 200, 'back with its node')

  await mock.nodeDown(1)
  const primary = mock.metrics.find(m => m.uid === mock.store.master.uid)!
  t.not(primary.uid, 1)
  const moved = await get(mock.metrics[2].uid === primary.uid ? n2.url : mock.metrics[2].url, '/metrics')
  t.equal(moved.status, 307)
  t.equal(moved.headers.location, `${primary.url}/metrics`, 'v1 follows the new primary')
})

t.test('--metrics-port: auto is 8070 beside the default port only, off, 0, and refused values', async t => {
  t.equal(metricsPort('auto', 9443), 8070)
  t.equal(metricsPort('auto', 19443), 0, 'beside another API port: a free port')
  t.equal(metricsPort('auto', 0), 0)
  t.equal(metricsPort('off', 9443), undefined)
  t.equal(metricsPort(9100, 9443), 9100)
  t.same(['auto', 'OFF', '0', '8070', '65535'].map(parseMetricsPort), ['auto', 'off', 0, 8070, 65535])
  for (const bad of ['', '-1', '65536', 'yes', '80a']) t.equal(parseMetricsPort(bad), undefined, JSON.stringify(bad))
  const config = loadConfig([], { RS_MOCK_METRICS_PORT: 'off' })
  t.match(config, { metricsPort: 'off' }, 'environment twin')
  t.throws(() => loadConfig(['--metrics-port', 'nope'], {}), ConfigError)
  t.throws(() => loadConfig(['--metrics-port', '70000'], {}), /--metrics-port must be auto, off or a whole number from 0 to 65535/)
  const off = await startMock({ metricsPort: 'off' })
  t.teardown(() => off.close())
  t.equal(off.metricsUrl, undefined)
  t.same(off.metrics, [])
})

t.test('two servers that differ only in --port both start, each with its own exporter', async t => {
  const certsDir = t.testdir()
  const start = async (port: number) => {
    const config = loadConfig(['--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent', '--certs-dir', certsDir], {})
    if (typeof config === 'string') throw new Error(config)
    const server = await startServer(config)
    t.teardown(() => server.close())
    return server
  }
  // two free ports, found by listening on 0
  const free = async () => { const s = await startMock({ metricsPort: 'off' }); const p = s.port; await s.close(); return p }
  const [a, b] = [await start(await free()), await start(await free())]
  t.equal(a.metrics.length, 1)
  t.equal(b.metrics.length, 1)
  t.not(a.metrics[0].port, b.metrics[0].port)
  t.not(a.metrics[0].port, 8070, 'not 8070 beside a non-default API port')
  t.equal((await get(b.metrics[0].url, '/v2')).status, 200)

  // a taken metrics port is a clear configuration error, naming the flag
  const taken = loadConfig(['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--certs-dir', certsDir, '--metrics-port', String(a.metrics[0].port)], {})
  if (typeof taken === 'string') throw new Error(taken)
  await t.rejects(startServer(taken), { name: 'ConfigError', message: /metrics exporter: the port is already in use \(choose another --metrics-port/ })
})
