// --redis: each database is a real redis-server a Redis client talks to, configured from the
// database and its ACL bindings (library instances; the command's own test is redis-cli.test.ts).
import t, { type Test } from 'tap'
import { createServer } from 'node:net'
import { startMock, type RunningMock } from '../../src/library.js'
import { alive, eventually, loginOutcome, noRedis, portState, redisClient } from '../helpers/redis.js'
import { startTestServer } from '../helpers/raw.js'

const json = (res: { body: string }) => JSON.parse(res.body)

async function mock (t: Test, options: Parameters<typeof startMock>[0] = {}): Promise<RunningMock> {
  // dbPorts auto: a block of ports of its own, so test files in parallel (or a developer's own
  // mock on 12000) never meet; the fixtures' databases move into it.
  const m = await startMock({ redis: 'auto', redisPollMs: 200, transitionDelayMs: 0, dbPorts: 'auto', ...options })
  t.teardown(() => m.close())
  return m
}

/** POST /v1/bdbs, then waits until it is active and its server answers; its port. */
async function createDb (m: RunningMock, body: object): Promise<{ uid: number, port: number }> {
  const res = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: body })
  if (res.statusCode !== 200) throw new Error(`create: ${res.statusCode} ${res.body}`)
  const { uid } = json(res)
  let got = json(res)
  await eventually(`database ${uid} active`, async () => (got = json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` }))).status === 'active')
  await m.redis!.settled()
  return { uid, port: got.endpoints[0].port }
}

t.test('real Redis', { skip: noRedis }, async t => {
  t.test('a new database is a redis-server with its password, memory and policy; PUT, flush and delete follow', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'real', memory_size: 104857600, authentication_redis_pass: 's3cret', eviction_policy: 'allkeys-lru' })
    const bdb = json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` }))
    t.same(bdb.endpoints[0].addr, ['127.0.0.1'], 'the endpoint reports the address the server listens on')
    const c = await redisClient(port, { password: 's3cret' })
    t.equal(await c.ping(), 'PONG')
    await c.set('greeting', 'hello')
    t.equal(await c.get('greeting'), 'hello')
    t.same(await c.configGet('maxmemory'), { maxmemory: '104857600' }, 'memory_size → maxmemory')
    t.same(await c.configGet('maxmemory-policy'), { 'maxmemory-policy': 'allkeys-lru' })
    t.match(await loginOutcome(port, { password: 'wrong' }), /WRONGPASS|invalid/i, 'a wrong password is refused')
    const anonymous = await redisClient(port)
    await t.rejects(anonymous.ping(), /NOAUTH/, 'a client without the password is refused')
    await anonymous.disconnect()

    const put = await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { eviction_policy: 'noeviction', memory_size: 209715200, authentication_redis_pass: 'n3w' } })
    t.equal(put.statusCode, 200)
    await m.redis!.settled()
    t.same(await c.configGet('maxmemory-policy'), { 'maxmemory-policy': 'noeviction' }, 'PUT applies live')
    t.same(await c.configGet('maxmemory'), { maxmemory: '209715200' })
    t.equal(await loginOutcome(port, { password: 'n3w' }), 'ok', 'the new password logs in')
    t.match(await loginOutcome(port, { password: 's3cret' }), /WRONGPASS|invalid/i, 'the old one no longer')

    t.equal((await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}/flush` })).statusCode, 200)
    await m.redis!.settled()
    t.equal(await c.dbSize(), 0, 'flush → FLUSHALL')
    await c.quit()

    t.equal((await m.inject({ method: 'DELETE', url: `/v1/bdbs/${uid}` })).statusCode, 200)
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    await m.redis!.settled()
    t.equal(await portState(port), 'ECONNREFUSED', 'deleted: the server is gone and its port free')
  })

  t.test('--node-addresses: a server listens on the address of its node, and moves with a failover', async t => {
    const server = await startTestServer(t, ['--node-addresses', '127.0.0.1,127.0.0.2,127.0.0.3', '--redis', 'auto', '--transition-delay-ms', '0', '--db-ports', 'auto'])
    let app = server.app
    const call = async (method: string, url: string, payload?: object) => {
      const res = await app.inject({ method: method as 'GET', url, payload, headers: { authorization: 'Basic ' + Buffer.from('admin@redis.local:admin').toString('base64') } })
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined }
    }
    // any node answers (its shards and endpoints are the same to every node): a follower need not redirect
    t.equal((await call('PUT', '/v1/cluster', { handle_redirects: true })).status, 200)
    const { body: created } = await call('POST', '/v1/bdbs', { name: 'placed', memory_size: 104857600, replication: true })
    const port: number = created.endpoints[0].port
    let bdb: any
    await eventually('active', async () => (bdb = (await call('GET', `/v1/bdbs/${created.uid}`)).body).status === 'active')
    const nodes = (await call('GET', '/v1/nodes')).body as Array<{ uid: number, addr: string }>
    t.same(nodes.map(n => n.addr).sort(), ['127.0.0.1', '127.0.0.2', '127.0.0.3'], 'each node\'s addr is its own address')
    const [here] = bdb.endpoints[0].addr
    t.ok(['127.0.0.2', '127.0.0.3', '127.0.0.1'].includes(here), 'the endpoint is on a node address')
    const elsewhere = nodes.map(n => n.addr).filter(a => a !== here)
    let c = await redisClient(port, {}, here)
    await c.set('k', 'kept')
    for (const a of elsewhere) t.equal(await portState(port, a), 'ECONNREFUSED', `nothing on ${a}:${port}`)

    const node = nodes.find(n => n.addr === here)!
    t.equal((await call('POST', `/_mock/nodes/${node.uid}/down`)).status, 200)
    app = server.nodes.find(n => n.uid !== node.uid)!.app
    let moved: string | undefined
    await eventually('the endpoint moved', async () => (moved = (await call('GET', `/v1/bdbs/${created.uid}`)).body.endpoints[0].addr[0]) !== here)
    t.ok(elsewhere.includes(moved!), 'the failover put the endpoint on another node')
    await eventually('the server listens there', async () => await portState(port, moved) === 'open')
    await c.disconnect().catch(() => {})
    c = await redisClient(port, {}, moved)
    t.equal(await c.get('k'), 'kept', 'the same server, its data kept')
    t.equal(await portState(port, here), 'ECONNREFUSED', 'and no longer on the failed node\'s address')
    await c.quit()
  })

  t.test('a database turns active only once its server answers: poll for active, then connect', async t => {
    const m = await mock(t)
    const res = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'prompt', memory_size: 104857600 } })
    t.equal(json(res).status, 'pending')
    const port: number = json(res).endpoints[0].port
    await eventually('active', async () => json(await m.inject({ method: 'GET', url: `/v1/bdbs/${json(res).uid}` })).status === 'active')
    const c = await redisClient(port)
    t.equal(await c.ping(), 'PONG', 'the first connection after active succeeds')
    await c.quit()
  })

  t.test('Vault-style: role + ACL binding + user → AUTH works, forbidden commands refused, unbound → AUTH fails', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'vault', memory_size: 104857600, authentication_redis_pass: 'x' })
    const acl = json(await m.inject({ method: 'POST', url: '/v1/redis_acls', payload: { name: 'app-rw', acl: '+get +set ~app:*' } }))
    const role = json(await m.inject({ method: 'POST', url: '/v1/roles', payload: { name: 'app', management: 'db_member' } }))
    t.equal((await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { roles_permissions: [{ role_uid: role.uid, redis_acl_uid: acl.uid }] } })).statusCode, 200)
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    const user = await m.inject({ method: 'POST', url: '/v1/users', payload: { email: 'app@example.com', name: 'app', password: 'app-pass', role_uids: [role.uid] } })
    t.equal(user.statusCode, 200)
    await m.redis!.settled()

    const c = await redisClient(port, { username: 'app@example.com', password: 'app-pass' })
    await c.set('app:1', 'v')
    t.equal(await c.get('app:1'), 'v', 'the ACL lets it read and write its keys')
    await t.rejects(c.get('other'), /NOPERM/, 'a key outside the ACL is refused')
    await t.rejects(c.flushAll(), /NOPERM/, 'a command outside the ACL is refused')

    // A second binding for the same user adds what its ACL allows (a selector).
    const role2 = json(await m.inject({ method: 'POST', url: '/v1/roles', payload: { name: 'reader', management: 'db_viewer' } }))
    await m.inject({ method: 'PUT', url: `/v1/users/${json(user).uid}`, payload: { role_uids: [role.uid, role2.uid] } })
    await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { roles_permissions: [{ role_uid: role.uid, redis_acl_uid: acl.uid }, { role_uid: role2.uid, redis_acl_uid: 2 }] } })
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    await m.redis!.settled()
    t.equal(await c.get('other'), null, 'the Read Only binding adds reads of any key')

    await m.inject({ method: 'PUT', url: `/v1/users/${json(user).uid}`, payload: { password: 'rotated-1' } })
    await m.redis!.settled()
    t.equal(await loginOutcome(port, { username: 'app@example.com', password: 'rotated-1' }), 'ok', 'a password set through the API is the ACL password')
    t.match(await loginOutcome(port, { username: 'app@example.com', password: 'app-pass' }), /WRONGPASS|invalid/i)

    // A user without an email, as a Vault plugin creates it: its name is its ACL user name (docs/decisions.md #19).
    const plain = await m.inject({ method: 'POST', url: '/v1/users', payload: { name: 'vault-app-1', password: 'v-pass', role_uids: [role.uid] } })
    t.equal(plain.statusCode, 200)
    await m.redis!.settled()
    t.equal(await loginOutcome(port, { username: 'vault-app-1', password: 'v-pass' }), 'ok', 'AUTH with the name of a user without email')

    await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { roles_permissions: [] } })
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    await m.redis!.settled()
    t.match(await loginOutcome(port, { username: 'app@example.com', password: 'rotated-1' }), /WRONGPASS|invalid/i, 'binding removed: AUTH fails')
    t.match(await loginOutcome(port, { username: 'vault-app-1', password: 'v-pass' }), /WRONGPASS|invalid/i, 'for every user of the role')
    t.ok(c.isOpen === false || await c.ping().then(() => false, () => true), 'and its open connection is closed')
  })

  t.test('ACL and user changes apply at once; a deleted user can no longer AUTH', async t => {
    const m = await mock(t)
    // Database 2 of the fixtures binds DB Member (role 4) to Not Dangerous (ACL 3).
    const port = json(await m.inject({ method: 'GET', url: '/v1/bdbs/2' })).endpoints[0].port
    await m.redis!.settled()
    const c = await redisClient(port, { username: 'db-member@redis.local', password: 'db-member' })
    await c.set('k', '1')
    await t.rejects(c.flushAll(), /NOPERM/, 'Not Dangerous refuses FLUSHALL')
    const acl = json(await m.inject({ method: 'POST', url: '/v1/redis_acls', payload: { name: 'only-get', acl: '+get ~*' } }))
    await m.inject({ method: 'PUT', url: '/v1/bdbs/2', payload: { roles_permissions: [{ role_uid: 4, redis_acl_uid: acl.uid }] } })
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    await m.redis!.settled()
    const c2 = await redisClient(port, { username: 'db-member@redis.local', password: 'db-member' })
    t.equal(await c2.get('k'), '1')
    await t.rejects(c2.set('k', '2'), /NOPERM/, 'the new binding applies')
    await m.inject({ method: 'PUT', url: `/v1/redis_acls/${acl.uid}`, payload: { acl: '+get +set ~*' } })
    await m.redis!.settled()
    t.equal(await c2.set('k', '2'), 'OK', 'an ACL change applies live')
    await c2.quit()
    // Several active passwords (/v1/users/password): each one is an ACL password of the user.
    const member = (pw: string) => ({ authorization: 'Basic ' + Buffer.from(`db-member@redis.local:${pw}`).toString('base64') })
    t.equal((await m.inject({ method: 'POST', url: '/v1/users/password', payload: { new_password: 'second-pw' }, headers: member('db-member') })).statusCode, 200)
    await m.redis!.settled()
    t.equal(await loginOutcome(port, { username: 'db-member@redis.local', password: 'second-pw' }), 'ok', 'an added password logs in')
    t.equal(await loginOutcome(port, { username: 'db-member@redis.local', password: 'db-member' }), 'ok', 'the first one still does')
    t.equal((await m.inject({ method: 'DELETE', url: '/v1/users/password', payload: { old_password: 'db-member' }, headers: member('second-pw') })).statusCode, 200)
    await m.redis!.settled()
    t.match(await loginOutcome(port, { username: 'db-member@redis.local', password: 'db-member' }), /WRONGPASS|invalid/i, 'a removed one no longer')
    t.equal((await m.inject({ method: 'DELETE', url: '/v1/users/4' })).statusCode, 200)
    await m.redis!.settled()
    t.match(await loginOutcome(port, { username: 'db-member@redis.local', password: 'db-member' }), /WRONGPASS|invalid/i, 'a deleted user cannot AUTH')
    t.ok(await c.ping().then(() => false, () => true), 'and its connections are closed')
  })

  t.test('a port another process listens on gets 406 port_unavailable; the maximum gets 406 insufficient_resources', async t => {
    const m = await mock(t, { redisMax: 4 })
    const held = m.dbPorts.last // a port of this mock's own range: no other test holds it
    // the mock looks at the host's listeners for this port while it is free (a dry run)...
    const free = await m.inject({ method: 'POST', url: '/v1/bdbs?dry_run=1', payload: { name: 'taken', memory_size: 104857600, port: held } })
    t.equal(free.statusCode, 200, `dry run while free: ${free.body}`)
    // ...and sees the listener opened right after it
    const other = createServer()
    await new Promise<void>(resolve => other.listen(held, '127.0.0.1', resolve))
    t.teardown(() => other.close())
    const taken = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'taken', memory_size: 104857600, port: held } })
    t.equal(taken.statusCode, 406)
    t.equal(json(taken).error_code, 'port_unavailable')
    t.equal((await m.inject({ method: 'GET', url: '/v1/bdbs' })).json().length, 3, 'nothing was created')
    const fourth = await createDb(m, { name: 'fourth', memory_size: 104857600 })
    t.equal(fourth.uid, 4)
    const moved = await m.inject({ method: 'PUT', url: '/v1/bdbs/4', payload: { port: held } })
    t.equal(moved.statusCode, 406, 'moving a database onto it is refused too')
    t.equal(json(moved).error_code, 'port_unavailable')
    t.equal(json(await m.inject({ method: 'GET', url: '/v1/bdbs/4' })).endpoints[0].port, fourth.port, 'the database stays where it was')
    const fifth = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'fifth', memory_size: 104857600 } })
    t.equal(fifth.statusCode, 406)
    t.equal(json(fifth).error_code, 'insufficient_resources')
    t.match(json(fifth).description, /--redis-max 4/)
  })

  t.test('a server that dies is restarted; meanwhile the database is unavailable with an alert', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'crashy', memory_size: 104857600 })
    const c = await redisClient(port)
    const pid = Number(/process_id:(\d+)/.exec(await c.info('server'))![1])
    await c.disconnect()
    // The restart comes within ~100 ms: what the API says meanwhile is read at the change that
    // marks the database down, not by a poll that a busy machine could make miss the window.
    let down: { status: string, availability: string, alert: boolean, bdb: string } | undefined
    m.store.onChange(() => {
      const alert = m.store.state.monitoring.alerts.get('node:1:node_checks_error')
      if (down !== undefined || alert?.state !== true) return
      let availability = 'ok'
      try { m.store.health.checkBdb(uid) } catch (e) { availability = (e as { code: string }).code }
      down = { status: m.store.bdbs.get(uid).status, availability, alert: alert.state, bdb: String(alert.change_value.bdb_uid) }
    })
    process.kill(pid, 'SIGKILL')
    await eventually('the database marked down', () => down !== undefined)
    t.equal(down!.availability, 'bdb_unavailable_shard_unreachable', 'availability: 503 shard unreachable')
    t.equal(down!.status, 'recovery', 'status recovery, not active')
    t.equal(down!.alert, true, 'the node raises node_checks_error')
    t.equal(down!.bdb, String(uid))
    await eventually('the restart', async () => (await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}/availability` })).statusCode === 200)
    t.equal(json(await m.inject({ method: 'GET', url: '/v1/nodes/alerts/1/node_checks_error' })).state, false, 'the alert clears')
    t.equal(json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` })).status, 'active', 'active again')
    const again = await redisClient(port)
    t.equal(await again.ping(), 'PONG', 'a new server answers')
    t.not(Number(/process_id:(\d+)/.exec(await again.info('server'))![1]), pid)
    await again.quit()
    t.notOk(alive(pid))
  })

  t.test('stats come from INFO: keys, memory, requests and hits move with traffic', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'busy', memory_size: 104857600 })
    const c = await redisClient(port)
    for (let i = 0; i < 50; i++) await c.set(`k${i}`, 'x'.repeat(1000))
    const end = Date.now() + 1500
    while (Date.now() < end) {
      await Promise.all([c.get('k1'), c.get('missing'), c.set('k2', 'y')])
    }
    // the mock polls INFO (every 200 ms here): wait for a poll that saw the keys and the traffic
    let last: any
    await eventually('stats from INFO', async () => {
      last = json(await m.inject({ method: 'GET', url: `/v1/bdbs/stats/last/${uid}?interval=1sec` }))[String(uid)]
      return last.no_of_keys === 50 && last.total_req > 10
    }, 30_000)
    t.equal(last.no_of_keys, 50, 'no_of_keys is the server\'s key count')
    t.ok(last.used_memory > 1_000_000, `used_memory from INFO (${last.used_memory})`)
    t.ok(last.total_req > 10, `requests per second (${last.total_req})`)
    t.ok(last.read_hits > 0 && last.read_misses > 0, `hits ${last.read_hits} and misses ${last.read_misses}`)
    t.equal(last.conns, 1, 'the client\'s connection (the mock\'s own is not counted)')
    await c.quit()
    const shard = json(await m.inject({ method: 'GET', url: `/v1/shards/stats/last?parent_uid=${uid}&interval=1sec` }))
    t.equal(Object.values(shard as Record<string, { no_of_keys: number }>)[0].no_of_keys, 50, 'shard stats follow')
    const series = json(await m.inject({ method: 'GET', url: `/v1/bdbs/stats/${uid}?interval=1sec` }))
    const busy = series.intervals.filter((s: { total_req?: number }) => (s.total_req ?? 0) > 10)
    t.ok(busy.length >= 1, `the series shows the traffic (${busy.length} busy seconds)`)
  })

  t.test('a new port moves the server; default_user false turns the default user off', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'mover', memory_size: 104857600 })
    t.equal((await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { port: port + 7 } })).statusCode, 200)
    // active again once the server answers on the new port
    await eventually('active', async () => json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` })).status === 'active')
    t.equal(await portState(port), 'ECONNREFUSED', 'the old port is free')
    const c = await redisClient(port + 7)
    t.equal(await c.ping(), 'PONG', 'the server listens on the new one')
    await m.inject({ method: 'PUT', url: `/v1/bdbs/${uid}`, payload: { default_user: false } })
    await m.inject({ method: 'GET', url: '/v1/bdbs' })
    await m.redis!.settled()
    t.match(await loginOutcome(port + 7, {}).then(async () => {
      const fresh = await redisClient(port + 7)
      return await fresh.ping().then(() => 'ok', (e: Error) => e.message)
    }), /NOAUTH|WRONGPASS|disabled/i, 'no default user any more')
    await c.disconnect()
  })

  t.test('a database marked down by a run that ended meanwhile is cleared by its first server', async t => {
    const stateFile = `${t.testdir()}/state.json`
    const before = await startMock({ stateFile })
    before.store.health.setHealth(1, { unavailable: 'shard_unreachable' })
    before.store.alerts.raise('node', 1, 'node_checks_error', { state: true, change_value: { bdb_uid: '1', reason: 'redis-server exited with status 137' } })
    await before.close()
    const m = await mock(t, { stateFile })
    t.equal((await m.inject({ method: 'GET', url: '/v1/bdbs/1/availability' })).statusCode, 503, 'down as saved')
    await m.redis!.settled()
    t.equal((await m.inject({ method: 'GET', url: '/v1/bdbs/1/availability' })).statusCode, 200, 'up once its server answers')
    t.equal(json(await m.inject({ method: 'GET', url: '/v1/nodes/alerts/1/node_checks_error' })).state, false)
  })

  t.test('stop_traffic closes the port and the clients, resume_traffic opens it again with the data', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'paused', memory_size: 104857600 })
    const c = await redisClient(port)
    await c.set('kept', 'yes')
    t.equal((await m.inject({ method: 'POST', url: `/v1/bdbs/${uid}/actions/stop_traffic` })).statusCode, 200)
    await m.redis!.settled()
    t.ok(await c.ping().then(() => false, () => true), 'an open connection is closed')
    t.equal(await portState(port), 'ECONNREFUSED', 'a new connection is refused')
    await eventually('active', async () => json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` })).status === 'active')
    t.equal((await m.inject({ method: 'POST', url: `/v1/bdbs/${uid}/actions/resume_traffic` })).statusCode, 200)
    await m.redis!.settled()
    const again = await redisClient(port)
    t.equal(await again.get('kept'), 'yes', 'resumed: the same server, its data kept')
    await again.quit()

    await eventually('active', async () => json(await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` })).status === 'active')
    await m.inject({ method: 'POST', url: `/v1/bdbs/${uid}/actions/stop_traffic` })
    await m.redis!.settled()
    const pid = m.redis!.pid(uid)!
    process.kill(pid, 'SIGKILL')
    await eventually('the restart', () => m.redis!.pid(uid) !== pid && m.redis!.answering(uid))
    await m.redis!.settled()
    t.equal(await portState(port), 'ECONNREFUSED', 'a server restarted while traffic is stopped keeps it stopped')
  })

  t.test('every password of /v1/bdbs/{uid}/passwords logs in; a deleted or replaced one no longer', async t => {
    const m = await mock(t)
    const { uid, port } = await createDb(m, { name: 'rotating', memory_size: 104857600, authentication_redis_pass: 'first' })
    const pw = async (method: 'PUT' | 'POST' | 'DELETE', password: string): Promise<void> => {
      t.equal((await m.inject({ method, url: `/v1/bdbs/${uid}/passwords`, payload: { password } })).statusCode, 200, `${method} ${password}`)
      await m.redis!.settled()
    }
    await pw('POST', 'second')
    t.equal(await loginOutcome(port, { password: 'first' }), 'ok', 'the first password still logs in')
    t.equal(await loginOutcome(port, { password: 'second' }), 'ok', 'the added one too')
    await pw('DELETE', 'first')
    t.match(await loginOutcome(port, { password: 'first' }), /WRONGPASS|invalid/i, 'a deleted password is refused')
    t.equal(await loginOutcome(port, { password: 'second' }), 'ok')
    await pw('PUT', 'third')
    t.match(await loginOutcome(port, { password: 'second' }), /WRONGPASS|invalid/i, 'PUT replaces them all')
    t.equal(await loginOutcome(port, { password: 'third' }), 'ok')
  })

  t.test('reset brings the databases back to their start: the data goes', async t => {
    const m = await mock(t)
    const port = json(await m.inject({ method: 'GET', url: '/v1/bdbs/1' })).endpoints[0].port
    await m.redis!.settled()
    const c = await redisClient(port)
    await c.set('before-reset', '1')
    await c.disconnect()
    m.reset()
    await m.redis!.settled()
    const again = await redisClient(port)
    t.equal(await again.get('before-reset'), null)
    await again.quit()
  })
})
