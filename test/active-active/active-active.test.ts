// Two mocks on loopback form an Active-Active pair: the coordinator of the one that gets
// POST /v1/crdbs calls the other over real HTTPS with its credentials; both then show the CRDB,
// their own member database and each other in peer_stats. A cluster that does not answer fails
// the task, and the cluster that had joined drops its member again.
import t, { type Test } from 'tap'
import { createServer } from 'node:net'
import { startMock, type RunningMock } from '../../src/library.js'

interface Cluster { mock: RunningMock, name: string, credentials: { username: string, password: string }, auth: string }

/** A fresh node bootstrapped into a cluster of its own name, as RS clusters are made. */
async function cluster (t: Test, name: string): Promise<Cluster> {
  const mock = await startMock({ scenario: 'fresh-node', transitionDelayMs: 20 })
  t.teardown(() => mock.close())
  const credentials = { username: `admin@${name}`, password: `pw-${name}` }
  const auth = 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
  const res = await mock.inject({ method: 'POST', url: '/v1/bootstrap/create_cluster', payload: { action: 'create_cluster', cluster: { name }, credentials } })
  t.equal(res.statusCode, 200, `${name}: bootstrap`)
  const c = { mock, name, credentials, auth }
  await until(`${name} to bootstrap`, async () => (await mock.inject({ method: 'GET', url: '/v1/bootstrap', headers: { authorization: auth } })).json(),
    b => b.bootstrap_status?.state === 'completed')
  return c
}

const pair = async (t: Test): Promise<[Cluster, Cluster]> => [await cluster(t, 'east.example'), await cluster(t, 'west.example')]

const member = (c: Cluster) => ({ cluster: { name: c.name, url: c.mock.url, credentials: c.credentials }, compression: 6 })

async function call (c: Cluster, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<any> {
  return (await c.mock.inject({ method, url, payload, headers: { authorization: c.auth } })).json()
}
const get = async (c: Cluster, url: string): Promise<any> => await call(c, 'GET', url)

/** Polls until `done` holds (each poll is a request: due transitions happen on requests). */
async function until<T> (what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await read()
    if (done(v)) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`)
    await new Promise(resolve => setTimeout(resolve, 15))
  }
}

const ended = (task: any): boolean => task.status === 'finished' || task.status === 'failed'

t.test('POST /v1/crdbs on one mock creates the member database on both', async t => {
  const [east, west] = await pair(t)
  const body = {
    name: 'orders',
    default_db_config: { memory_size: 104857600 },
    instances: [member(east), member(west)]
  }
  const res = await east.mock.inject({ method: 'POST', url: '/v1/crdbs', payload: body, headers: { authorization: east.auth } })
  t.equal(res.statusCode, 200)
  const task = res.json()
  t.equal(task.status, 'queued')
  const done = await until('the task', () => get(east, `/v1/crdb_tasks/${task.id}`), ended)
  t.equal(done.status, 'finished', JSON.stringify(done.errors ?? []))

  const calls = west.mock.journal.list().filter(e => e.path === '/v1/crdbs' && e.method === 'POST')
  t.equal(calls.length, 1, 'the coordinator called the other mock')
  t.equal(calls[0].status, 200)
  t.equal(calls[0].user, 'admin@west.example', 'with the instance\'s credentials')
  t.equal(calls[0].headers['x-crdb-coordinator'], 'east.example')

  const uids = new Map<Cluster, string>()
  for (const [mock, id, other] of [[east, 1, '2'], [west, 2, '1']] as const) {
    const crdb = await get(mock, `/v1/crdbs/${task.crdb_guid}`)
    t.same(crdb.instances.map((i: any) => [i.id, i.cluster.name, i.cluster.url]), [[1, 'east.example', east.mock.url], [2, 'west.example', west.mock.url]], 'both instances on each')
    t.equal(crdb.local_databases.length, 1)
    t.equal(crdb.local_databases[0].id, id)
    const uid = crdb.local_databases[0].bdb_uid
    uids.set(mock, uid)
    const bdb = await until('the member', () => get(mock, `/v1/bdbs/${uid}`), b => b.status === 'active')
    t.match(bdb, { name: 'orders', crdt: true, crdt_guid: task.crdb_guid, crdt_replica_id: id, memory_size: 104857600 })
    const peers = await get(mock, `/v1/bdbs/${uid}/peer_stats`)
    t.same(peers.peer_stats.map((p: any) => p.uid), [other], 'each shows the other as its peer')
  }

  // a change made on one side reaches the other's member database, through its own task
  const patch = await call(east, 'PATCH', `/v1/crdbs/${task.crdb_guid}`, { default_db_config: { memory_size: 209715200 } })
  t.equal((await until('the patch', () => get(east, `/v1/crdb_tasks/${patch.id}`), ended)).status, 'finished')
  for (const c of [east, west]) {
    const bdb = await until('the change', () => get(c, `/v1/bdbs/${uids.get(c)}`), b => b.status === 'active' && b.memory_size === 209715200)
    t.equal(bdb.crdt_config_version, 2, `${c.name}: a new configuration version`)
  }
  const flush = await call(west, 'PUT', `/v1/crdbs/${task.crdb_guid}/flush`)
  t.equal((await until('the flush', () => get(west, `/v1/crdb_tasks/${flush.id}`), ended)).status, 'finished')
  t.same(east.mock.journal.list().filter(e => e.method === 'PUT' && e.path.endsWith('/flush')).map(e => e.status), [200], 'the flush reached the other side')

  // deleting from the other side removes it on both
  const del = await call(west, 'DELETE', `/v1/crdbs/${task.crdb_guid}`)
  const gone = await until('the delete', () => get(west, `/v1/crdb_tasks/${del.id}`), ended)
  t.equal(gone.status, 'finished', JSON.stringify(gone.errors ?? []))
  t.same(await get(east, '/v1/crdbs'), { crdbs: [] })
  t.same(await get(west, '/v1/crdbs'), { crdbs: [] })
})

t.test('a cluster that does not answer fails the task with cluster_unreachable', async t => {
  const [east, west] = await pair(t)
  // a port that was free a moment ago: nothing listens there
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))

  const body = {
    name: 'sessions',
    default_db_config: { memory_size: 104857600 },
    instances: [
      member(east),
      member(west),
      { cluster: { name: 'gone.example', url: `https://127.0.0.1:${port}`, credentials: { username: 'a', password: 'b' } } }
    ]
  }
  const task = await call(east, 'POST', '/v1/crdbs', body)
  const failed = await until('the task', () => get(east, `/v1/crdb_tasks/${task.id}`), ended)
  t.equal(failed.status, 'failed')
  t.equal(failed.errors.length, 1)
  t.match(failed.errors[0], { cluster_name: 'gone.example', error_code: 'cluster_unreachable', description: /no answer over HTTPS/ })
  t.same(await get(east, '/v1/crdbs'), { crdbs: [] }, 'nothing committed on the coordinator')
  t.equal((await get(east, '/v1/bdbs')).length, 0)
  await until('the joined cluster to leave', async () => ({ crdbs: await get(west, '/v1/crdbs'), bdbs: await get(west, '/v1/bdbs') }),
    v => v.crdbs.crdbs.length === 0 && v.bdbs.length === 0)

  // wrong credentials: the peer's own 401 is the task's error
  const denied = { ...body, instances: [member(east), { cluster: { ...member(west).cluster, credentials: { username: 'admin@west.example', password: 'wrong' } } }] }
  const task2 = await call(east, 'POST', '/v1/crdbs', denied)
  const failed2 = await until('the task', () => get(east, `/v1/crdb_tasks/${task2.id}`), ended)
  t.match(failed2, { status: 'failed', errors: [{ cluster_name: 'west.example', error_code: 'unauthorized' }] })
})
