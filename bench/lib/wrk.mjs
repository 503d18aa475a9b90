// Load generation from outside: wrk (one thread, its own process, on the client CPU this harness
// is pinned to), as an independent measurement would run it. `npm run bench` uses it when wrk is
// installed (Debian's `wrk` package) and falls back to autocannon in this process when it is not.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AUTH } from './proc.mjs'

// wrk's done() hook prints one line of JSON; its latencies are in µs.
const REPORT = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK-RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`

/** wrk's version line, or null when it is not installed. */
export function wrkVersion () {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' })
  if (r.error) return null
  const m = /wrk (\S+)/.exec(`${r.stdout}${r.stderr}`)
  return m ? m[1] : null
}

let scriptDir
function script () {
  if (scriptDir === undefined) {
    scriptDir = mkdtempSync(join(tmpdir(), 'rs-mock-wrk-'))
    writeFileSync(join(scriptDir, 'report.lua'), REPORT)
    process.once('exit', () => rmSync(scriptDir, { recursive: true, force: true }))
  }
  return join(scriptDir, 'report.lua')
}

/** GET PATH on PORT with AUTHORIZATION (the admin's by default; null: none): { rps, p50, p99 (ms), total, non2xx, errors }. */
export function wrkLoad (port, path, { authorization = AUTH, connections, duration }) {
  const argv = ['-t1', `-c${connections}`, `-d${duration}s`, '-s', script(),
    ...(authorization ? ['-H', `authorization: ${authorization}`] : []), `https://127.0.0.1:${port}${path}`]
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', d => { out += d })
    child.stderr.on('data', d => { out += d })
    child.on('error', reject)
    child.on('exit', code => {
      const m = /WRK-RESULT (\{.*\})/.exec(out)
      if (code !== 0 || !m) return reject(new Error(`wrk ${argv.join(' ')} exited ${code}:\n${out}`))
      const r = JSON.parse(m[1])
      resolve({
        rps: r.requests / (r.duration_us / 1e6),
        p50: r.p50_us / 1000,
        p99: r.p99_us / 1000,
        total: r.requests,
        non2xx: r.non2xx,
        errors: r.errors
      })
    })
  })
}
