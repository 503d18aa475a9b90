// Where the server's memory goes under load: spawns the built command with a probe that prints
// process.memoryUsage() and V8's heap spaces every second, drives it with N keep-alive
// connections (reads, a database created and deleted, a token), and prints one row per second.
// Numbers only (docs/performance.md, "Memory under load"). Usage:
//   npm run build && node bench/memory.mjs [--connections 100] [--seconds 10] [--node-flags "--max-semi-space-size=4"]
import { parseArgs } from 'node:util'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'node:https'
import { AUTH, ROOT } from './lib/proc.mjs'

const { values } = parseArgs({ options: { connections: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' }, 'node-flags': { type: 'string', default: '' } } })
const connections = Number(values.connections)
const seconds = Number(values.seconds)
const certsDir = mkdtempSync(join(tmpdir(), 'rs-mock-memory-'))

// The probe runs inside the server process: the command's own start, plus a report each second.
const probe = `
import v8 from 'node:v8'
const { loadConfig } = await import('./dist/config.js')
const { startServer } = await import('./dist/server.js')
const s = await startServer(loadConfig(['--port', '0', '--host', '127.0.0.1', '--certs-dir', ${JSON.stringify(certsDir)}, '--log-level', 'warn', '--transition-delay-ms', '0']))
const mb = n => Math.round(n / 104857.6) / 10
setInterval(() => {
  const m = process.memoryUsage()
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map(x => [x.space_name, mb(x.physical_space_size)]))
  process.stderr.write(JSON.stringify({ rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), newSpace: spaces.new_space, oldSpace: spaces.old_space, code: spaces.code_space, sockets: s.app.server.connections ?? 0 }) + '\\n')
}, 1000).unref()
process.stdout.write('port ' + s.port + '\\n')
`
const flags = values['node-flags'].split(' ').filter(Boolean)
const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', probe], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
const port = await new Promise((resolve, reject) => {
  let out = ''
  child.stdout.on('data', d => { out += d; const m = /port (\d+)/.exec(out); if (m) resolve(Number(m[1])) })
  child.on('exit', code => reject(new Error(`server exited ${code}`)))
})
let phase = 'idle'
let done = 0
const rows = []
let buffered = ''
child.stderr.on('data', d => {
  buffered += d
  let nl
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl)
    buffered = buffered.slice(nl + 1)
    try { rows.push({ phase, requests: done, ...JSON.parse(line) }) } catch { process.stderr.write(line + '\n') }
  }
})

const send = (agent, method, path, body) => new Promise(resolve => {
  const req = request({ host: '127.0.0.1', port, method, path, agent, rejectUnauthorized: false, headers: { authorization: AUTH, ...(body ? { 'content-type': 'application/json' } : {}) } }, res => {
    let text = ''
    res.on('data', c => { text += c })
    res.on('end', () => { done++; resolve(text) })
  })
  req.on('error', () => resolve(''))
  req.end(body)
})

async function worker (id, until) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  for (let i = 0; performance.now() < until; i++) {
    await send(agent, 'GET', '/v1/bdbs')
    await send(agent, 'GET', '/v1/cluster')
    const made = await send(agent, 'POST', '/v1/bdbs', JSON.stringify({ name: `m-${id}-${i}`, memory_size: 1048576 }))
    try { await send(agent, 'DELETE', `/v1/bdbs/${JSON.parse(made).uid}`) } catch {}
    await send(agent, 'POST', '/v1/users/authorize', '{}')
  }
  agent.destroy()
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
await sleep(3000)
phase = 'load'
const until = performance.now() + seconds * 1000
await Promise.all(Array.from({ length: connections }, (_, id) => worker(id, until)))
phase = 'after'
await sleep(4000)
child.kill('SIGTERM')
rmSync(certsDir, { recursive: true, force: true })
console.log(`node flags: ${flags.join(' ') || '(none)'}; ${connections} connections for ${seconds} s; ${done} requests. MiB:`)
const keys = ['phase', 'requests', 'rss', 'heapTotal', 'heapUsed', 'newSpace', 'oldSpace', 'code', 'external', 'arrayBuffers']
console.log(keys.join('\t'))
for (const r of rows) console.log(keys.map(k => r[k]).join('\t'))
