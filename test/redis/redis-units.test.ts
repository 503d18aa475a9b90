// The parts of --redis that need no server: settings derived from the state, the RESP reader,
// INFO samples and rates, the ACL argument split, finding the binary, and the host checks.
import t from 'tap'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { aclUserName, configFile, liveConfig, serverSettings, sha256 } from '../../src/redis/settings.js'
import { parseReply, RespError, Status } from '../../src/redis/resp.js'
import { parseInfo, sampleOf, SampleHistory } from '../../src/redis/live-stats.js'
import { ruleArgs } from '../../src/redis/manager.js'
import { resolveRedis } from '../../src/redis/binary.js'
import { listeningPorts } from '../../src/redis/ports.js'
import { ConfigError } from '../../src/base/errors.js'
import type { Bdb } from '../../src/schemas/bdb.js'

const seed = loadSeed(defaultFixturesDir)

t.test('settings follow the database: memory, policy, persistence, default user', async t => {
  const store = createStore(seed)
  const bdb = store.state.bdbs.get(1)!
  t.same(liveConfig({ ...bdb, data_persistence: 'disabled' } as Bdb).save, '', 'no persistence: no snapshots')
  t.same(liveConfig({ ...bdb, data_persistence: 'aof', aof_policy: 'appendfsync-always' } as Bdb), {
    maxmemory: String(bdb.memory_size), 'maxmemory-policy': 'allkeys-lru', appendonly: 'yes', appendfsync: 'always', save: ''
  })
  t.equal(liveConfig({ ...bdb, data_persistence: 'snapshot', snapshot_policy: [{ secs: 60, writes: 10 }, { secs: 900, writes: 1 }] } as unknown as Bdb).save, '60 10 900 1')
  t.equal(liveConfig({ ...bdb, data_persistence: 'snapshot', snapshot_policy: [] } as unknown as Bdb).save, '3600 1', 'snapshot without a policy: hourly')
  t.equal(liveConfig({ ...bdb, eviction_policy: 'allkeys-lrm' } as Bdb)['maxmemory-policy'], 'allkeys-lru', 'Redis 8 LRM policies fall back to LRU')
  t.equal(serverSettings(store.state, bdb, 12000, ['127.0.0.1']).defaultUser, 'on nopass ~* &* +@all', 'no password: open default user')
  t.equal(serverSettings(store.state, { ...bdb, authentication_redis_pass: 'pw' }, 12000, ['127.0.0.1']).defaultUser, `on #${sha256('pw')} ~* &* +@all`)
  t.equal(serverSettings(store.state, { ...bdb, default_user: false }, 12000, ['127.0.0.1']).defaultUser, 'off', 'default_user false: no default user')
  const conf = configFile(serverSettings(store.state, bdb, 12000, ['127.0.0.1', '127.0.0.2']), { dir: '/data/bdb 1', internalSha: 'ab' })
  t.match(conf, /^port "12000"$/m)
  t.match(conf, /^bind "127\.0\.0\.1" "127\.0\.0\.2"$/m, 'every address of its endpoint')
  t.match(conf, /^dir "\/data\/bdb 1"$/m, 'the directory is quoted')
  t.match(conf, /^save ""$/m)
  t.match(conf, /^user "rs-mock-internal" "on" "#ab" "~\*" "&\*" "\+@all"$/m)
})

t.test('ACL users: every user holding a bound role, named by email (or name without one), with its SHA-256', async t => {
  const store = createStore(seed)
  const users = serverSettings(store.state, store.state.bdbs.get(2)!, 13001, ['127.0.0.1']).users
  t.same([...users.keys()].sort(), ['db-member@redis.local', 'db-viewer@redis.local'], 'roles 4 and 5 are bound on database 2')
  t.equal(users.get('db-member@redis.local'), `on #${sha256('db-member')} +@all -@dangerous ~*`)
  t.equal(users.get('db-viewer@redis.local'), `on #${sha256('db-viewer')} +@read ~*`)
  const record = store.state.users.get(4)!
  record.user.role_uids = [4, 5]
  t.equal(serverSettings(store.state, store.state.bdbs.get(2)!, 13001, ['127.0.0.1']).users.get('db-member@redis.local'),
    `on #${sha256('db-member')} +@all -@dangerous ~* (+@read ~*)`, 'a second binding is a selector')
  delete record.sha256
  t.equal(serverSettings(store.state, store.state.bdbs.get(2)!, 13001, ['127.0.0.1']).users.get('db-member@redis.local'),
    'on +@all -@dangerous ~* (+@read ~*)', 'without a known SHA-256 (older state file) the user has no password')
  t.equal(aclUserName({ uid: 9, email: '', name: 'vault-app' }), 'vault-app', 'no email: the name (docs/decisions.md #19)')
  t.equal(aclUserName({ uid: 9, email: '', name: 'has space' }), undefined, 'not a Redis user name')
  t.equal(aclUserName({ uid: 9, email: '', name: 'default' }), undefined, 'never the default user')
  t.same(ruleArgs('on #ab +@all ~* (+@read ~*) (-get)'), ['on', '#ab', '+@all', '~*', '(+@read ~*)', '(-get)'])
})

t.test('passwords set through the API keep a SHA-256 for Redis, saved in the state document', async t => {
  const store = createStore(seed)
  const created = store.users.create({ email: 'x@example.com', password: 'first-pw', role_uids: [4] })
  t.equal(store.state.users.get(created.uid)!.sha256, sha256('first-pw'))
  store.users.update(created.uid, { password: 'second-pw' })
  t.equal(store.state.users.get(created.uid)!.sha256, sha256('second-pw'))
  const doc = store.exportState()
  const other = createStore(seed)
  other.importState(doc)
  t.equal(other.state.users.get(created.uid)!.sha256, sha256('second-pw'), 'exported and imported')
  const bad = structuredClone(doc) as any
  bad.state.users.$map[0][1].sha256 = 42
  t.throws(() => other.importState(bad), { code: 'invalid_state_document' }, 'checked on import')
})

t.test('RESP replies', async t => {
  const p = (s: string) => parseReply(Buffer.from(s))
  const [ok, end] = p('+OK\r\n')!
  t.ok(ok instanceof Status, 'a simple string is told apart from a bulk string')
  t.same([String(ok), end], ['OK', 5])
  t.same(p(':42\r\n'), [42, 5])
  t.same(p('$5\r\nhello\r\n'), ['hello', 11])
  t.same(p('$-1\r\n'), [null, 5])
  t.same(p('*-1\r\n'), [null, 5])
  t.same(p('*2\r\n$1\r\na\r\n:1\r\n'), [['a', 1], 15])
  t.equal(p('$5\r\nhel'), undefined, 'incomplete bulk')
  t.equal(p('*2\r\n$1\r\na\r\n'), undefined, 'incomplete array')
  t.equal(p('+OK'), undefined, 'no line end yet')
  const [err] = p('-ERR bad\r\n')!
  t.ok(err instanceof RespError)
  t.equal((err as Error).message, 'ERR bad')
  t.throws(() => p('?x\r\n'), RespError)
})

t.test('INFO samples become per-second rates over a bucket', async t => {
  const info = (cmds: number, hits: number) => [
    '# Stats', `total_commands_processed:${cmds}`, `keyspace_hits:${hits}`, 'keyspace_misses:0', 'connected_clients:3',
    'total_connections_received:5', 'used_memory:2000000', '# Keyspace', 'db0:keys=7,expires=2,avg_ttl=0', 'db1:keys=3,expires=0,avg_ttl=0', ''
  ].join('\r\n')
  t.equal(parseInfo(info(1, 1)).used_memory, '2000000')
  const h = new SampleHistory()
  t.equal(h.metrics(0, 1000), undefined, 'nothing sampled: the model stands')
  h.add(sampleOf(info(100, 10), 1000, 4))
  h.add(sampleOf(info(1100, 510), 2000, 5))
  const m = h.metrics(1000, 1000)!
  t.equal(m.total_req, 999, 'commands per second, the mock\'s own left out')
  t.equal(m.read_hits, 500)
  t.equal(m.no_of_keys, 10, 'keys of every logical database')
  t.equal(m.no_of_expires, 2)
  t.equal(m.conns, 2, 'the mock\'s own connection is not counted')
  t.equal(m.used_memory, 2000000)
  t.equal(h.metrics(0, 500), undefined, 'a bucket before the first sample')
  t.equal(h.latest?.t, 2000)
  for (let i = 0; i < 700; i++) h.add(sampleOf(info(2000 + i, 600), 3000 + i * 1000, 5))
  t.equal(h.metrics(1000, 1000), undefined, 'old samples are dropped')
})

t.test('finding the redis-server', async t => {
  t.same(resolveRedis('off'), { binary: undefined })
  t.same(resolveRedis(undefined), { binary: undefined })
  t.match(resolveRedis('auto', { PATH: '/nonexistent' }), { binary: undefined, why: /no working redis-server on PATH/ })
  const dir = t.testdir()
  const fake = join(dir, 'redis-server')
  writeFileSync(fake, '#!/bin/sh\necho "Redis server v=9.9.9 sha=0"\n')
  chmodSync(fake, 0o755)
  t.same(resolveRedis('auto', { PATH: `/nonexistent:${dir}` }), { binary: { path: fake, version: '9.9.9' } }, 'the first on PATH')
  t.same(resolveRedis(fake), { binary: { path: fake, version: '9.9.9' } })
  const liar = join(dir, 'not-redis')
  writeFileSync(liar, '#!/bin/sh\necho hello\n')
  chmodSync(liar, 0o755)
  t.throws(() => resolveRedis(liar), ConfigError)
  t.match(resolveRedis('auto', { PATH: dir.replace(/$/, '-missing') }), { binary: undefined })
  t.match(resolveRedis('auto', { PATH: dir }, '/nonexistent/sh'), { binary: undefined, why: /no \/nonexistent\/sh/ }, 'no shell: auto runs without')
  t.throws(() => resolveRedis(fake, {}, '/nonexistent/sh'), { message: /--redis needs \/nonexistent\/sh/ }, 'a path: exit 2')
})

t.test('ports other processes listen on', { skip: listeningPorts() === undefined ? 'no /proc/net/tcp here' : false }, async t => {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  t.ok(listeningPorts()!.has(port), 'a listening socket is seen')
  await new Promise(resolve => srv.close(resolve))
  t.notOk(listeningPorts()!.has(port), 'and gone once closed')
})
