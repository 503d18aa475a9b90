// --redis: ?extra_info_keys= on the shard routes carries the real server's INFO fields.
import t from 'tap'
import { startMock } from '../../src/library.js'
import { eventually, noRedis, redisClient } from '../helpers/redis.js'

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
