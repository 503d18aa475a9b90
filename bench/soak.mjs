// npm run soak [-- --duration 60 --connections 100]: mixed load against the built command, then
// the two figures of issue 8: errors (must be 0) and RSS growth (must be under 10%). Not part of
// npm test. An error is a failed request, a timeout, a 5xx or any status a request did not expect.
import { parseArgs } from 'node:util'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'node:https'
import { AUTH, call, rss, start, stop } from './lib/proc.mjs'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '5' }
  }
})
const duration = Number(values.duration)
const connections = Number(values.connections)
const warmup = Number(values.warmup)
if (!(duration > 0) || !(connections > 0) || !(warmup >= 0)) {
  process.stderr.write('usage: node bench/soak.mjs [--duration <s>] [--connections <n>] [--warmup <s>]\n')
  process.exit(2)
}

// One cycle per connection, in order: reads, writes that create and remove objects, and client
// mistakes whose 4xx is expected. Each connection is its own keep-alive agent with one socket.
const cycle = [
  ['GET', '/v1/bdbs?fields=uid,name,status', undefined, [200]],
  ['GET', '/v1/bdbs/1', undefined, [200]],
  ['GET', '/v1/cluster', undefined, [200]],
  ['POST', '/v1/bdbs', i => ({ name: `soak-${i}`, memory_size: 1048576 }), [200]],
  ['PUT', '/v1/bdbs/1', () => ({ memory_size: 1073741824 }), [200]],
  // Transitions complete at once (--transition-delay-ms 0): the database just made can go.
  ['DELETE', 'created', undefined, [200]],
  ['GET', '/v1/users', undefined, [200]],
  ['POST', '/v1/users/authorize', () => ({ ttl: 60 }), [200]],
  ['GET', '/v1/bdbs/stats/last/1', undefined, [200]],
  ['GET', '/v1/logs?limit=10', undefined, [200]],
  ['GET', '/v1/bdbs/999999', undefined, [404]],
  ['POST', '/v1/bdbs', () => '{"name":', [400]],
  ['GET', '/v1/cluster', 'Basic !!!', [401]],
  ['GET', '/_mock/health', undefined, [200]]
]

const errors = { transport: 0, statuses: {}, samples: [] }
let requestsDone = 0
const latencies = []

function send (agent, port, method, path, body, authorization) {
  return new Promise((resolve, reject) => {
    const headers = { authorization }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent, rejectUnauthorized: false, timeout: 10_000 }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', c => { text += c })
      res.on('end', () => resolve({ status: res.statusCode, text }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })
}

async function worker (id, port, until, record) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let made
  let i = 0
  while (performance.now() < until) {
    for (const [method, target, makeBody, ok] of cycle) {
      const path = target === 'created' ? `/v1/bdbs/${made ?? 999999}` : target
      const raw = typeof makeBody === 'function' ? makeBody(`${id}-${i++}`) : undefined
      const body = raw === undefined ? undefined : typeof raw === 'string' ? raw : JSON.stringify(raw)
      const auth = typeof makeBody === 'string' ? makeBody : AUTH
      const started = performance.now()
      try {
        const res = await send(agent, port, method, path, body, auth)
        if (record) { requestsDone++; latencies.push(performance.now() - started) }
        const expected = target === 'created' && made === undefined ? [404] : ok
        if (record && !expected.includes(res.status)) {
          errors.statuses[res.status] = (errors.statuses[res.status] ?? 0) + 1
          if (errors.samples.length < 5) errors.samples.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 160)}`)
        }
        if (method === 'POST' && path === '/v1/bdbs' && res.status === 200) made = JSON.parse(res.text).uid
        if (target === 'created') made = undefined
      } catch (e) {
        if (record) {
          errors.transport++
          if (errors.samples.length < 5) errors.samples.push(`${method} ${path} → ${e.message}`)
        }
      }
    }
  }
  agent.destroy()
}

const run = (port, seconds, record) => {
  const until = performance.now() + seconds * 1000
  return Promise.all(Array.from({ length: connections }, (_, id) => worker(id, port, until, record)))
}

const certsDir = mkdtempSync(join(tmpdir(), 'rs-mock-soak-'))
const server = await start([process.execPath, 'dist/cli.js', '--port', '0', '--host', '127.0.0.1', '--certs-dir', certsDir,
  '--log-level', 'warn', '--transition-delay-ms', '0'])
try {
  // A warm-up first: RSS is measured from a server whose JIT and pools have settled.
  if (warmup > 0) await run(server.port, warmup, false)
  // RSS swings with each GC: growth compares the median of the first 5 s with that of the last 5 s.
  const samples = [rss(server.pid)]
  const sampler = setInterval(() => samples.push(rss(server.pid)), 1000)
  const started = performance.now()
  await run(server.port, duration, true)
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const health = await call(server.port, '/_mock/health')
  samples.push(rss(server.pid))
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const window = Math.min(5, Math.max(1, Math.floor(samples.length / 3)))
  const rssBefore = median(samples.slice(0, window))
  const rssAfter = median(samples.slice(-window))
  const unexpected = Object.values(errors.statuses).reduce((a, b) => a + b, 0)
  const total = errors.transport + unexpected
  const growth = (rssAfter - rssBefore) / rssBefore * 100
  const mb = bytes => (bytes / 1048576).toFixed(1)
  latencies.sort((a, b) => a - b)
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0
  console.log(`soak: ${duration} s, ${connections} connections, ${requestsDone} requests (${Math.round(requestsDone / seconds)}/s, p99 ${p99.toFixed(1)} ms)`)
  console.log(`errors: ${total} (transport or timeout ${errors.transport}, unexpected statuses ${unexpected}${unexpected > 0 ? ` ${JSON.stringify(errors.statuses)}` : ''})`)
  for (const s of errors.samples) console.log(`  e.g. ${s}`)
  console.log(`rss: ${mb(rssBefore)} MB → ${mb(rssAfter)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%, medians of the first and last ${window} s; peak ${mb(Math.max(...samples))} MB)`)
  console.log(`server still answering: ${health.status === 200 ? 'yes' : `no (${health.status})`}`)
  const ok = total === 0 && growth < 10 && health.status === 200
  console.log(ok ? 'PASS: 0 errors, RSS growth under 10%' : 'FAIL')
  process.exitCode = ok ? 0 : 1
} finally {
  await stop(server)
  rmSync(certsDir, { recursive: true, force: true })
}
