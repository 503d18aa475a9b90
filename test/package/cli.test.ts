// The built command as a user runs it: `node dist/cli.js` (npm test builds dist first).
import t from 'tap'
import type { Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { request } from 'node:https'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { X509Certificate } from 'node:crypto'
import { cliPath as cli, LOCAL, spawnCli } from '../helpers/cli.js'

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 })

t.test('bad values exit non-zero with one sentence and no stack trace', async t => {
  const dir = t.testdir({ 'garbage.pem': 'hello', 'torn.json': '{"format":' })
  for (const [args, re] of [
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--fixtures', join(dir, 'missing')], /fixtures directory .* does not exist/],
    [['--port', '0', '--certs-dir', dir, '--cert', join(dir, 'nope.pem'), '--key', join(dir, 'garbage.pem')], /Cannot read the certificate .*nope\.pem/],
    [['--port', '0', '--certs-dir', dir, '--cert', join(dir, 'garbage.pem'), '--key', join(dir, 'garbage.pem')], /not a PEM file/],
    [['--port', '0', '--certs-dir', dir, '--scenario', 'nope'], /Cannot load the scenario "nope": Scenario 'nope' does not exist/],
    [['--port', '0', '--certs-dir', dir, '--state-file', join(dir, 'torn.json')], /state file .*torn\.json is not valid JSON.*left as it is/]
  ] as Array<[string[], RegExp]>) {
    const out = run(args)
    t.equal(out.status, 2, args.join(' '))
    t.match(out.stderr, re)
    t.equal(out.stderr.trim().split('\n').length, 1, 'one line')
    t.notMatch(out.stderr, /\s+at /, 'no stack trace')
  }
  t.equal(readFileSync(join(dir, 'torn.json'), 'utf8'), '{"format":', 'a corrupt state file is never overwritten')
})

t.test('--help', async t => {
  const out = run(['--help'])
  t.equal(out.status, 0)
  t.match(out.stdout, /--port .*RS_MOCK_PORT/)
  t.match(out.stdout, /--fresh-node .*RS_MOCK_FRESH_NODE/)
  for (const re of [/--state-file .*RS_MOCK_STATE_FILE/, /--control-token .*RS_MOCK_CONTROL_TOKEN/, /--no-control .*RS_MOCK_CONTROL /,
    /--scenario .*RS_MOCK_SCENARIO/, /--transition-delay-ms .*RS_MOCK_TRANSITION_DELAY_MS/, /--journal-size .*RS_MOCK_JOURNAL_SIZE/,
    /--log-format .*RS_MOCK_LOG_FORMAT/]) t.match(out.stdout, re)
})

t.test('prints one ready line with the real port, serves, and exits on SIGTERM', async t => {
  const certs = join(t.testdir(), 'certs')
  const { child, ready } = spawnCli(['--host', '127.0.0.1', '--log-level', 'warn', '--log-format', 'text'], { RS_MOCK_PORT: '0', RS_MOCK_CERTS_DIR: certs })
  t.teardown(() => { child.kill('SIGKILL') })
  const { line, port } = await ready
  t.match(line, /^redis-enterprise-mock ready on https:\/\/127\.0\.0\.1:(\d+) \(login admin@redis\.local \/ admin; metrics https:\/\/127\.0\.0\.1:\d+\/v2\)$/)
  t.not(port, 0)
  const status = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/v1/bdbs', auth: 'admin@redis.local:admin', rejectUnauthorized: false }, res => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end()
  })
  t.equal(status, 200)
  // the exporter's renderer is not in the command's bundle: it loads from dist/metrics/ on the first scrape
  const metricsPort = Number(/metrics https:\/\/127\.0\.0\.1:(\d+)\/v2/.exec(line)![1])
  const scrape = await new Promise<{ status: number, body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: metricsPort, path: '/v2', rejectUnauthorized: false }, res => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() }).on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject).end()
  })
  t.equal(scrape.status, 200)
  t.match(scrape.body, /^# TYPE db_memory_limit_bytes gauge$/m, 'the command serves /v2')
  const started = Date.now()
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => resolve(c)); child.kill('SIGTERM') })
  t.equal(code, 0, 'clean exit on SIGTERM')
  t.comment(`SIGTERM → exit in ${Date.now() - started} ms`)
})

t.test('JSON logs: the ready line is a pino record too; --no-control keeps only health', async t => {
  const certs = join(t.testdir(), 'certs')
  const { child, ready } = spawnCli(['--host', '127.0.0.1', '--port', '0', '--log-format', 'json', '--no-control', '--scenario', 'empty-cluster'], { RS_MOCK_CERTS_DIR: certs })
  t.teardown(() => { child.kill('SIGKILL') })
  const record = JSON.parse((await ready).line) as Record<string, unknown>
  t.match(record, { level: 30, msg: /^redis-enterprise-mock ready on https:\/\/127\.0\.0\.1:\d+ / })
  const port = Number(/:(\d+)$/.exec(String(record.url))?.[1])
  const status = (path: string, method = 'GET') => new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method, auth: 'admin@redis.local:admin', rejectUnauthorized: false }, res => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end()
  })
  t.equal(await status('/_mock/health'), 200)
  t.equal(await status('/_mock/reset', 'POST'), 404)
  t.equal(await status('/v1/bdbs/1'), 404, 'started from the empty-cluster scenario')
})

t.test('text log lines for a terminal', async t => {
  const { textLine, resolveLogFormat } = await import('../../src/base/log-format.js')
  t.equal(resolveLogFormat('auto', true), 'text')
  t.equal(resolveLogFormat('auto', false), 'json')
  t.equal(resolveLogFormat('json', true), 'json')
  const line = textLine(JSON.stringify({ level: 50, time: Date.parse('2026-01-01T12:34:56.789Z'), pid: 1, hostname: 'h', msg: 'request failed', reqId: 'req-1', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }))
  t.equal(line, '12:34:56.789 ERROR request failed reqId=req-1 err="Error: boom\\n    at x"\n')
  t.equal(textLine('not json'), 'not json')
})

t.test('--admin-email and --admin-password (and their environment twins) change the admin login', async t => {
  const certs = join(t.testdir(), 'certs')
  const { child, ready } = spawnCli(['--host', '127.0.0.1', '--log-level', 'warn', '--log-format', 'text', '--admin-email', 'ops@example.com'],
    { RS_MOCK_PORT: '0', RS_MOCK_CERTS_DIR: certs, RS_MOCK_ADMIN_PASSWORD: 'Op3rator!' })
  t.teardown(() => { child.kill('SIGKILL') })
  const { line, port } = await ready
  t.match(line, /\(login ops@example\.com \/ Op3rator!; metrics https:\/\/[^ ]+\/v2\)$/)
  const status = (auth: string) => new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/v1/bdbs', auth, rejectUnauthorized: false }, res => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end()
  })
  t.equal(await status('ops@example.com:Op3rator!'), 200, 'the new login works')
  t.equal(await status('admin@redis.local:admin'), 401, 'the default login does not')
})

t.test('the mock\'s log: levels, pino JSON lines, and pino loaded only for a line it writes', async t => {
  const { createLog } = await import('../../src/base/log.js')
  const lines: string[] = []
  const log = createLog({ level: 'warn', stream: { write: (s: string) => { lines.push(s) } } })
  t.notOk(log.enabled('info'))
  t.ok(log.enabled('error'))
  log.info({ a: 1 }, 'not written')
  log.debug({ a: 1 }, 'not written')
  log.warn({ b: 2 }, 'written')
  t.equal(lines.length, 1)
  t.match(JSON.parse(lines[0]), { level: 40, b: 2, msg: 'written' })
  const silent = createLog(false)
  t.notOk(silent.enabled('fatal'))
  silent.error({}, 'nowhere')
  // In a process of its own: nothing logged, pino never loaded; one line written, loaded.
  const probe = (write: boolean) => spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { createRequire } from 'node:module'
    const { createLog } = await import(${JSON.stringify(new URL('../../dist/base/log.js', import.meta.url).href)})
    const log = createLog({ level: 'warn', stream: { write () {} } })
    log.info({}, 'below the level')
    ${write ? "log.error({}, 'written')" : ''}
    const cache = createRequire(import.meta.url).cache
    process.stdout.write(String(Object.keys(cache).some(k => /[\\/]pino[\\/]pino\\.js$/.test(k))))`], { encoding: 'utf8' })
  t.equal(probe(false).stdout, 'false', 'nothing logged: pino not loaded')
  t.equal(probe(true).stdout, 'true', 'a line written: pino loaded')
})

t.test('a 500 is logged with its request id', async t => {
  const { buildTestApp } = await import('../helpers/app.js')
  const lines: string[] = []
  const { call } = await buildTestApp(t, { logger: { level: 'error', stream: { write: (s: string) => { lines.push(s) } } } })
  await call('POST', '/_mock/faults', { body: { path: '/v1/cluster', action: { status: 500 } } })
  t.equal((await call('GET', '/v1/cluster')).statusCode, 500)
  t.equal((await call('GET', '/v1/bdbs')).statusCode, 200)
  t.equal(lines.length, 1)
  t.match(JSON.parse(lines[0]), { level: 50, msg: 'request failed', reqId: /^req-/, err: { message: /Fault injected/ } })
})

t.test('--cert and --key: the user\'s own certificate is served, nothing is generated', async t => {
  const { loadTls } = await import('../../src/tls.js')
  const dir = t.testdir()
  const own = join(dir, 'own')
  const pair = await loadTls({ certsDir: own, certNames: ['own.example'] })
  const certsDir = join(dir, 'certs')
  const { child, ready } = spawnCli([...LOCAL, '--certs-dir', certsDir, '--cert', join(own, 'cert.pem'), '--key', join(own, 'key.pem')])
  t.teardown(() => { child.kill('SIGKILL') })
  const { port } = await ready
  const served = await new Promise<string>((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'own.example', ca: pair.cert }, () => {
      resolve(socket.getPeerCertificate().fingerprint256)
      socket.end()
    })
    socket.on('error', reject)
  })
  t.equal(served, new X509Certificate(pair.cert).fingerprint256, 'the PEM given, verified against itself as CA')
  t.notOk(existsSync(join(certsDir, 'cert.pem')), 'no certificate generated')
})

t.test('certificates in --certs-dir: a junk key.pem exits 2 in one sentence; a missing --cert-names name regenerates, logged', async t => {
  const { loadTls } = await import('../../src/tls.js')
  const certs = join(t.testdir(), 'certs')
  const first = await loadTls({ certsDir: certs })
  const { writeFileSync } = await import('node:fs')
  writeFileSync(join(certs, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nMIIjunk\n-----END PRIVATE KEY-----\n')
  const junk = run(['--port', '0', '--certs-dir', certs])
  t.equal(junk.status, 2)
  t.match(junk.stderr, /^redis-enterprise-mock: The private key .*key\.pem is not a valid PEM private key \(delete cert\.pem and key\.pem there to have a new pair generated\)\.\n$/)
  writeFileSync(join(certs, 'key.pem'), first.key)
  const { child, ready } = spawnCli([...LOCAL, '--log-format', 'json', '--certs-dir', certs, '--cert-names', 'mock.example'])
  t.teardown(() => { child.kill('SIGKILL') })
  let out = ''
  child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  await ready
  const x = new X509Certificate(readFileSync(join(certs, 'cert.pem'), 'utf8'))
  t.ok(x.checkHost('mock.example'), 'the certificate now names mock.example')
  const record = JSON.parse(out.split('\n')[0]) as Record<string, unknown>
  t.match(record, { level: 40, msg: /^generated a new certificate in .*certs: it lacks the requested name mock\.example$/ })
  t.notOk(new X509Certificate(first.cert).checkHost('mock.example'), 'the old one did not')
})

t.test('the default host listens dual-stack: [::1] and 127.0.0.1 both answer', async t => {
  const { wildcardHost } = await import('../../src/server.js')
  t.equal(wildcardHost('::', { lo: [{ family: 'IPv4' }] } as never), '0.0.0.0', 'no IPv6 on the machine: IPv4')
  t.equal(wildcardHost('127.0.0.1', {}), '127.0.0.1')
  const { child, ready } = spawnCli(['--port', '0', '--log-level', 'warn', '--certs-dir', join(t.testdir(), 'certs')])
  t.teardown(() => { child.kill('SIGKILL') })
  const { line, port } = await ready
  t.match(line, /ready on https:\/\/localhost:\d+ /)
  for (const host of ['::1', '127.0.0.1']) {
    const status = await new Promise<number | string>(resolve => {
      request({ host, port, path: '/_mock/health', rejectUnauthorized: false }, res => { res.resume(); resolve(res.statusCode ?? 0) })
        .on('error', e => resolve((e as NodeJS.ErrnoException).code ?? e.message)).end()
    })
    t.equal(status, 200, `https://${host.includes(':') ? `[${host}]` : host}:${port}`)
  }
})

t.test('-h, --version, and columns of --help aligned', async t => {
  const short = run(['-h'])
  t.equal(short.status, 0)
  t.equal(short.stdout, run(['--help']).stdout, '-h is --help')
  const rows = short.stdout.split('\n').filter(l => l.startsWith('  '))
  t.ok(rows.length > 25)
  const at = (row: string, re: RegExp) => row.search(re)
  const envColumn = new Set(rows.filter(r => /RS_MOCK_/.test(r)).map(r => at(r, /RS_MOCK_/)))
  t.equal(envColumn.size, 1, 'every environment name starts in one column')
  const meaning = at(rows[0], /meaning/)
  for (const r of rows) t.match(r.slice(meaning - 2, meaning), /^ {2}$/, `the meaning column starts at ${meaning}: ${r.trim().slice(0, 30)}`)
  t.match(short.stdout, /-h, --help/)
  const version = run(['--version'])
  t.equal(version.status, 0)
  t.equal(version.stdout, `${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}\n`)
})

t.test('a busy port or an address that cannot be bound: exit 2 with one sentence', async t => {
  const busy = createServer()
  await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => busy.close())
  const port = (busy.address() as { port: number }).port
  const certs = join(t.testdir(), 'certs')
  for (const [args, re] of [
    [['--host', '127.0.0.1', '--port', String(port)], new RegExp(`^redis-enterprise-mock: Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use \\(choose another --port\\)\\.\n$`)],
    [['--host', '192.0.2.1', '--port', '0'], /^redis-enterprise-mock: Cannot listen on 192\.0\.2\.1.*: the address is not one of this machine's \(check --host\)\.\n$/],
    [['--host', 'no-such-host.invalid', '--port', '0'], /^redis-enterprise-mock: Cannot listen on no-such-host\.invalid.*: the host name does not resolve \(check --host\)\.\n$/]
  ] as Array<[string[], RegExp]>) {
    const out = run([...args, '--certs-dir', certs, '--log-level', 'silent'])
    t.equal(out.status, 2, args.join(' '))
    t.match(out.stderr, re)
  }
})

t.test('logs: debug has one line per request without secrets; a 505 is no error; warn JSON ready line; silent prints only the ready line', async t => {
  const certs = join(t.testdir(), 'certs')
  const start = (args: string[]) => {
    const p = spawnCli(['--host', '127.0.0.1', '--port', '0', '--certs-dir', certs, ...args])
    t.teardown(() => { p.child.kill('SIGKILL') })
    let out = ''
    p.child.stdout.on('data', (c: Buffer) => { out += c.toString() })
    return { ...p, out: () => out }
  }
  const call = (port: number, path: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false, agent: false }, res => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)) }).on('error', reject).end()
  })
  const stop = async (p: ReturnType<typeof start>) => { p.child.kill('SIGTERM'); await p.exited }
  const basic = 'Basic ' + Buffer.from('admin@redis.local:admin').toString('base64')

  const debug = start(['--log-level', 'debug', '--log-format', 'json'])
  const { port } = await debug.ready
  t.equal(await call(port, '/v1/bdbs?fields=uid&token=s3cret', { authorization: basic }), 200)
  t.equal(await call(port, '/v1/bdbs', { authorization: basic, 'x-api-version': '9' }), 505)
  t.equal(await call(port, '/v1/bdbs', { authorization: 'Bearer abc.def.ghi' }), 401)
  await stop(debug)
  const records = debug.out().split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
  const requests = records.filter(r => r.msg === 'request')
  t.match(requests, [
    { level: 20, method: 'GET', path: '/v1/bdbs', status: 200, ms: Number, user: 'admin@redis.local' },
    { level: 20, method: 'GET', path: '/v1/bdbs', status: 505, user: 'admin@redis.local' },
    { level: 20, method: 'GET', path: '/v1/bdbs', status: 401 }
  ])
  t.equal(requests.length, 3)
  t.notMatch(debug.out(), /s3cret|abc\.def|admin@redis\.local:admin|YWRtaW5AcmVkaXMubG9jYWw6YWRtaW4=|"level":50/, 'no secret, no error line')

  const info = start(['--log-level', 'info', '--log-format', 'json'])
  const infoPort = (await info.ready).port
  t.equal(await call(infoPort, '/v1/bdbs', { authorization: basic, 'x-api-version': '9' }), 505)
  await stop(info)
  t.same(info.out().trim().split('\n').map(l => (JSON.parse(l) as { msg: string }).msg.slice(0, 29)), ['redis-enterprise-mock ready o'], 'a 505 logs nothing at info')

  const warn = start(['--log-level', 'warn', '--log-format', 'json'])
  const warnLine = (await warn.ready).line
  t.match(JSON.parse(warnLine), { level: 30, msg: /^redis-enterprise-mock ready on https:\/\/127\.0\.0\.1:\d+ /, url: /^https:/, pid: Number, time: Number })

  const silent = start(['--log-level', 'silent', '--log-format', 'json'])
  const silentPort = (await silent.ready).port
  t.equal(await call(silentPort, '/v1/bdbs', { authorization: basic, 'x-api-version': '9' }), 505)
  await stop(silent)
  t.match(silent.out(), /^redis-enterprise-mock ready on https:\/\/127\.0\.0\.1:\d+ \(login admin@redis\.local \/ admin; metrics https:\/\/127\.0\.0\.1:\d+\/v2\)\n$/, 'silent: the plain ready line and nothing else')
  t.equal(silent.stderr(), '')
})

t.test('built, the certificate is made in a process of its own: its x509 stack never loads into the server', async t => {
  const dir = join(t.testdir(), 'certs')
  // @peculiar/x509 (under selfsigned) installs Reflect.getMetadata wherever it loads.
  const probe = (inProcess: boolean) => spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { loadTls } = await import(${JSON.stringify(new URL('../../dist/tls.js', import.meta.url).href)})
    ${inProcess ? `await import(${JSON.stringify(new URL('../../dist/tls-generate.js', import.meta.url).href)}).then(m => m.selfSigned([{ type: 2, value: 'x' }], Date.now()))` : ''}
    const tls = await loadTls({ certsDir: ${JSON.stringify(dir)}, certNames: ['gen.example'] })
    process.stdout.write(JSON.stringify({ generated: tls.generated, cert: tls.cert, key: tls.key, x509Loaded: typeof Reflect.getMetadata === 'function' }))`], { encoding: 'utf8', timeout: 20_000 })
  const made = JSON.parse(probe(false).stdout)
  t.equal(made.generated, true)
  t.equal(made.x509Loaded, false, 'selfsigned did not load in the calling process')
  const x = new X509Certificate(made.cert)
  t.match(x.subjectAltName, 'DNS:gen.example')
  t.ok(x.checkPrivateKey((await import('node:crypto')).createPrivateKey(made.key)), 'the key belongs to the certificate')
  t.equal(readFileSync(join(dir, 'cert.pem'), 'utf8'), made.cert, 'written to the certs directory')
  // the probe can tell: the same stack loaded in the process is seen
  t.equal(JSON.parse(probe(true).stdout).x509Loaded, true, 'an in-process generation is seen by the probe')
})

/** The command's debug record once it is ready: V8's young generation then (young-generation.ts). */
type StartedRecord = { young_generation_bytes: number, rss_bytes: number, tick_shapes_kept: number, inlining_budget: number | null }
async function startedRecord (t: Test, nodeArgs: string[]): Promise<StartedRecord> {
  const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--log-level', 'debug', '--log-format', 'json', '--metrics-port', 'off', '--certs-dir', join(t.testdir(), 'certs')],
    {}, nodeArgs, { bare: true })
  t.teardown(() => { cli.child.kill('SIGKILL') })
  await cli.ready
  // written right after the ready line
  for (let waited = 0; waited < 10_000; waited += 20) {
    const line = cli.stdout().split('\n').find(l => l.includes('young generation may grow again'))
    if (line !== undefined) return JSON.parse(line) as StartedRecord
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`no record of the young generation after the ready line:\n${cli.stdout()}`)
}

t.test('the command starts the server with V8\'s young generation held (not the 8 MiB an idle server would keep), and leaves a growth factor given to node alone', async t => {
  const MiB = 1024 * 1024
  const held = await startedRecord(t, [])
  t.ok(held.young_generation_bytes <= 4 * MiB, `held: ${held.young_generation_bytes / MiB} MiB`)
  t.equal(held.tick_shapes_kept, 3, 'a tick object of each shape kept (tick-shapes.ts)')
  t.equal(held.inlining_budget, 4600, 'V8\'s inlining budget widened once ready (inlining-budget.ts)')
  // V8's default growth over the same start-up: the space doubles once more
  const grown = await startedRecord(t, ['--semi-space-growth-factor=2', '--max-inlined-bytecode-size-cumulative=920'])
  t.ok(grown.young_generation_bytes >= 8 * MiB, `node's own flag: ${grown.young_generation_bytes / MiB} MiB`)
  t.equal(grown.inlining_budget, null, 'an inlining budget given to node is left alone')
})

/** In a process of its own (V8's flags are the process's): how many of six callees of ~280 bytes of
 *  bytecode each V8 inlines into their optimized caller, after widenInliningBudget() or not. */
function inlinedCallees (nodeArgs: string[], widen: boolean): { inlined: number, budget: number | null } {
  const step = 's = (s * 31 + x) % 1000003; if (s === -1) s = x;'
  const source = Array.from({ length: 6 }, (_, k) => `function g${k} (x) { let s = x + ${k}; ${step.repeat(8)} return s }`).join('\n') +
    '\nfunction caller (x) { return g0(x) + g1(x) + g2(x) + g3(x) + g4(x) + g5(x) }' +
    '\n%PrepareFunctionForOptimization(caller); for (let i = 0; i < 2000; i++) caller(i); %OptimizeFunctionOnNextCall(caller); caller(3)'
  // through a shell that clears the test runner's NODE_OPTIONS (spawnCli's `bare`): its hooks,
  // which it adds to every node it sees spawned, compile and optimize code of their own in the probe
  const probe = spawnSync('/bin/sh', ['-c', 'NODE_OPTIONS= exec "$@"', 'sh', process.execPath, ...nodeArgs, '--allow-natives-syntax', '--trace-turbo-inlining', '--input-type=module', '-e', `
    import { widenInliningBudget } from ${JSON.stringify(new URL('../../dist/base/inlining-budget.js', import.meta.url).href)}
    const budget = ${widen} ? widenInliningBudget() : undefined
    ;(0, eval)(${JSON.stringify(source)})
    process.stderr.write('budget=' + JSON.stringify(budget ?? null) + '\\n')`], { encoding: 'utf8', timeout: 30_000 })
  if (probe.status !== 0) throw new Error(probe.stderr)
  // V8 writes its trace to stdout; the probe's own line goes to stderr
  const budget = /^budget=(.*)$/m.exec(probe.stderr)
  if (budget === null) throw new Error(`no budget line:\n${probe.stderr}`)
  return { inlined: probe.stdout.split('\n').filter(l => /^Inlining .*SharedFunctionInfo g\d>/.test(l)).length, budget: JSON.parse(budget[1]) as number | null }
}

t.test('widenInliningBudget: V8 inlines callees past its default budget, unless node was given a budget', async t => {
  const wide = inlinedCallees([], true)
  t.equal(wide.budget, 4600)
  t.equal(wide.inlined, 6, 'all six callees inlined')
  const byDefault = inlinedCallees([], false)
  t.ok(byDefault.inlined < 6, `V8's default budget: ${byDefault.inlined} of 6 inlined`)
  const given = inlinedCallees(['--max-inlined-bytecode-size-cumulative=920'], true)
  t.equal(given.budget, null, 'not widened')
  t.ok(given.inlined < 6, `node's own budget kept: ${given.inlined} of 6 inlined`)
})

t.test('idle after its start, the command gives back the memory start-up used, at once and with V8\'s reducer off (and says so at debug)', async t => {
  // --no-memory-reducer: V8's own reducer, which would do the same ~8 s after start, cannot be what shows
  const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--log-level', 'debug', '--log-format', 'json', '--metrics-port', 'off', '--certs-dir', join(t.testdir(), 'certs')],
    {}, ['--no-memory-reducer'], { bare: true })
  t.teardown(() => { cli.child.kill('SIGKILL') })
  const { port } = await cli.ready
  const readyAt = performance.now()
  let found: string | undefined
  while (found === undefined && performance.now() - readyAt < 15_000 && cli.child.exitCode === null) {
    await new Promise(resolve => setTimeout(resolve, 50))
    found = cli.stdout().split('\n').find(l => l.includes('start-up memory released'))
  }
  if (found === undefined) {
    t.fail(`no "start-up memory released" record within 15 s of the ready line:\n${cli.stdout()}\n${cli.stderr()}`)
    return
  }
  const line = JSON.parse(found) as { level: number, heap_before: number, heap_after: number, rss_before: number, rss_after: number }
  t.equal(line.level, 20, 'at debug')
  t.ok(line.heap_after < line.heap_before, `the heap shrank (${line.heap_before} → ${line.heap_after} bytes)`)
  t.ok(line.rss_after < line.rss_before, `the resident memory shrank (${line.rss_before} → ${line.rss_after} bytes)`)
  // after the record of the tick objects kept, which the collection would otherwise take (tick-shapes.ts)
  const lines = cli.stdout().split('\n')
  const kept = lines.findIndex(l => l.includes('young generation may grow again'))
  t.ok(kept >= 0 && kept < lines.indexOf(found), 'after the tick objects are kept')
  // and the server still answers
  const status = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/v1/cluster', rejectUnauthorized: false, auth: 'admin@redis.local:admin' }, r => { r.resume(); resolve(r.statusCode ?? 0) }).on('error', reject).end()
  })
  t.equal(status, 200)
})

t.test('keepTickShapes: the tick objects it keeps have the shapes process.nextTick makes after a memory-reducing collection, which takes the ones nobody keeps', async t => {
  // in a process of its own, with V8's natives (%HaveSameMap) on
  const probe = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', `
    import { keepTickShapes } from ${JSON.stringify(new URL('../../dist/base/tick-shapes.js', import.meta.url).href)}
    import { createHook } from 'node:async_hooks'
    import { lowMemoryCollection } from ${JSON.stringify(new URL('../../dist/base/settle-memory.js', import.meta.url).href)}
    const ticks = n => new Promise(resolve => { let i = 0; const step = () => { for (let k = 0; k < 100; k++) process.nextTick(() => {}, k); if (++i < n / 100) setImmediate(step); else setImmediate(resolve) }; step() })
    const made = args => { let r; const h = createHook({ init (id, type, t, o) { if (type === 'TickObject') r = o } }); h.enable(); process.nextTick(() => {}, ...args); h.disable(); return r }
    await ticks(50_000) // process.nextTick warm, as under load
    const kept = keepTickShapes()
    const loose = new WeakRef(made([1]))
    await lowMemoryCollection() // the command's own collection once idle (settle-memory.ts)
    await ticks(1_000)
    const after = [made([]), made([1]), made([1, 2])]
    process.stdout.write(JSON.stringify({ kept: kept.length, looseGone: loose.deref() === undefined, same: after.map((o, i) => %HaveSameMap(o, kept[i])) }))`], { encoding: 'utf8', timeout: 60_000 })
  t.equal(probe.status, 0, probe.stderr)
  const r = JSON.parse(probe.stdout) as { kept: number, looseGone: boolean, same: boolean[] }
  t.equal(r.kept, 3)
  t.equal(r.looseGone, true, 'the collection took a tick object nobody kept')
  t.same(r.same, [true, true, true], 'each tick object made after it has the map of the kept one of its shape')
})

t.test('holdYoungGeneration: the space does not grow while held and grows again once released', async t => {
  // in a process of its own: V8's flags are the process's
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { holdYoungGeneration, youngGenerationBytes } from ${JSON.stringify(new URL('../../dist/base/young-generation.js', import.meta.url).href)}
    const keep = []
    const survive = () => { for (let i = 0; i < 400_000; i++) keep.push({ i, s: 'x' + i }) }
    const release = holdYoungGeneration()
    const start = youngGenerationBytes()
    survive()
    const held = youngGenerationBytes()
    release()
    survive()
    process.stdout.write(JSON.stringify({ start, held, released: youngGenerationBytes(), kept: keep.length }))`], { encoding: 'utf8', timeout: 30_000 })
  t.equal(probe.status, 0, probe.stderr)
  const r = JSON.parse(probe.stdout) as { start: number, held: number, released: number }
  t.equal(r.held, r.start, `held at ${r.start} bytes while ~20 MB survived`)
  t.ok(r.released > r.held, `grew to ${r.released} bytes once released`)
})
