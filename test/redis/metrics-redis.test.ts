// --redis: the exporter's memory, keys, hits and misses, evictions, expirations and connections
// are the real redis-server's INFO. A database filled to its memory limit shows used memory near
// the limit. Skipped without a redis-server; waits poll with deadlines.
import t from 'tap'
import { request } from 'node:https'
import { startMock, type RunningMock } from '../../src/library.js'
import { eventually, noRedis, redisClient } from '../helpers/redis.js'
import { one, parseExposition, type Parsed } from '../helpers/metrics.js'

// ports of their own: test files run in parallel
let nextPort = 16900

function scrape (m: RunningMock, path = '/v2'): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    request(`${m.metricsUrl!}${path}`, { ca: m.ca, agent: false }, res => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve(parseExposition(body)))
    }).on('error', reject).end()
  })
}

async function createDb (m: RunningMock, body: object): Promise<{ uid: number, port: number }> {
  const res = await m.inject({ method: 'POST', url: '/v1/bdbs', payload: { port: nextPort++, ...body } })
  if (res.statusCode !== 200) throw new Error(`create: ${res.statusCode} ${res.body}`)
  const { uid } = JSON.parse(res.body)
  let got: any
  await eventually(`database ${uid} active`, async () => (got = JSON.parse((await m.inject({ method: 'GET', url: `/v1/bdbs/${uid}` })).body)).status === 'active')
  await m.redis!.settled()
  return { uid, port: got.endpoints[0].port }
}

const info = (text: string, key: string): number => Number(new RegExp(`^${key}:(\\d+)`, 'm').exec(text)?.[1] ?? NaN)

t.test('metrics from the real servers\' INFO', { skip: noRedis }, async t => {
  const m = await startMock({ redis: 'auto', redisPollMs: 200, transitionDelayMs: 0 })
  t.teardown(() => m.close())
  const limit = 16 * 1024 * 1024
  const full = await createDb(m, { name: 'full', memory_size: limit, eviction_policy: 'noeviction' })
  const lru = await createDb(m, { name: 'lru', memory_size: limit, eviction_policy: 'allkeys-lru' })
  const c = await redisClient(full.port)
  t.teardown(() => c.disconnect())
  const value = 'x'.repeat(64 * 1024)
  let stored = 0
  for (let i = 0; i < 1000; i++) {
    try {
      await c.set(`k${i}`, value)
      stored++
    } catch (e) {
      t.match((e as Error).message, /OOM/, 'filled until the server refuses writes')
      break
    }
  }
  t.ok(stored > 100 && stored < 1000, `${stored} values stored`)
  await c.get('k0')
  await c.get('k1')
  await c.get('missing')
  await c.set('short', 'v', { PX: 1 }).catch(() => {}) // may be refused at OOM; expirations are checked on lru

  const db = String(full.uid)
  let p!: Parsed
  let text = ''
  await eventually('the exporter shows the filled database', async () => {
    text = await c.info()
    p = await scrape(m)
    return one(p, 'redis_server_db_keys', { db }) === info(text, 'db0:keys=') || one(p, 'redis_server_db_keys', { db }) === (await c.dbSize())
  }, 20_000)
  const used = one(p, 'redis_server_used_memory', { db })
  t.ok(used > limit * 0.9 && used <= limit * 1.05, `used memory ${used} near the limit ${limit}`)
  t.equal(one(p, 'redis_server_maxmemory', { db }), limit)
  t.equal(one(p, 'redis_server_db_keys', { db }), await c.dbSize(), 'keys: the server\'s DBSIZE')
  t.equal(one(p, 'redis_server_keyspace_read_hits', { db }), info(await c.info('stats'), 'keyspace_hits'), 'hits: INFO keyspace_hits')
  t.equal(one(p, 'redis_server_keyspace_read_misses', { db }), info(await c.info('stats'), 'keyspace_misses'), 'misses: INFO keyspace_misses')
  t.ok(one(p, 'redis_server_connected_clients', { db }) >= 1, 'our client is connected')
  const v1 = await scrape(m, '/metrics')
  const ratio = one(v1, 'bdb_used_memory', { bdb: db }) / one(v1, 'bdb_memory_limit', { bdb: db })
  t.ok(ratio > 0.9, `v1 used/limit ${ratio}`)

  // allkeys-lru: writing past the limit evicts; short TTLs expire
  const l = await redisClient(lru.port)
  t.teardown(() => l.disconnect())
  for (let i = 0; i < 400; i++) await l.set(`e${i}`, value)
  for (let i = 0; i < 20; i++) await l.set(`ttl${i}`, 'v', { PX: 1 })
  await eventually('expired keys', async () => { for (let i = 0; i < 20; i++) await l.get(`ttl${i}`); return info(await l.info('stats'), 'expired_keys') > 0 })
  const stats = await l.info('stats')
  await eventually('evictions and expirations in the exporter', async () => {
    p = await scrape(m)
    return one(p, 'redis_server_evicted_keys', { db: String(lru.uid) }) === info(stats, 'evicted_keys') &&
      one(p, 'redis_server_expired_keys', { db: String(lru.uid) }) >= info(stats, 'expired_keys')
  }, 20_000)
  t.ok(info(stats, 'evicted_keys') > 0, 'keys were evicted')
  t.ok(one(p, 'redis_server_expired_keys', { db: String(lru.uid) }) > 0)
  t.ok(one(p, 'redis_server_total_connections_received', { db: String(lru.uid) }) >= 1, 'connections received: INFO total_connections_received')
})
