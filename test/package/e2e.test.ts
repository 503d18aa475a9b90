// Over a real HTTPS socket on port 0: TLS, real Authorization parsing, the server entry,
// and the three client styles of the README (curl, Node https, Python requests).
import t from 'tap'
import { request } from 'node:https'
import { spawnSync, execFile } from 'node:child_process'
import { join } from 'node:path'
import { loadConfig, type Config } from '../../src/config.js'
import { startServer } from '../../src/server.js'

function get (url: string, options: { auth?: string, ca?: string } = {}): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: options.ca !== undefined, ca: options.ca, auth: options.auth, headers: { accept: 'application/json' } }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', c => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0
// Asynchronous on purpose: the server answers from this same process.
const exec = (cmd: string, args: string[]) => new Promise<{ status: number, stdout: string, stderr: string }>(resolve => {
  execFile(cmd, args, { encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) =>
    resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }))
})

t.test('HTTPS end to end', async t => {
  const certsDir = join(t.testdir(), 'certs')
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--certs-dir', certsDir, '--log-level', 'silent'], {}) as Config
  const server = await startServer(config)
  t.teardown(() => server.close())
  t.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.not(server.port, 0, 'the real port, not 0')
  const url = `${server.url}/v1/bdbs?fields=uid,name`

  t.test('Node https.request with rejectUnauthorized: false', async t => {
    const res = await get(url, { auth: 'admin@redis.local:admin' })
    t.equal(res.status, 200)
    t.equal(res.headers.server, 'envoy')
    const list = JSON.parse(res.body) as Array<Record<string, unknown>>
    t.ok(list.length >= 3)
    t.same(Object.keys(list[0]), ['name', 'uid'])
    const denied = await get(url)
    t.equal(denied.status, 401)
    t.equal(JSON.parse(denied.body).error_code, 'unauthorized')
    t.equal(denied.headers['www-authenticate'], 'Basic realm="Redis Enterprise"')
  })

  t.test('the generated certificate verifies as a CA for localhost', async t => {
    const res = await get(url.replace('127.0.0.1', 'localhost'), { auth: 'admin@redis.local:admin', ca: server.ca })
    t.equal(res.status, 200)
  })

  t.test('curl -k -i -u', { skip: !has('curl', ['--version']) && 'curl is not installed' }, async t => {
    const out = await exec('curl', ['-sS', '-k', '-i', '-u', 'admin@redis.local:admin', url])
    t.equal(out.status, 0, out.stderr)
    t.match(out.stdout, /^HTTP\/1\.1 200/)
    t.match(out.stdout, /cluster-state-id: \d+/)
    t.match(out.stdout, /"uid":1/)
    const strict = await exec('curl', ['-sS', '--cacert', join(certsDir, 'cert.pem'), '-u', 'admin@redis.local:admin', url.replace('127.0.0.1', 'localhost')])
    t.equal(strict.status, 0, `curl --cacert certs/cert.pem verifies without -k: ${strict.stderr}`)
  })

  const python = has('python3', ['-c', 'import requests'])
  if (!python) t.comment('SKIP python: python3 with the requests module is not installed (apt-get install python3-requests)')
  t.test('Python requests with verify=False', { skip: !python && 'python3-requests is not installed' }, async t => {
    const script = [
      'import sys, requests, urllib3',
      'urllib3.disable_warnings()',
      'r = requests.get(sys.argv[1], auth=("admin@redis.local", "admin"), verify=False)',
      'print(r.status_code, r.json()[0]["name"])'
    ].join('\n')
    const out = await exec('python3', ['-c', script, url])
    t.equal(out.status, 0, out.stderr)
    t.match(out.stdout, /^200 \S+/)
  })
})
