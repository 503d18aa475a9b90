// --redis: the API routes that reach a database's server: ?extra_info_keys= on the shard routes
// carries its INFO fields, POST /v1/bdbs/{uid}/command runs on it.
import t from 'tap'
import { startMock } from '../../src/library.js'
import { eventually, noRedis, portState, redisClient } from '../helpers/redis.js'

t.test('extra_info_keys reads the database server\'s INFO', { skip: noRedis }, async t => {
  const m = await startMock({ redis: 'auto', redisPollMs: 100, transitionDelayMs: 0 })
  t.teardown(() => m.close())
  const created = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'info', memory_size: 104857600 } })
  t.equal(created.statusCode, 200, 'created')
  const { uid } = created.json()
  const bdb = async () => (await m.inject({ method: 'GET', url: `/v1/bdbs/${uid as number}` })).json()
  await eventually('the database is active', async () => (await bdb()).status === 'active')
  await m.redis!.settled()
  const port = (await bdb()).endpoints[0].port as number
  const c = await redisClient(port)
  t.teardown(() => c.quit())
  const info = await c.info('server')
  const version = /redis_version:(\S+)/.exec(info)![1]
  await c.set('k', 'x'.repeat(200_000))

  const shardInfo = async () => (await m.inject({ method: 'GET', url: `/v1/bdbs/${uid as number}/shards?extra_info_keys=redis_version&extra_info_keys=used_memory&extra_info_keys=maxmemory&extra_info_keys=connected_clients` })).json()[0].redis_info
  // until the first poll the model answers; then the server's own INFO, the write included
  await eventually('a poll saw the write', async () => {
    const i = await shardInfo()
    return i.redis_version === version && Number(i.used_memory) > 200_000
  })
  const got = await shardInfo()
  t.equal(got.redis_version, version, 'redis_version is the real server\'s')
  t.equal(got.maxmemory, 104857600, 'maxmemory as the server has it, a number')
  t.type(got.connected_clients, 'number')
  t.ok(got.connected_clients >= 1, 'our client is connected')
})

t.test('POST /v1/bdbs/{uid}/command runs on the database\'s server', { skip: noRedis }, async t => {
  const m = await startMock({ redis: 'auto', redisPollMs: 100, transitionDelayMs: 0 })
  t.teardown(() => m.close())
  const { uid } = (await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'cmd', memory_size: 104857600 } })).json()
  const command = async (command: string, args: unknown[] = []) =>
    await m.inject({ method: 'POST', url: `/v1/bdbs/${uid as number}/command`, payload: { command, args } })
  // what the Java admin client does: ask until the new database answers
  await eventually('PING answers', async () => (await command('PING')).statusCode === 200)
  t.same((await command('PING')).json(), { response: true }, 'PONG → true')
  t.same((await command('SET', ['k', 'v'])).json(), { response: true }, 'OK → true')
  t.same((await command('GET', ['k'])).json(), { response: 'v' })
  t.same((await command('INCRBY', ['n', 5])).json(), { response: 5 }, 'a number argument, an integer reply')
  t.same((await command('RPUSH', ['l', 'a', 'b'])).json(), { response: 2 })
  t.same((await command('LRANGE', ['l', 0, -1])).json(), { response: ['a', 'b'] }, 'arrays')
  t.same((await command('GET', ['missing'])).json(), { response: null })
  t.same((await command('DBSIZE')).json(), { response: 3 })
  const failed = (await command('INCR', ['k']))
  t.same([failed.statusCode, failed.json().error_code], [400, 'command_failed'], 'a Redis error reply')
  t.match(failed.json().description, /not an integer/)
  const shutdown = await command('SHUTDOWN')
  t.same([shutdown.statusCode, shutdown.json().error_code], [400, 'command_not_allowed'])
  t.same((await command('PING')).json(), { response: true }, 'the server still answers')
  const c = await redisClient((await m.inject({ method: 'GET', url: `/v1/bdbs/${uid as number}` })).json().endpoints[0].port)
  t.teardown(() => c.quit())
  t.equal(await c.get('k'), 'v', 'a client sees what the command wrote')
})

t.test('DELETE /v1/bdbs/{uid} stops the database\'s server at once, without waiting for another request', { skip: noRedis }, async t => {
  const m = await startMock({ redis: 'auto', redisPollMs: 100, transitionDelayMs: 600_000 })
  t.teardown(() => m.close())
  const { uid } = (await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'gone', memory_size: 104857600 } })).json()
  m.completePending()
  await m.redis!.settled()
  // `active` once its server answers (polled every ANSWER_POLL_MS): as a client, wait for it
  await eventually('the database is active', async () => (await m.inject({ method: 'GET', url: `/v1/bdbs/${uid as number}` })).json().status === 'active')
  const port = (await m.inject({ method: 'GET', url: `/v1/bdbs/${uid as number}` })).json().endpoints[0].port as number
  t.equal(await portState(port), 'open', 'the server listens')
  t.equal((await m.inject({ method: 'DELETE', url: `/v1/bdbs/${uid as number}` })).statusCode, 200)
  // no API request from here on: the deletion's own completion is still pending
  await eventually('the port is closed', async () => await portState(port) === 'ECONNREFUSED')
  t.pass('the server stopped while the database was being deleted')
})
