// The container: image size, and `docker run` → first authenticated 200 (certificate kept in a
// named volume, as the README recommends, so no run pays for generating it), beside the engine's
// floor: the same run of a bare node:https server from the same image.
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

// The engine's floor: bare node:https in the same image, with the same certificate, volume, port
// and CPU, answering 200 to any request. What a container run costs before the mock does anything.
const FLOOR_SERVER = "const f=require('fs');require('https').createServer({key:f.readFileSync('/app/certs/key.pem'),cert:f.readFileSync('/app/certs/cert.pem')},(q,s)=>s.end('{}')).listen(9443)"

/** `docker run` → first 200 in ms: of the mock, or with `floor` (the image's node binary) of FLOOR_SERVER. */
async function runOnce (env, cpuArgs, floor) {
  const port = await freePort()
  const name = `rs-mock-bench-${process.pid}-${port}`
  const what = floor === undefined ? [IMAGE] : ['--entrypoint', floor, IMAGE, '-e', FLOOR_SERVER]
  const t0 = performance.now()
  const child = spawn('docker', ['run', '--rm', '--name', name, ...cpuArgs, '-v', `${VOLUME}:/app/certs`, '-p', `127.0.0.1:${port}:9443`, ...what],
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
  // The floor's runs alternate with the mock's (which goes first alternates too): the engine's
  // speed drifts by more than the mock's start costs.
  // The floor is an aside: an image whose entrypoint is not node, or a floor run that fails, leaves it out.
  let node
  try { node = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config.Entrypoint}}', IMAGE], engine.env).out)?.[0] } catch {}
  const samples = []
  const floorSamples = []
  for (let i = 0; i < runs; i++) {
    for (const floor of i % 2 === 0 ? [false, true] : [true, false]) {
      if (!floor) samples.push(await runOnce(engine.env, cpuArgs))
      else if (typeof node === 'string') {
        try {
          floorSamples.push(await runOnce(engine.env, cpuArgs, node))
        } catch (e) {
          log(`docker: the engine's floor left out (${e.message})`)
          node = undefined
        }
      }
    }
  }
  const floorMs = floorSamples.length > 0 && node !== undefined ? median(floorSamples) : null
  return { engine: engine.version, imageBytes, buildSeconds, runToFirst200Ms: median(samples), samples, floorMs, floorSamples, cpuset: cpuArgs.length > 0 }
}
