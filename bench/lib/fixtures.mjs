// Scale fixtures: every file of fixtures/default, with bdbs.json replaced by N one-shard clones of
// database 1 (unique uid, name, port, shard uid) and the node and license counters following.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const PORT_MIN = 10000
const PORT_MAX = 19999

export function scaleFixtures (sourceDir, targetDir, n) {
  mkdirSync(targetDir, { recursive: true })
  for (const f of readdirSync(sourceDir)) if (f.endsWith('.json')) copyFileSync(join(sourceDir, f), join(targetDir, f))
  const read = f => JSON.parse(readFileSync(join(sourceDir, f), 'utf8'))
  const write = (f, v) => writeFileSync(join(targetDir, f), JSON.stringify(v, null, 1))

  const cluster = read('cluster.json')
  const inRange = p => p >= PORT_MIN && p <= PORT_MAX
  let reserved = new Set((cluster.system_reserved_ports ?? []).filter(inRange))
  // The range holds 10,000 ports: with N = 10,000 the cluster may reserve none of them.
  if (PORT_MAX - PORT_MIN + 1 - reserved.size < n) {
    cluster.system_reserved_ports = cluster.system_reserved_ports.filter(p => !inRange(p))
    reserved = new Set()
    write('cluster.json', cluster)
  }
  if (PORT_MAX - PORT_MIN + 1 < n) throw new Error(`at most ${PORT_MAX - PORT_MIN + 1} databases fit the port range`)
  const ports = []
  for (let p = PORT_MIN; ports.length < n; p++) if (!reserved.has(p)) ports.push(p)

  const template = read('bdbs.json')[0]
  const bdbs = ports.map((port, i) => {
    const uid = i + 1
    const b = structuredClone(template)
    Object.assign(b, { uid, name: `db-${uid}`, port, shard_list: [uid], shards_count: 1, sharding: false, replication: false })
    b.endpoints = [{ ...template.endpoints[0], dns_name: `redis-${port}.${cluster.name}`, port, uid: `${uid}:1` }]
    return b
  })
  write('bdbs.json', bdbs)

  const nodes = read('nodes.json')
  const shards = bdbs.map(b => b.uid)
  Object.assign(nodes[0], {
    shard_list: shards,
    shard_count: n,
    ram_shard_count: n,
    max_redis_servers: Math.max(nodes[0].max_redis_servers ?? 0, n),
    max_listeners: Math.max(nodes[0].max_listeners ?? 0, n),
    // memory for every clone and the databases the bench creates (new ones must fit: insufficient_resources)
    total_memory: Math.max(nodes[0].total_memory ?? 0, (n + 100) * template.memory_size)
  })
  write('nodes.json', nodes)

  const license = read('license.json')
  license.ram_shards_in_use = n
  write('license.json', license)
  return targetDir
}
