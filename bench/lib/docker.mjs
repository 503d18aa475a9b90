// The container: image size, and `docker run` → first authenticated 200 (certificate kept in a
// named volume, as the README recommends, so no run pays for generating it).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { call, median, ROOT, sleep } from './proc.mjs'

const IMAGE = 'redis-enterprise-mock:bench'
const VOLUME = 'redis-enterprise-mock-bench-certs'
// An engine some machines run outside the default socket; used only when DOCKER_HOST is unset.
const FALLBACK_HOST = 'unix:///var/tmp/docker-engine/docker.sock'

function docker (args, env, { timeout = 60_000 } = {}) {
  const r = spawnSync('docker', args, { cwd: ROOT, encoding: 'utf8', timeout, env, maxBuffer: 64 << 20 })
  return { ok: !r.error && r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() || r.error?.message || '' }
}

/** An env whose docker answers `docker version` within a few seconds, or a reason why none does. */
export function findEngine () {
  const tries = [process.env]
  if (process.env.DOCKER_HOST === undefined && existsSync(FALLBACK_HOST.slice(7))) tries.push({ ...process.env, DOCKER_HOST: FALLBACK_HOST })
  let why = ''
  for (const env of tries) {
    const r = docker(['version', '--format', '{{.Server.Version}}'], env, { timeout: 5000 })
    if (r.ok && r.out) return { env, version: r.out, host: env.DOCKER_HOST ?? 'default socket' }
    why = r.err.split('\n')[0] || 'no answer'
  }
  return { env: null, why }
}

function freePort () {
  return new Promise((resolve, reject) => {
    const srv = createServer().on('error', reject)
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)) })
  })
}

async function runOnce (env, cpuArgs) {
  const port = await freePort()
  const name = `rs-mock-bench-${process.pid}-${port}`
  const t0 = performance.now()
  const child = spawn('docker', ['run', '--rm', '--name', name, ...cpuArgs, '-v', `${VOLUME}:/app/certs`, '-p', `127.0.0.1:${port}:9443`, IMAGE],
    { cwd: ROOT, env, stdio: 'ignore' })
  try {
    for (const deadline = t0 + 30_000; performance.now() < deadline;) {
      try {
        const res = await call(port, '/v1/bdbs', { timeoutMs: 2000 })
        if (res.status === 200) return performance.now() - t0
      } catch {}
      if (child.exitCode !== null) throw new Error(`docker run exited ${child.exitCode}`)
      await sleep(5)
    }
    throw new Error('no 200 within 30 s')
  } finally {
    docker(['rm', '-f', name], env, { timeout: 30_000 })
  }
}

/** Builds the image, then measures size and run → first 200 (median of `runs`). */
export async function measureDocker ({ runs, pinned, log }) {
  const engine = findEngine()
  if (engine.env === null) return { skipped: `no docker engine (${engine.why})` }
  log(`docker: engine ${engine.version} at ${engine.host}; building ${IMAGE} ...`)
  const t = performance.now()
  const build = docker(['build', '-q', '-t', IMAGE, '.'], engine.env, { timeout: 15 * 60_000 })
  if (!build.ok) return { skipped: `docker build failed: ${build.err.split('\n').slice(-3).join(' ')}` }
  const buildSeconds = (performance.now() - t) / 1000
  const imageBytes = Number(docker(['image', 'inspect', '--format', '{{.Size}}', IMAGE], engine.env).out)
  const cpuArgs = pinned ? ['--cpuset-cpus', '0'] : []
  const probe = docker(['run', '--rm', ...cpuArgs, IMAGE, '--help'], engine.env)
  if (!probe.ok && cpuArgs.length) cpuArgs.length = 0 // engines without cpuset control
  // The first run writes the certificate into the volume; it is not counted.
  await runOnce(engine.env, cpuArgs)
  const samples = []
  for (let i = 0; i < runs; i++) samples.push(await runOnce(engine.env, cpuArgs))
  return { engine: engine.version, imageBytes, buildSeconds, runToFirst200Ms: median(samples), samples, cpuset: cpuArgs.length > 0 }
}
