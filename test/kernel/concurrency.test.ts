// Issue 8: 1,000 concurrent mixed writes (create, update, delete of databases, users and roles)
// over HTTPS from many connections, then the invariants: unique uids and ports, no shard without
// a database, no binding to a deleted role, cluster-state-id strictly increasing per change,
// every acknowledged write visible and every rejected one absent.
import t from 'tap'
import { Agent } from 'node:https'
import { ADMIN_BASIC, httpsCall, startTestServer } from '../helpers/raw.js'
import { mulberry32 } from '../../src/control/faults.js'

interface Write { chain: number, op: string, method: string, url: string, status: number, stateId: number, body: any, sent?: any }

t.test('1,000 concurrent mixed writes keep every invariant', async t => {
  // Transitions complete at once (on the next request): they count as changes too.
  const { port, store } = await startTestServer(t, ['--transition-delay-ms', '0'])
  const agents = Array.from({ length: 8 }, () => new Agent({ keepAlive: true, maxSockets: 8 }))
  t.teardown(() => agents.forEach(a => a.destroy()))
  const random = mulberry32(8)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
  const initialId = store.clusterStateId
  const writes: Write[] = []
  const roleUids: number[] = []
  let budget = 1000

  const write = async (chain: number, op: string, method: string, url: string, sent?: unknown): Promise<Write | undefined> => {
    if (budget <= 0) return undefined
    budget--
    const res = await httpsCall(port, method, url, {
      agent: agents[chain % agents.length], headers: { authorization: ADMIN_BASIC }, ...(sent === undefined ? {} : { body: JSON.stringify(sent) })
    })
    let body: unknown
    try { body = JSON.parse(res.body) } catch { body = res.body }
    const w = { chain, op, method, url, status: res.status, stateId: Number(res.headers['cluster-state-id']), body, sent }
    writes.push(w)
    return w
  }

  const bdbChain = async (chain: number) => {
    // Ports from a small pool: some creates collide and must be refused.
    const created = await write(chain, 'bdb.create', 'POST', '/v1/bdbs', { name: `cc-${chain}`, memory_size: 1048576, port: 15000 + Math.floor(random() * 40) })
    const uid = created?.status === 200 ? created.body.uid : 999999
    for (let i = 0; i < 2; i++) {
      const body = random() < 0.5 && roleUids.length > 0
        ? { roles_permissions: [{ role_uid: pick(roleUids), redis_acl_uid: 1 }] }
        : { memory_size: 1048576 * (2 + Math.floor(random() * 8)) }
      await write(chain, 'bdb.update', 'PUT', `/v1/bdbs/${uid}`, body)
    }
    if (random() < 0.5) await write(chain, 'bdb.delete', 'DELETE', `/v1/bdbs/${uid}`)
  }
  const roleChain = async (chain: number) => {
    const created = await write(chain, 'role.create', 'POST', '/v1/roles', { name: `role-${chain}`, management: pick(['db_viewer', 'db_member', 'cluster_viewer']) })
    if (created?.status === 200) roleUids.push(created.body.uid)
    const uid = created?.status === 200 ? created.body.uid : 999999
    await write(chain, 'role.update', 'PUT', `/v1/roles/${uid}`, { management: pick(['db_viewer', 'db_member']) })
    await new Promise(resolve => setTimeout(resolve, random() * 50))
    await write(chain, 'role.delete', 'DELETE', `/v1/roles/${uid}`)
  }
  const userChain = async (chain: number) => {
    const roles = roleUids.length > 0 && random() < 0.8 ? [pick(roleUids)] : [3]
    // Some emails repeat across chains: the second create must be refused.
    const email = `u${Math.floor(random() * 120)}@cc.local`
    const created = await write(chain, 'user.create', 'POST', '/v1/users', { email, password: 'concurrent-1', name: `user ${chain}`, role_uids: roles })
    const uid = created?.status === 200 ? created.body.uid : 999999
    await write(chain, 'user.update', 'PUT', `/v1/users/${uid}`, { name: `renamed ${chain}` })
    if (random() < 0.5) await write(chain, 'user.delete', 'DELETE', `/v1/users/${uid}`)
  }

  const chains: Array<Promise<void>> = []
  for (let chain = 0; chain < 360; chain++) chains.push([bdbChain, roleChain, userChain][chain % 3](chain))
  await Promise.all(chains)
  t.equal(writes.length, 1000, '1,000 writes sent')
  const acked = writes.filter(w => w.status === 200)
  const rejected = writes.filter(w => w.status !== 200)
  t.ok(acked.length > 300 && rejected.length > 50, `${acked.length} acknowledged, ${rejected.length} rejected`)
  t.same(writes.filter(w => w.status >= 500).map(w => `${w.op} ${w.status}`), [], 'no 5xx')
  const codes = new Set(rejected.map(w => w.body?.error_code))
  t.comment(`concurrency: ${acked.length} acknowledged, ${rejected.length} rejected (${[...codes].sort().join(', ')})`)

  const get = async (url: string) => JSON.parse((await httpsCall(port, 'GET', url, { headers: { authorization: ADMIN_BASIC } })).body)
  const bdbs: any[] = await get('/v1/bdbs')
  const users: any[] = await get('/v1/users')
  const roles: any[] = await get('/v1/roles')
  const shards: any[] = await get('/v1/shards')
  const nodes: any[] = await get('/v1/nodes')

  const unique = (xs: unknown[]) => new Set(xs).size === xs.length
  t.ok(unique(bdbs.map(b => b.uid)) && unique(users.map(u => u.uid)) && unique(roles.map(r => r.uid)), 'uids unique in every collection')
  const ports = bdbs.flatMap(b => b.endpoints.map((e: { port: number }) => e.port))
  t.ok(unique(ports), `endpoint ports unique (${ports.length})`)
  t.ok(unique(bdbs.map(b => b.name)) && unique(users.map(u => u.email)) && unique(roles.map(r => r.name)), 'names and emails unique')
  const bdbUids = new Set(bdbs.map(b => b.uid))
  const shardUids = new Set(shards.map(s => s.uid))
  t.same(shards.filter(s => !bdbUids.has(Number(s.bdb_uid))).map(s => s.uid), [], 'no shard without a database')
  t.same(bdbs.flatMap(b => b.shard_list).filter((s: unknown) => !shardUids.has(String(s)) && !shardUids.has(s)), [], 'every database shard exists')
  t.same([...nodes[0].shard_list].map(String).sort(), [...shardUids].map(String).sort(), "the node's shard_list is exactly the shards")
  const roleSet = new Set(roles.map(r => r.uid))
  t.same(users.filter(u => (u.role_uids ?? []).some((r: number) => !roleSet.has(r))).map(u => u.uid), [], 'no user bound to a deleted role')
  t.same(bdbs.filter(b => b.roles_permissions.some((p: { role_uid: number }) => !roleSet.has(p.role_uid))).map(b => b.uid), [], 'no database binding to a deleted role')

  // cluster-state-id: one per change, never shared, never going back on a connection.
  const ids = acked.map(w => w.stateId)
  t.ok(unique(ids), 'no two acknowledged writes share a cluster-state-id')
  t.ok(ids.every(id => id > initialId && id <= store.clusterStateId), 'every id within the run')
  t.ok(store.clusterStateId - initialId >= acked.length, `the counter moved at least once per acknowledged write (${store.clusterStateId - initialId} ≥ ${acked.length})`)
  const byChain = new Map<number, number[]>()
  for (const w of writes) byChain.set(w.chain, [...(byChain.get(w.chain) ?? []), w.status === 200 ? w.stateId : -1])
  const backwards = [...byChain].filter(([, seq]) => seq.filter(id => id > 0).some((id, i, a) => i > 0 && id <= a[i - 1]))
  t.same(backwards.map(([c]) => c), [], 'strictly increasing along each chain of acknowledged writes')

  // Acknowledged writes are visible; rejected ones left nothing behind.
  const has = (op: string) => acked.filter(w => w.op === op)
  const deletedBdbs = new Set(has('bdb.delete').map(w => Number(w.url.split('/').at(-1))))
  t.same(has('bdb.create').filter(w => !deletedBdbs.has(w.body.uid) && !bdbUids.has(w.body.uid)).map(w => w.body.uid), [], 'every acknowledged database create is there (unless deleted)')
  t.same([...deletedBdbs].filter(uid => bdbUids.has(uid)), [], 'every acknowledged delete is gone')
  const bdbNames = new Set(bdbs.map(b => b.name))
  t.same(rejected.filter(w => w.op === 'bdb.create' && bdbNames.has(w.sent.name)).map(w => w.sent.name), [], 'no refused create left a database')
  const lastUpdate = new Map<number, Write>()
  for (const w of has('bdb.update').filter(w => w.sent.memory_size !== undefined)) {
    const uid = Number(w.url.split('/').at(-1))
    if ((lastUpdate.get(uid)?.stateId ?? -1) < w.stateId) lastUpdate.set(uid, w)
  }
  const memory = new Map(bdbs.map(b => [b.uid, b.memory_size]))
  t.same([...lastUpdate].filter(([uid, w]) => memory.has(uid) && memory.get(uid) !== w.sent.memory_size).map(([uid]) => uid), [], 'each database has the size of its last acknowledged update')
  const emails = new Set(users.map(u => u.email))
  const deletedUsers = new Set(has('user.delete').map(w => Number(w.url.split('/').at(-1))))
  t.same(has('user.create').filter(w => !deletedUsers.has(w.body.uid) && !emails.has(w.sent.email)).map(w => w.sent.email), [], 'every acknowledged user create is there (unless deleted)')
  t.same(rejected.filter(w => w.op === 'user.create' && w.body?.error_code !== 'email_already_exists' && emails.has(w.sent.email)).map(w => w.sent.email), [], 'no refused user create left a user')
  const deletedRoles = new Set(has('role.delete').map(w => Number(w.url.split('/').at(-1))))
  t.same([...deletedRoles].filter(uid => roleSet.has(uid)), [], 'every acknowledged role delete is gone')
  t.same(rejected.filter(w => w.op === 'role.delete' && w.url !== '/v1/roles/999999').filter(w => !roleSet.has(Number(w.url.split('/').at(-1)))).map(w => w.url), [],
    'a refused role delete left the role in place')
})
