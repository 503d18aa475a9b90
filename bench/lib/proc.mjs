// Server processes: spawn (pinned to the server CPU), wait for the ready line, one-off HTTPS
// requests, cold-start timing, RSS, and stopping only the processes this harness started.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const USER = 'admin@redis.local'
export const PASSWORD = 'admin'
export const AUTH = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
// An unknown login: the same 401 and the same hashing work as a wrong password, without locking
// the admin out (5 wrong passwords would, and every later request of the run would be a 401).
export const BAD_AUTH = 'Basic ' + Buffer.from('nobody@redis.local:wrong-password').toString('base64')

const READY = /ready on https:\/\/127\.0\.0\.1:(\d+)/
// the mock's ready line names its metrics exporter too (the baselines have none)
const METRICS = /metrics https:\/\/127\.0\.0\.1:(\d+)\/v2/

/** CPU placement: servers on CPU 0, the load generator (this process) on CPU 1, when taskset can do it. */
export function pinning (cpus) {
  const has = spawnSync('taskset', ['--version'], { encoding: 'utf8' }).status === 0
  if (!has || cpus < 2) return { pinned: false, why: has ? 'one CPU only' : 'no taskset', prefix: [] }
  const r = spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { encoding: 'utf8' })
  if (r.status !== 0) return { pinned: false, why: `taskset failed: ${r.stderr.trim()}`, prefix: [] }
  return { pinned: true, serverCpu: 0, clientCpu: 1, prefix: ['taskset', '-c', '0'] }
}

/** The argv of each kind of server; `fixtures` only applies to the mock; `nodeFlags` go to node. */
export function command (kind, { certsDir, responses, fixtures, nodeFlags = [] }) {
  const node = process.execPath
  if (kind === 'mock') {
    return [node, ...nodeFlags, 'dist/cli.js', '--port', '0', '--host', '127.0.0.1', '--certs-dir', certsDir, '--log-level', 'warn',
      ...(fixtures ? ['--fixtures', fixtures] : [])]
  }
  return [node, ...nodeFlags, `bench/baselines/${kind}.mjs`, '--certs-dir', certsDir, '--responses', responses]
}

/**
 * V8's flag for the servers under load. A memory-reducing collection (V8's memory reducer runs one
 * ~8 s after start in a process that is idle then) makes every later request of that process cost
 * more CPU (docs/performance.md), by a share that differs between servers; which servers it has
 * hit when a round runs depends on timing. With the reducer off on all of them, the loads compare
 * the servers' code alone. The mock as started by default is measured beside them (the list's
 * last rows).
 */
export const STEADY = ['--no-memory-reducer']

/** Spawns ARGV and resolves once it prints its ready line: { child, pid, port, t0 }. */
export function start (argv, { prefix = [], timeoutMs = 60_000 } = {}) {
  const full = [...prefix, ...argv]
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(full[0], full.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${argv.join(' ')}: no ready line within ${timeoutMs} ms\n${err}`)) }, timeoutMs)
    child.stderr.on('data', d => { err += d })
    child.stdout.on('data', d => {
      out += d
      const m = READY.exec(out)
      if (m && timer) {
        clearTimeout(timer)
        child.stdout.removeAllListeners('data')
        child.stdout.resume()
        const metrics = METRICS.exec(out)
        resolve({ child, pid: child.pid, port: Number(m[1]), metricsPort: metrics ? Number(metrics[1]) : undefined, t0, readyMs: performance.now() - t0, stderr: () => err })
      }
    })
    child.on('error', e => { clearTimeout(timer); reject(e) })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`${argv.join(' ')} exited ${code} before it was ready\n${err}`)) })
  })
}

export function stop (server) {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => { clearTimeout(kill); resolve() })
    child.kill('SIGTERM')
  })
}

/** One request on a fresh connection → { status, headers, body: Buffer }. */
export function call (port, path, { method = 'GET', authorization = AUTH, body, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const headers = authorization ? { authorization } : {}
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    const req = request({ host: '127.0.0.1', port, path, method, headers, rejectUnauthorized: false, agent: false, timeout: timeoutMs }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** Spawn → ready line → first authenticated 200 on PATH; returns the ms and the running server. */
export async function coldStart (argv, { prefix, path = '/v1/bdbs' }) {
  const server = await start(argv, { prefix })
  const res = await call(server.port, path)
  const ms = performance.now() - server.t0
  if (res.status !== 200) throw new Error(`${argv.join(' ')}: GET ${path} answered ${res.status}`)
  return { ms, readyMs: server.readyMs, server }
}

/** Resident set size in bytes (Linux /proc, else ps). */
export function rss (pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    if (m) return Number(m[1]) * 1024
  } catch {}
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })
  return Number(r.stdout.trim()) * 1024
}

let clockTick
/** CPU time (user + system) a process has used, in ms; null where /proc is not there. */
export function cpuMs (pid) {
  try {
    // Fields after the command name (which may hold spaces) start at `state`: utime, stime are 12th, 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    clockTick ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
    return (Number(fields[11]) + Number(fields[12])) * 1000 / clockTick
  } catch {
    return null
  }
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
export const median = xs => {
  const s = xs.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return null
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
/** [a, b, c] rotated left by i: round i of an interleaved run. */
export const rotate = (xs, i) => xs.map((_, k) => xs[(k + i) % xs.length])

/**
 * The list's cost per database at N databases, per pair of neighbouring loads: LIST and FIXED are
 * the rounds' alternated results (`slices`: each slice's requests, `sliceCpuUs`: its server CPU per
 * request or null) of loads of SECONDS each; a pair is slice i of the list and slice i of the fixed
 * request, which ran next to each other. (list − fixed) server CPU per request ÷ N, in µs, or,
 * without /proc, (1/list − 1/fixed throughput) ÷ N. The median of these is the bench's figure.
 */
export function perDatabasePairs (list, fixed, n, seconds) {
  return list.flatMap((l, r) => {
    const f = fixed[r]
    const sliceSec = seconds / l.slices.length
    return l.slices.map((total, i) => l.sliceCpuUs[i] !== null && f.sliceCpuUs[i] !== null
      ? (l.sliceCpuUs[i] - f.sliceCpuUs[i]) / n
      : (sliceSec / total - sliceSec / f.slices[i]) / n * 1e6)
  })
}
