#!/usr/bin/env node
// The container image test, run by `npm run test:docker` (plain Node, no dependencies).
// Builds the Dockerfile, runs the image, and checks: the API answers (authenticated 200 with
// the fixture databases, 401 without a login), the HEALTHCHECK command passes (also when
// RS_MOCK_PORT moves the server), flags after the image name reach the mock, the process runs as
// uid 65532 with a 0600 key, and `docker stop` ends it gracefully through SIGTERM; the default
// image is at most 150 MB. Then the variant with Redis (`--target redis`): a database created
// through the API answers AUTH, SET and GET on its published port, and `docker stop` still ends
// it with exit 0. Prints the image size, the time from
// `docker run` to the first 200 and the stop time. With no docker engine answering it
// prints SKIP and exits 0. Containers are always removed.
import { spawnSync } from 'node:child_process'
import { request } from 'node:https'
import { connect, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const IMAGE = process.env.RS_MOCK_TEST_IMAGE ?? 'redis-enterprise-mock:test'
const REDIS_IMAGE = `${IMAGE}-redis`
const MAX_IMAGE_MB = 150
const AUTH = 'Basic ' + Buffer.from('admin@redis.local:admin').toString('base64')
const READY_WITHIN_MS = 30_000
const STOP_WITHIN_MS = 2_000 // SIGTERM → close-with-grace (800 ms at most) → exit; engine overhead on top
const ALT_PORT = 9555

// tap picks up every file under test/: this one builds an image, so it only runs on purpose.
if (process.env.TAP_CHILD_ID !== undefined) {
  console.log('1..0 # SKIP the image test runs with `npm run test:docker`')
  process.exit(0)
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
const firstLine = text => String(text ?? '').trim().split('\n').find(Boolean) ?? ''
const tail = (text, n = 40) => String(text ?? '').trimEnd().split('\n').slice(-n).join('\n')

/** docker ARGS → { status, stdout, stderr, error }; never throws. */
function docker (args, { timeout = 60_000, input } = {}) {
  const r = spawnSync('docker', args, { cwd: ROOT, encoding: 'utf8', timeout, input, maxBuffer: 64 * 1024 * 1024 })
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error }
}
function dockerOk (args, opts) {
  const r = docker(args, opts)
  if (r.error || r.status !== 0) {
    const why = r.error?.code === 'ETIMEDOUT' ? `timed out after ${(opts?.timeout ?? 60_000) / 1000} s` : `exit ${r.status}`
    throw new Error(`docker ${args.join(' ')}: ${why}\n${tail(r.stderr || r.stdout)}`)
  }
  return r.stdout.trim()
}

function freePort () {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** GET https://127.0.0.1:PORT/PATH → { status, body } (rejects on a network error). */
function get (port, path, headers = {}, timeout = 1000, method = 'GET', body) {
  return new Promise((resolve, reject) => {
    if (body !== undefined) headers = { ...headers, 'content-type': 'application/json' }
    const req = request({ host: '127.0.0.1', port, path, method, headers, rejectUnauthorized: false, agent: false, timeout }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })
}

/** Sends inline Redis commands to 127.0.0.1:PORT; resolves with what came back once `until` matches it. */
function redisExchange (port, text, until, timeout = 3000) {
  return new Promise((resolve, reject) => {
    let got = ''
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text))
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no full answer within ${timeout} ms: ${JSON.stringify(got)}`)) }, timeout)
    s.setEncoding('utf8')
    s.on('data', c => {
      got += c
      if (until.test(got)) { clearTimeout(timer); s.destroy(); resolve(got) }
    })
    s.on('error', e => { clearTimeout(timer); reject(e) })
  })
}

/** Polls every 20 ms until GET PATH answers 200; returns the response, or throws with the last failure. */
async function waitFor200 (id, port, path, headers) {
  const deadline = Date.now() + READY_WITHIN_MS
  let last = 'no answer'
  for (let i = 0; Date.now() < deadline; i++) {
    try {
      const res = await get(port, path, headers)
      if (res.status === 200) return res
      last = `HTTP ${res.status}`
    } catch (e) {
      last = e.code ?? e.message
    }
    if (i % 25 === 24 && docker(['inspect', '--format', '{{.State.Running}}', id]).stdout.trim() === 'false') {
      throw new Error(`the container exited before answering\n${containerLogs(id)}`)
    }
    await sleep(20)
  }
  throw new Error(`GET ${path} gave no 200 within ${READY_WITHIN_MS / 1000} s (last: ${last})\n${containerLogs(id)}`)
}

function containerLogs (id) {
  const r = docker(['logs', '--tail', '30', id], { timeout: 10_000 })
  return `--- container logs ---\n${tail(r.stdout + r.stderr, 30)}`
}

// ---- is there an engine? ------------------------------------------------------------------------
{
  const r = docker(['version', '--format', '{{.Server.Version}}'], { timeout: 8_000 })
  if (r.error || r.status !== 0 || r.stdout.trim() === '') {
    const why = r.error?.code === 'ENOENT'
      ? 'no docker command'
      : r.error?.code === 'ETIMEDOUT'
        ? '`docker version` did not answer within 8 s'
        : firstLine(r.stderr) || `docker version exited ${r.status}`
    console.log(`SKIP: no docker engine answers (${why}); the image test did not run`)
    process.exit(0)
  }
}

const results = []
const containers = []
let failed = false
function pass (name, detail = '') {
  results.push({ name, ok: true })
  console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`)
}
function fail (name, err) {
  failed = true
  results.push({ name, ok: false })
  console.log(`FAIL ${name}: ${err instanceof Error ? err.message : err}`)
}
async function check (name, fn) {
  try {
    const detail = await fn()
    pass(name, detail)
    return true
  } catch (e) {
    fail(name, e)
    return false
  }
}

const summary = { size: '?', ready: '?', stop: '?' }
const NO_IMAGE = new Error('no image to test')

try {
  // ---- build ----------------------------------------------------------------------------------
  console.log(`building ${IMAGE} from ${ROOT} ...`)
  const t0 = Date.now()
  if (!await check('docker build', () => {
    dockerOk(['build', '-t', IMAGE, '.'], { timeout: 10 * 60_000 })
    return `${((Date.now() - t0) / 1000).toFixed(1)} s`
  })) throw NO_IMAGE

  await check('image size', () => {
    const bytes = Number(dockerOk(['image', 'inspect', '--format', '{{.Size}}', IMAGE]))
    summary.size = (bytes / 1e6).toFixed(1)
    if (bytes / 1e6 > MAX_IMAGE_MB) throw new Error(`${summary.size} MB, above ${MAX_IMAGE_MB} MB`)
    return `${summary.size} MB`
  })

  // ---- flags after the image name reach the mock (ENTRYPOINT is the command, CMD is empty) --------
  await check('docker run IMAGE --help / --fresh-node: flags reach the mock', () => {
    const help = docker(['run', '--rm', IMAGE, '--help'], { timeout: 30_000 })
    if (help.status !== 0 || !help.stdout.startsWith('Usage: redis-enterprise-mock')) {
      throw new Error(`--help exited ${help.status} and printed: ${firstLine(help.stdout || help.stderr)}`)
    }
    // Detached, then `docker wait`: some engines do not pass a foreground run's exit status on.
    const bad = dockerOk(['run', '-d', IMAGE, '--fresh-node', '--port', '70000'])
    containers.push(bad)
    const status = dockerOk(['wait', bad], { timeout: 30_000 })
    const said = docker(['logs', bad], { timeout: 10_000 })
    if (status !== '2' || !/--port must be a whole number/.test(said.stderr + said.stdout)) {
      throw new Error(`--fresh-node --port 70000 exited ${status}: ${firstLine(said.stderr || said.stdout)}`)
    }
    return 'the mock\'s help; its own exit 2 for a bad --port'
  })

  // ---- run on the default port ------------------------------------------------------------------
  const port = await freePort()
  const runStart = Date.now()
  const id = dockerOk(['run', '-d', '--stop-timeout', '10', '-p', `127.0.0.1:${port}:9443`, IMAGE])
  containers.push(id)

  const ready = await check('run → authenticated GET /v1/bdbs 200', async () => {
    const res = await waitFor200(id, port, '/v1/bdbs', { authorization: AUTH })
    summary.ready = Date.now() - runStart
    const body = JSON.parse(res.body)
    if (!Array.isArray(body)) throw new Error(`the body is not a JSON array: ${res.body.slice(0, 200)}`)
    const named = body.filter(b => b !== null && typeof b === 'object' && 'uid' in b && 'name' in b)
    if (named.length === 0) throw new Error(`no element has uid and name: ${res.body.slice(0, 200)}`)
    return `${summary.ready} ms, ${body.length} databases: ${named.map(b => `${b.uid}:${b.name}`).join(', ')}`
  })

  if (ready) {
    await check('GET /v1/bdbs without a login is 401', async () => {
      const res = await get(port, '/v1/bdbs')
      if (res.status !== 401) throw new Error(`got HTTP ${res.status}`)
    })

    await check('HEALTHCHECK declared and passing (docker exec)', () => {
      const hc = dockerOk(['inspect', '--format', '{{json .Config.Healthcheck}}', id])
      if (!hc.includes('dist/healthcheck.js')) throw new Error(`the container has no HEALTHCHECK running dist/healthcheck.js: ${hc}`)
      dockerOk(['exec', id, '/nodejs/bin/node', 'dist/healthcheck.js'], { timeout: 15_000 })
      // the port comes from the file the server writes (RS_MOCK_PORT_FILE); without one, RS_MOCK_PORT
      const noFile = docker(['exec', '-e', 'RS_MOCK_PORT_FILE=/tmp/nowhere.port', id, '/nodejs/bin/node', 'dist/healthcheck.js'], { timeout: 15_000 })
      if (noFile.status !== 1) throw new Error(`with RS_MOCK_PORT_FILE naming no file it exited ${noFile.status}, not 1`)
      const wrong = docker(['exec', '-e', 'RS_MOCK_PORT_FILE=', '-e', `RS_MOCK_PORT=${ALT_PORT}`, id, '/nodejs/bin/node', 'dist/healthcheck.js'], { timeout: 15_000 })
      if (wrong.status !== 1) throw new Error(`with RS_MOCK_PORT pointing nowhere it exited ${wrong.status}, not 1`)
      return 'exit 0; exit 1 without the port file or when nothing listens'
    })

    await check('runs as uid 65532, key.pem mode 0600', () => {
      const out = dockerOk(['exec', id, '/nodejs/bin/node', '-e',
        'const fs=require("fs");const d=process.env.RS_MOCK_CERTS_DIR;' +
        'console.log(process.getuid(),d,(fs.statSync(d+"/key.pem").mode&0o777).toString(8))'], { timeout: 15_000 })
      if (out !== '65532 /app/certs 600') throw new Error(`expected "65532 /app/certs 600", got "${out}"`)
    })
  }

  // ---- stop: SIGTERM, graceful close ----------------------------------------------------------
  await check('docker stop (SIGTERM) is quick and graceful', () => {
    // -t: an explicit grace period, so the engine sends SIGTERM and waits (some engines kill at once without it).
    const s = Date.now()
    dockerOk(['stop', '-t', '10', id], { timeout: 30_000 })
    summary.stop = Date.now() - s
    const code = dockerOk(['inspect', '--format', '{{.State.ExitCode}}', id])
    if (code !== '0') throw new Error(`exit code ${code} after ${summary.stop} ms (0 means it closed itself on SIGTERM)\n${containerLogs(id)}`)
    if (summary.stop > STOP_WITHIN_MS) throw new Error(`took ${summary.stop} ms (limit ${STOP_WITHIN_MS} ms)`)
    return `${summary.stop} ms, exit 0`
  })

  // ---- RS_MOCK_PORT moves the server, and the healthcheck follows it ------------------------------
  const port2 = await freePort()
  const id2 = dockerOk(['run', '-d', '--stop-timeout', '10', '-e', `RS_MOCK_PORT=${ALT_PORT}`, '-p', `127.0.0.1:${port2}:${ALT_PORT}`, IMAGE])
  containers.push(id2)
  await check(`RS_MOCK_PORT=${ALT_PORT}: served there and HEALTHCHECK passes`, async () => {
    await waitFor200(id2, port2, '/_mock/health')
    dockerOk(['exec', id2, '/nodejs/bin/node', 'dist/healthcheck.js'], { timeout: 15_000 })
  })

  // ---- --port after the image name: the HEALTHCHECK finds the port the server listens on ------------
  const port4 = await freePort()
  const id4 = dockerOk(['run', '-d', '--stop-timeout', '10', '-p', `127.0.0.1:${port4}:9600`, IMAGE, '--port', '9600'])
  containers.push(id4)
  await check('--port 9600 after the image name: the declared HEALTHCHECK passes', async () => {
    await waitFor200(id4, port4, '/_mock/health')
    // the image's own HEALTHCHECK command, run as the engine runs it
    const test = JSON.parse(dockerOk(['inspect', '--format', '{{json .Config.Healthcheck.Test}}', id4]))
    if (test[0] !== 'CMD') throw new Error(`unexpected HEALTHCHECK ${JSON.stringify(test)}`)
    dockerOk(['exec', id4, ...test.slice(1)], { timeout: 15_000 })
    return test.slice(1).join(' ')
  })

  // ---- the variant with Redis: a database created through the API is a redis-server ----------------
  if (!await check('docker build --target redis', () => {
    const s = Date.now()
    dockerOk(['build', '--target', 'redis', '-t', REDIS_IMAGE, '.'], { timeout: 10 * 60_000 })
    return `${((Date.now() - s) / 1000).toFixed(1)} s, ${(Number(dockerOk(['image', 'inspect', '--format', '{{.Size}}', REDIS_IMAGE])) / 1e6).toFixed(1)} MB`
  })) throw NO_IMAGE
  const port3 = await freePort()
  const dbPort = await freePort()
  const id3 = dockerOk(['run', '-d', '--stop-timeout', '10', '-p', `127.0.0.1:${port3}:9443`, '-p', `127.0.0.1:${dbPort}:12500`, REDIS_IMAGE])
  containers.push(id3)
  await check('redis variant: POST /v1/bdbs → the database answers AUTH, SET, GET', async () => {
    await waitFor200(id3, port3, '/v1/bdbs', { authorization: AUTH })
    const created = await get(port3, '/v1/bdbs', { authorization: AUTH }, 5000, 'POST', JSON.stringify({ name: 'real', memory_size: 104857600, port: 12500, authentication_redis_pass: 'pw' }))
    if (created.status !== 200) throw new Error(`create: HTTP ${created.status} ${created.body}`)
    const deadline = Date.now() + 15_000
    for (;;) {
      try {
        const out = await redisExchange(dbPort, 'AUTH pw\r\nSET k v\r\nGET k\r\n', /\$1\r\nv\r\n$/)
        return JSON.stringify(out)
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${e.message}\n${containerLogs(id3)}`)
        await sleep(200)
      }
    }
  })
  await check('redis variant: docker stop ends the mock and its servers, exit 0', () => {
    dockerOk(['stop', '-t', '10', id3], { timeout: 30_000 })
    const code = dockerOk(['inspect', '--format', '{{.State.ExitCode}}', id3])
    if (code !== '0') throw new Error(`exit code ${code}\n${containerLogs(id3)}`)
  })
} catch (e) {
  if (e !== NO_IMAGE) fail('image test', e)
} finally {
  for (const id of containers) {
    const r = docker(['rm', '-f', '-v', id], { timeout: 30_000 })
    if (r.status !== 0) console.log(`warning: could not remove container ${id}: ${firstLine(r.stderr)}`)
  }
}

const passed = results.filter(r => r.ok).length
console.log([
  '',
  `docker image ${IMAGE}`,
  `  image size        ${summary.size} MB`,
  `  run → first 200   ${summary.ready} ms`,
  `  stop (SIGTERM)    ${summary.stop} ms`,
  `${passed} passed, ${results.length - passed} failed`
].join('\n'))
if (failed) {
  console.log('FAILED: the container image test found problems (see FAIL lines above)')
  process.exit(1)
}
