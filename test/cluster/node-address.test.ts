// Node addresses reach redis.conf (`bind`): every place that takes one accepts only an IP literal
// or a host name, and every value written into redis.conf is one quoted argument.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createMock } from '../../src/index.js'
import { loadConfig, type Config } from '../../src/config.js'
import { ConfigError } from '../../src/base/errors.js'
import { isHostOrAddress } from '../../src/base/address.js'
import { configFile, confArg } from '../../src/redis/settings.js'
import { eventually, noRedis, redisClient } from '../helpers/redis.js'

const INJECTION = '127.0.0.2\nuser evil on nopass ~* +@all'

t.test('PUT /v1/nodes/{uid}, the control join and --node-addresses refuse what is not an address', async t => {
  const mock = await createMock({ nodes: 3 })
  t.teardown(() => mock.close())
  await mock.inject({ method: 'POST', url: '/_mock/nodes/2/down' })
  const put = (body: object) => mock.inject({ method: 'PUT', url: '/v1/nodes/2', payload: body })
  for (const body of [{ addr: INJECTION }, { addr: '10.0.0.1 loadmodule /tmp/x.so' }, { addr: '"10.0.0.1"' }, { external_addr: ['192.0.2.1', 'a\rb'] }, { addr: '' }]) {
    const res = await put(body)
    t.same([res.statusCode, res.json().error_code], [400, 'invalid_schema'], JSON.stringify(body))
  }
  t.equal(mock.store.state.nodes.get(2)?.addr, (await mock.inject({ method: 'GET', url: '/v1/nodes/2' })).json().addr, 'unchanged')
  t.not(mock.store.state.nodes.get(2)?.addr, INJECTION)
  for (const addr of ['10.0.0.22', 'fe80::1', 'node-2.cluster.local']) {
    t.equal((await put({ addr })).statusCode, 200, addr)
  }

  const join = await mock.inject({ method: 'POST', url: '/_mock/nodes/join', payload: { url: 'https://127.0.0.1:1', token: 'x'.repeat(16), addr: INJECTION } })
  t.same([join.statusCode, join.json().error_code], [400, 'invalid_schema'])
  const external = await mock.inject({ method: 'POST', url: '/_mock/nodes/join', payload: { url: 'https://127.0.0.1:1', token: 'x'.repeat(16), external_addr: ['x y'] } })
  t.same([external.statusCode, external.json().error_code], [400, 'invalid_schema'])

  t.throws(() => loadConfig(['--node-addresses', '127.0.0.1,127.0.0.2 bind'], {}), ConfigError)
  t.equal((loadConfig(['--node-addresses', '127.0.0.1,::1,localhost'], {}) as Config).nodes, 3)
  t.throws(() => loadConfig(['--redis-host', '0.0.0.0\nloadmodule /x.so'], {}), ConfigError)
  t.equal((loadConfig(['--redis-host', '0.0.0.0'], {}) as Config).redisHost, '0.0.0.0')
})

t.test('what an address is', async t => {
  for (const ok of ['127.0.0.1', '::1', '2001:db8::2', 'fe80::1%eth0', 'localhost', 'a.b-c.example.', 'x'.repeat(63)]) t.ok(isHostOrAddress(ok), ok)
  for (const bad of ['', ' ', 'a b', 'a\nb', '-a', 'a-', 'a..b', 'x'.repeat(64), `${'a.'.repeat(127)}a`, 'a"b', 'a_b', 12]) t.notOk(isHostOrAddress(bad), String(bad))
})

t.test('redis.conf: every value is one quoted argument, read back as it was by a real redis-server', { skip: noRedis }, async t => {
  t.equal(confArg('a b'), '"a b"')
  t.equal(confArg('a\n"\\'), '"a\\x0a\\"\\\\"')
  const port = await new Promise<number>(resolve => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
  })
  // A directory name is the one value redis-server takes as it is: one holding a line break and a directive.
  const base = t.testdir()
  const dir = join(base, `data\n${INJECTION.split('\n')[1]}\nport 1`)
  mkdirSync(dir)
  const conf = join(base, 'redis.conf')
  const settings = { port, bind: ['127.0.0.1'], live: { maxmemory: '1000000', 'maxmemory-policy': 'allkeys-lru', appendonly: 'no', appendfsync: 'everysec', save: '3600 1 60 10' }, defaultUser: 'on nopass ~* &* +@all', users: new Map(), stopped: false }
  writeFileSync(conf, configFile(settings, { dir, internalSha: 'a'.repeat(64) }))
  const child = spawn('redis-server', [conf], { stdio: 'ignore' })
  t.teardown(() => { child.kill('SIGKILL') })
  let client: Awaited<ReturnType<typeof redisClient>> | undefined
  await eventually('redis-server', async () => {
    try { client = await redisClient(port); return true } catch { return false }
  })
  t.teardown(() => client?.disconnect())
  t.same(await client!.sendCommand(['CONFIG', 'GET', 'dir']), ['dir', dir], 'the whole value, line breaks included, is the directory')
  t.same(await client!.sendCommand(['CONFIG', 'GET', 'save']), ['save', '3600 1 60 10'])
  const users = await client!.sendCommand(['ACL', 'USERS']) as string[]
  t.same(users.sort(), ['default', 'rs-mock-internal'], 'no user came from a value')
})
