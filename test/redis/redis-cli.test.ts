// --redis on the built command: a bad --redis stops it (exit 2), auto without a server runs as
// before and says so, data persists across a restart with --state-file, and no redis-server
// outlives the mock whether it ends by SIGTERM, SIGINT or SIGKILL.
import t from 'tap'
import { join } from 'node:path'
import { existsSync, mkdirSync } from 'node:fs'
import { ADMIN_BASIC, httpsCall } from '../helpers/raw.js'
import { LOCAL, spawnCli, type CliProcess } from '../helpers/cli.js'
import { alive, eventually, noRedis, portState, redisClient } from '../helpers/redis.js'

// empty-cluster: no fixture databases on fixed ports that another test's servers may hold.
// --db-ports auto: a block of ports of its own, whatever else runs on the machine.
const EMPTY = [...LOCAL, '--scenario', 'empty-cluster', '--transition-delay-ms', '0', '--db-ports', 'auto']
const auth = { authorization: ADMIN_BASIC }

async function createDb (port: number, body: object): Promise<{ uid: number, dbPort: number }> {
  const res = await httpsCall(port, 'POST', '/v1/bdbs', { headers: auth, body: JSON.stringify(body) })
  if (res.status !== 200) throw new Error(`create: ${res.status} ${res.body}`)
  const { uid } = JSON.parse(res.body)
  const got = JSON.parse((await httpsCall(port, 'GET', `/v1/bdbs/${uid}`, { headers: auth })).body)
  const dbPort: number = got.endpoints[0].port
  await eventually(`database ${uid}'s server`, async () => await portState(dbPort) === 'open')
  return { uid, dbPort }
}

async function serverPid (dbPort: number, password?: string): Promise<number> {
  const c = await redisClient(dbPort, { password })
  const pid = Number(/process_id:(\d+)/.exec(await c.info('server'))![1])
  await c.quit()
  return pid
}

t.test('--redis with something that is not a redis-server: one sentence, exit 2', async t => {
  const server = spawnCli([...LOCAL, '--redis', '/nonexistent/redis-server'])
  server.ready.catch(() => {}) // it never is
  const { code } = await server.exited
  t.equal(code, 2)
  t.match(server.stderr(), /^redis-enterprise-mock: --redis "\/nonexistent\/redis-server" is not a working redis-server: give auto, off or the path of a redis-server\.\n$/)
})

t.test('--redis auto without a redis-server on PATH: runs as before and logs why', async t => {
  const server = spawnCli([...EMPTY, '--log-level', 'info', '--log-format', 'text'], { PATH: '/nonexistent', RS_MOCK_REDIS: 'auto' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = await server.ready
  const res = await httpsCall(port, 'POST', '/v1/bdbs', { headers: auth, body: JSON.stringify({ name: 'plain', memory_size: 104857600 }) })
  t.equal(res.status, 200, 'databases are created as without Redis')
  server.child.kill('SIGTERM')
  await server.exited
  t.match(server.stdout(), /no working redis-server on PATH/)
})

t.test('with a redis-server', { skip: noRedis }, async t => {
  t.test('aof and snapshot data survive a restart of the mock with --state-file', async t => {
    const dir = t.testdir()
    const args = [...EMPTY, '--redis', 'auto', '--state-file', join(dir, 'state.json'), '--certs-dir', join(dir, 'certs')]
    let server = spawnCli(args)
    t.teardown(() => { server.child.kill('SIGKILL') })
    let { port } = await server.ready
    const aof = await createDb(port, { name: 'aof', memory_size: 104857600, data_persistence: 'aof', authentication_redis_pass: 'p' })
    const rdb = await createDb(port, { name: 'rdb', memory_size: 104857600, data_persistence: 'snapshot' })
    const none = await createDb(port, { name: 'none', memory_size: 104857600 })
    for (const [db, password] of [[aof, 'p'], [rdb, undefined], [none, undefined]] as const) {
      const c = await redisClient(db.dbPort, { password })
      await c.set('kept', db.uid.toString())
      await c.quit()
    }
    t.ok(existsSync(join(dir, 'state.json.redis', `bdb-${aof.uid}`)), 'each database has its directory beside the state file')
    server.child.kill('SIGTERM')
    t.equal((await server.exited).code, 0)
    const stray = join(dir, 'state.json.redis', 'bdb-99')
    mkdirSync(stray)

    server = spawnCli(args)
    ;({ port } = await server.ready)
    // --db-ports auto: the second run has another block, and the saved databases move into it
    for (const db of [aof, rdb, none]) db.dbPort = JSON.parse((await httpsCall(port, 'GET', `/v1/bdbs/${db.uid}`, { headers: auth })).body).endpoints[0].port
    await eventually('the servers again', async () => await portState(aof.dbPort) === 'open' && await portState(rdb.dbPort) === 'open')
    t.notOk(existsSync(stray), 'a directory of a database the state does not hold is swept')
    const c1 = await redisClient(aof.dbPort, { password: 'p' })
    t.equal(await c1.get('kept'), String(aof.uid), 'AOF data is back')
    await c1.quit()
    const c2 = await redisClient(rdb.dbPort)
    t.equal(await c2.get('kept'), String(rdb.uid), 'snapshot data is back')
    await c2.quit()
    await eventually('the third', async () => await portState(none.dbPort) === 'open')
    const c3 = await redisClient(none.dbPort)
    t.equal(await c3.get('kept'), null, 'without persistence nothing is kept, as on RS')
    await c3.quit()
    const del = await httpsCall(port, 'DELETE', `/v1/bdbs/${aof.uid}`, { headers: auth })
    t.equal(del.status, 200)
    await httpsCall(port, 'GET', '/v1/bdbs', { headers: auth })
    await eventually('the directory to go', () => !existsSync(join(dir, 'state.json.redis', `bdb-${aof.uid}`)))
    server.child.kill('SIGTERM')
    await server.exited
  })

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    t.test(`no redis-server outlives the mock after ${signal}`, async t => {
      const dir = t.testdir()
      const server: CliProcess = spawnCli([...EMPTY, '--redis', 'auto', '--certs-dir', join(dir, 'certs')])
      t.teardown(() => { server.child.kill('SIGKILL') })
      const { port } = await server.ready
      const dbs = [await createDb(port, { name: 'one', memory_size: 104857600 }), await createDb(port, { name: 'two', memory_size: 104857600 })]
      const pids = await Promise.all(dbs.map(async db => await serverPid(db.dbPort)))
      t.ok(pids.every(alive), `servers running (${pids.join(', ')})`)
      server.child.kill(signal)
      await server.exited
      await eventually('the servers to end', () => !pids.some(alive))
      t.ok(!pids.some(alive), 'every redis-server ended')
      for (const db of dbs) t.equal(await portState(db.dbPort), 'ECONNREFUSED', `port ${db.dbPort} is free`)
    })
  }
})
