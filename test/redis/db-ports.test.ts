// Many mocks on one machine (docs/redis.md#many-mocks-on-one-machine): each mock's own database
// ports (--db-ports, dbPorts: 'auto'), fixture ports another process holds moved, a port held
// elsewhere refused at create, a mock that never talks to a server it did not start, and a
// database whose server cannot run shown in `recovery` and logged once.
import t, { type Test } from 'tap'
import { createServer, type Server } from 'node:net'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMock, startMock, type MockHandle } from '../../src/library.js'
import { loadConfig, parseDbPorts } from '../../src/config.js'
import { ConfigError } from '../../src/base/errors.js'
import { isRsError } from '../helpers/app.js'
import { eventually, noRedis, redisClient } from '../helpers/redis.js'

const json = (res: { body: string }) => JSON.parse(res.body)
const ports = async (m: MockHandle) => (json(await m.inject({ method: 'GET', url: '/v1/bdbs' })) as Array<{ uid: number, port: number, endpoints: Array<{ port: number, dns_name: string }> }>)

/** A plain TCP listener on PORT that counts the connections it gets: "another process". */
async function holder (t: Test, port: number): Promise<{ server: Server, connections: () => number }> {
  let n = 0
  const server = createServer(s => { n++; s.destroy() })
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve) })
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return { server, connections: () => n }
}

t.test('--db-ports: FIRST-LAST or auto; anything else is one sentence', async t => {
  t.same(parseDbPorts('20000-20999'), { first: 20000, last: 20999 })
  t.same(parseDbPorts('21000'), { first: 21000, last: 21000 })
  t.equal(parseDbPorts(' auto '), 'auto')
  for (const bad of ['', '20999-20000', '80-90', '20000-70000', 'x', '-1']) {
    t.throws(() => parseDbPorts(bad, '--db-ports'), { name: 'ConfigError', message: /^--db-ports must be auto or FIRST-LAST/ }, JSON.stringify(bad))
  }
  t.throws(() => loadConfig(['--db-ports', '5-3'], {}), ConfigError)
  t.equal((loadConfig(['--db-ports', '20000-20099'], {}) as { dbPorts: string }).dbPorts, '20000-20099')
  t.equal((loadConfig([], { RS_MOCK_DB_PORTS: 'auto' }) as { dbPorts: string }).dbPorts, 'auto', 'the environment twin')
})

t.test('a range of its own: the fixtures move into it, creates take ports from it and cannot name one outside', async t => {
  const m = await createMock({ dbPorts: '20400-20449', transitionDelayMs: 0 })
  t.teardown(() => m.close())
  t.same(m.dbPorts, { first: 20400, last: 20449 })
  const before = await ports(m)
  t.same(before.map(b => b.endpoints[0].port), [20400, 20401, 20402], 'the three fixture databases, in uid order')
  t.same(before.map(b => b.port), [20400, 0, 20402], 'an auto-assigned port (0) stays 0')
  t.equal(before[0].endpoints[0].dns_name, 'redis-20400.mock-cluster.local', 'the DNS name follows')
  const created = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'fourth', memory_size: 104857600 } })
  t.equal(json(created).endpoints[0].port, 20403, 'a new database gets the next free port of the range')
  isRsError(t, await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'outside', memory_size: 104857600, port: 12000 } }), 406, 'port_unavailable')
  t.equal((await ports(m)).length, 4, 'nothing created')
  m.reset()
  t.same((await ports(m)).map(b => b.endpoints[0].port), [20400, 20401, 20402], 'a reset moves the fixtures into the range again')
})

t.test('the default range is RS\'s 10000-19999 and leaves the fixtures where they are', async t => {
  const m = await createMock()
  t.teardown(() => m.close())
  t.same(m.dbPorts, { first: 10000, last: 19999 })
  t.same((await ports(m)).map(b => b.endpoints[0].port), [12000, 13001, 12010])
})

t.test('dbPorts auto: mocks side by side get blocks that do not overlap, given back at close', async t => {
  const a = await createMock({ dbPorts: 'auto' })
  const b = await createMock({ dbPorts: 'auto' })
  t.teardown(() => Promise.all([a.close(), b.close()]))
  for (const m of [a, b]) {
    t.equal(m.dbPorts.last - m.dbPorts.first, 98, '99 ports')
    t.ok(m.dbPorts.first > 20000 && m.dbPorts.last < 32768, 'below the ephemeral ports')
  }
  t.ok(a.dbPorts.last < b.dbPorts.first || b.dbPorts.last < a.dbPorts.first, `disjoint: ${JSON.stringify([a.dbPorts, b.dbPorts])}`)
  // the block is claimed by listening on the port before it: nobody else can take the block
  const claim = a.dbPorts.first - 1
  await t.rejects(holder(t, claim), { code: 'EADDRINUSE' }, 'the claim is held while the mock runs')
  await a.close()
  await holder(t, claim)
  t.pass('and free once it closed')
})

t.test('with real redis-servers', { skip: noRedis }, async t => {
  t.test('a fixture port another process holds moves; the mock never connects to it; a create naming it gets port_unavailable', async t => {
    const first = (await createMock({ dbPorts: 'auto' }))
    const range = first.dbPorts
    await first.close() // a free block to use, and give to the next mock
    const other = await holder(t, range.first + 1) // where fixture database 2 would go
    const m = await startMock({ redis: 'auto', dbPorts: `${range.first}-${range.last}`, transitionDelayMs: 0 })
    t.teardown(() => m.close())
    await m.redis!.settled()
    const placed = (await ports(m)).map(b => b.endpoints[0].port)
    t.same(placed, [range.first, range.first + 2, range.first + 3], 'database 2 moved past the held port, database 3 after it')
    for (const [i, port] of placed.entries()) {
      const c = await redisClient(port)
      t.equal(await c.ping(), 'PONG', `database ${i + 1} answers on ${port}`)
      await c.quit()
    }
    isRsError(t, await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'taken', memory_size: 104857600, port: range.first + 1 } }), 406, 'port_unavailable')
    t.equal(other.connections(), 0, 'the mock never connected to the other process\'s port')
    t.equal((await ports(m)).every(b => b.uid <= 3), true, 'nothing created')
  })

  t.test('a server that cannot start: status recovery, availability 503, one warning per database', async t => {
    const dir = t.testdir()
    // a real program that passes the version check and fails as a bad configuration does
    const fake = join(dir, 'redis-server')
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "Redis server v=7.0.15 sha=0"; exit 0; }\necho "1:M 01 Jan 2026 00:00:00.000 # Bad directive or wrong number of arguments" >&2\nexit 1\n')
    chmodSync(fake, 0o755)
    const lines: Array<{ level: number, msg: string, bdb_uid?: number }> = []
    const m = await startMock({ redis: fake, dbPorts: 'auto', transitionDelayMs: 0, logger: { level: 'debug', stream: { write: (s: string) => { lines.push(JSON.parse(s)) } } } })
    t.teardown(() => m.close())
    await eventually('every database down', async () => (await ports(m)).every(b => (b as unknown as { status: string }).status === 'recovery'))
    isRsError(t, await m.inject({ method: 'GET', url: '/v1/bdbs/1/availability' }), 503, 'bdb_unavailable_shard_unreachable')
    const created = json(await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'new', memory_size: 104857600 } }))
    await eventually('the new database settled', async () => json(await m.inject({ method: 'GET', url: `/v1/bdbs/${created.uid}` })).status !== 'pending')
    t.equal(json(await m.inject({ method: 'GET', url: `/v1/bdbs/${created.uid}` })).status, 'recovery', 'a new one never turns active')
    // retries go on (after 100 ms, 200 ms, ... up to 5 s): wait for three, then count the warnings
    await eventually('three retries', () => lines.filter(l => l.level === 20 && l.bdb_uid === 1 && /failed again/.test(l.msg)).length >= 3)
    const warned = lines.filter(l => l.level === 40 && /is unavailable/.test(l.msg))
    t.same(warned.map(l => l.bdb_uid).sort(), [1, 2, 3, created.uid], 'one warning per database')
    t.match(warned[0].msg, /Bad directive or wrong number of arguments/, 'saying why')
  })
})
