// The built command as a user runs it: `node dist/cli.js` (npm test builds dist first).
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { request } from 'node:https'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 })

t.test('bad values exit non-zero with one sentence and no stack trace', async t => {
  const dir = t.testdir({ 'garbage.pem': 'hello' })
  for (const [args, re] of [
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--fixtures', join(dir, 'missing')], /fixtures directory .* does not exist/],
    [['--port', '0', '--certs-dir', dir, '--cert', join(dir, 'nope.pem'), '--key', join(dir, 'garbage.pem')], /Cannot read the certificate .*nope\.pem/],
    [['--port', '0', '--certs-dir', dir, '--cert', join(dir, 'garbage.pem'), '--key', join(dir, 'garbage.pem')], /not a PEM file/]
  ] as Array<[string[], RegExp]>) {
    const out = run(args)
    t.equal(out.status, 2, args.join(' '))
    t.match(out.stderr, re)
    t.equal(out.stderr.trim().split('\n').length, 1, 'one line')
    t.notMatch(out.stderr, /\s+at /, 'no stack trace')
  }
})

t.test('--help', async t => {
  const out = run(['--help'])
  t.equal(out.status, 0)
  t.match(out.stdout, /--port .*RS_MOCK_PORT/)
  t.match(out.stdout, /--fresh-node .*RS_MOCK_FRESH_NODE/)
})

t.test('prints one ready line with the real port, serves, and exits on SIGTERM', async t => {
  const certs = join(t.testdir(), 'certs')
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--log-level', 'warn'], {
    env: { ...process.env, RS_MOCK_PORT: '0', RS_MOCK_CERTS_DIR: certs }
  })
  t.teardown(() => { child.kill('SIGKILL') })
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    child.on('exit', code => reject(new Error(`exited ${code}`)))
  })
  t.match(line, /^redis-enterprise-mock ready on https:\/\/127\.0\.0\.1:(\d+) \(login admin@redis\.local \/ admin\)$/)
  const port = Number(/:(\d+) /.exec(line)?.[1])
  t.not(port, 0)
  const status = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/v1/bdbs', auth: 'admin@redis.local:admin', rejectUnauthorized: false }, res => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end()
  })
  t.equal(status, 200)
  const started = Date.now()
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => resolve(c)); child.kill('SIGTERM') })
  t.equal(code, 0, 'clean exit on SIGTERM')
  t.comment(`SIGTERM → exit in ${Date.now() - started} ms`)
})
