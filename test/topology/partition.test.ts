// A partitioned node and a lost quorum over real sockets (docs/decisions.md #53): the majority
// fails the cut-off node over while its listener keeps answering 503 no_quorum; a follower whose
// master is gone without quorum answers no_quorum instead of redirecting to a dead listener.
import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callNode, startCluster } from '../helpers/nodes.js'
import { createMock, startMock } from '../../src/index.js'

type Shard = { node_uid: string, role: string, bdb_uid: number }

t.test('partition the master: the majority elects another, the cut-off node has no quorum, heal brings it back', async t => {
  const mock = await startCluster(t, 3)
  const [one, two, three] = mock.nodes
  const ha = await callNode(mock, one.url, 'POST', '/v1/bdbs', { body: { name: 'ha', memory_size: 1e8, replication: true, sharding: true, shards_count: 3 } })
  mock.completePending()
  const shards = async (url = two.url) => (await callNode(mock, url, 'GET', '/v1/shards')).body as Shard[]
  t.ok((await shards(one.url)).some(s => s.node_uid === '1' && s.role === 'master' && s.bdb_uid === ha.body.uid), 'node 1 runs a master of ha')

  const cut = await callNode(mock, two.url, 'POST', '/_mock/nodes/1/partition')
  t.same(cut.body, { uid: 1, status: 'down', partitioned: true, master: 2 })
  // the cut-off node still answers, but only with the no-quorum refusal
  for (const path of ['/v1/cluster', '/v1/nodes/1', '/v1/local/node/master_healthcheck', `/v1/bdbs/${ha.body.uid as number}/availability`]) {
    const res = await callNode(mock, one.url, 'GET', path)
    t.equal(res.status, 503, path)
    t.equal(res.body.error_code, 'no_quorum', path)
  }
  t.equal((await callNode(mock, one.url, 'GET', '/v1/bootstrap')).status, 200, 'its own bootstrap status')
  // the majority side: a new master, node 1 down, failed over, alerted, logged
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster')).status, 200)
  const redirect = await callNode(mock, three.url, 'GET', '/v1/nodes')
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, `${two.url}/v1/nodes`)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/1')).body.status, 'down')
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/alerts/1/node_failed')).body.state, true)
  t.notOk((await shards()).some(s => s.node_uid === '1' && s.role === 'master' && s.bdb_uid === ha.body.uid), 'ha\'s masters failed over')
  t.equal((await callNode(mock, two.url, 'GET', `/v1/bdbs/${ha.body.uid as number}/availability`)).status, 200)
  const logs = (await callNode(mock, two.url, 'GET', '/v1/logs')).body as Array<{ type: string, node_uid?: string }>
  t.ok(logs.some(e => e.type === 'node_failed' && e.node_uid === '1'))

  t.same(mock.healNode(1), { uid: 1, status: 'active', partitioned: false, master: 2 })
  const back = await callNode(mock, one.url, 'GET', '/v1/cluster')
  t.equal(back.status, 307, 'back as a follower')
  t.equal(back.headers.location, `${two.url}/v1/cluster`)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/alerts/1/node_failed')).body.state, false)
  t.same(mock.healNode(1), { uid: 1, status: 'active', partitioned: false, master: 2 }, 'healing twice changes nothing')
})

t.test('partition the master of two nodes: neither side has quorum', async t => {
  const mock = await startCluster(t, 2)
  const [one, two] = mock.nodes
  t.same(mock.partitionNode(1), { uid: 1, status: 'down', partitioned: true, master: 1 })
  for (const url of [one.url, two.url]) {
    const res = await callNode(mock, url, 'GET', '/v1/cluster')
    t.equal(res.status, 503)
    t.equal(res.body.error_code, 'no_quorum')
  }
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/2')).body.status, 'active', 'node-local requests are answered')
})

t.test('a majority down with the master: the followers answer no_quorum, not a redirect to a dead node', async t => {
  const mock = await startCluster(t, 3)
  const [one, two] = mock.nodes
  await mock.nodeDown(3)
  t.same(await mock.nodeDown(1), { uid: 1, status: 'down', master: 1 }, 'no quorum to elect another master')
  const res = await callNode(mock, two.url, 'GET', '/v1/cluster')
  t.equal(res.status, 503)
  t.equal(res.body.error_code, 'no_quorum')
  await mock.nodeUp(1)
  const redirect = await callNode(mock, two.url, 'GET', '/v1/cluster')
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, `${one.url}/v1/cluster`)
})

t.test('partition and heal refuse what they cannot do', async t => {
  const mock = await startCluster(t, 2)
  const unknown = await callNode(mock, mock.url, 'POST', '/_mock/nodes/9/partition')
  t.same([unknown.status, unknown.body.error_code], [404, 'node_not_found'])
  const anon = await callNode(mock, mock.url, 'POST', '/_mock/nodes/2/partition', { auth: '' })
  t.same([anon.status, anon.body.error_code], [401, 'unauthorized'])
  await mock.nodeDown(2)
  const down = await callNode(mock, mock.url, 'POST', '/_mock/nodes/2/partition')
  t.same([down.status, down.body.error_code], [406, 'node_not_active'])
  t.same(mock.store.state.nodeOps.partitioned ?? [], [])
  const single = await createMock()
  t.teardown(() => single.close())
  const alone = await single.inject({ method: 'POST', url: '/_mock/nodes/1/partition' })
  t.same([alone.statusCode, alone.json().error_code], [400, 'invalid_schema'])
})

t.test('a partition and a joined node are saved, and reset undoes them', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rs-mock-partition-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const stateFile = join(dir, 'state.json')
  const first = await startMock({ nodes: 3, stateFile })
  first.partitionNode(3)
  // a node added through the control API, as a process at that URL would join
  const added = await first.inject({ method: 'POST', url: '/_mock/nodes/join', payload: { url: 'https://127.0.0.1:1', token: 'x'.repeat(16), addr: '10.9.9.9' } })
  t.equal(added.statusCode, 200)
  t.equal(added.json().uid, 4)
  t.equal(added.json().state.format !== undefined, true, 'the cluster\'s state for the joining node')
  const bad = await first.inject({ method: 'POST', url: '/_mock/nodes/join', payload: { url: 'ftp://x', token: 'x'.repeat(16) } })
  t.same([bad.statusCode, bad.json().error_code], [400, 'invalid_schema'])
  const twice = await first.inject({ method: 'POST', url: '/_mock/nodes/join', payload: { url: 'https://127.0.0.1:1', token: 'y'.repeat(16) } })
  t.same([twice.statusCode, twice.json().error_code], [409, 'already_in_cluster'])
  await first.close()

  const second = await startMock({ stateFile })
  t.teardown(() => second.close())
  t.same(second.nodes.map(n => n.uid), [1, 2, 3], 'no listener for the node of another process')
  t.same(second.store.state.nodeOps.partitioned, [3])
  const nodes = (await second.inject({ method: 'GET', url: '/v1/nodes' })).json() as Array<{ uid: number, addr: string, status: string }>
  t.same(nodes.map(n => [n.uid, n.status]), [[1, 'active'], [2, 'active'], [3, 'down'], [4, 'active']])
  t.equal(nodes[3].addr, '10.9.9.9')
  const health = (await second.inject({ method: 'GET', url: '/_mock/health' })).json()
  t.same(health.nodes.at(-1), { uid: 4, url: 'https://127.0.0.1:1' })
  second.reset()
  t.same(second.store.state.nodeOps.partitioned ?? [], [])
  t.same(second.store.state.nodeOps.remote ?? [], [])
  t.equal(second.store.state.nodes.size, 1, 'back to its start: one node')
})
