// Failures a test causes on a three-node cluster over real sockets: a node down stops answering,
// the others mark it down and raise node_failed, its masters fail over; a database without a
// replica there is unavailable; a majority down loses the quorum; back up, it answers again.
import t from 'tap'
import { callNode, startCluster } from '../helpers/nodes.js'

type Shard = { uid: string, node_uid: string, role: string, bdb_uid: number }

t.test('a node down: refused connections, status down, node_failed, failover, unavailable databases', async t => {
  const mock = await startCluster(t, 3)
  const [one, two, three] = mock.nodes
  await callNode(mock, one.url, 'PUT', '/v1/cluster', { body: { handle_redirects: true } })
  const ha = await callNode(mock, one.url, 'POST', '/v1/bdbs', { body: { name: 'ha', memory_size: 1e8, replication: true, sharding: true, shards_count: 3 } })
  const solo = await callNode(mock, one.url, 'POST', '/v1/bdbs', { body: { name: 'solo', memory_size: 1e8, sharding: true, shards_count: 3 } })
  mock.completePending()
  const shards = async () => (await callNode(mock, one.url, 'GET', '/v1/shards')).body as Shard[]
  const before = await shards()
  t.ok(before.some(s => s.node_uid === '2' && s.role === 'master' && s.bdb_uid === ha.body.uid), 'node 2 runs a master of ha')
  const addrTwo = (await callNode(mock, one.url, 'GET', '/v1/nodes/2')).body.addr
  const endpointOf = async () => (await callNode(mock, one.url, 'GET', `/v1/bdbs/${ha.body.uid as number}`)).body.endpoints[0].addr as string[]
  t.ok((await endpointOf()).includes(addrTwo), 'ha\'s endpoint is on node 2, among others')

  const down = await callNode(mock, one.url, 'POST', '/_mock/nodes/2/down')
  t.same(down.body, { uid: 2, status: 'down', master: 1 })
  await t.rejects(callNode(mock, two.url, 'GET', '/v1/cluster'), { code: 'ECONNREFUSED' }, 'its listener stops answering')
  t.equal((await callNode(mock, three.url, 'GET', '/v1/nodes/2')).body.status, 'down', 'the others see it down')
  const alert = await callNode(mock, three.url, 'GET', '/v1/nodes/alerts/2/node_failed')
  t.equal(alert.body.state, true, 'node_failed raised')
  const after = await shards()
  t.notOk(after.some(s => s.node_uid === '2' && s.role === 'master' && s.bdb_uid === ha.body.uid), 'ha\'s masters failed over')
  t.notOk((await endpointOf()).includes(addrTwo), 'and its endpoint left node 2 with them')
  t.equal((await callNode(mock, one.url, 'GET', `/v1/bdbs/${ha.body.uid as number}/availability`)).status, 200, 'ha stays available')
  const lost = await callNode(mock, one.url, 'GET', `/v1/bdbs/${solo.body.uid as number}/availability`)
  t.equal(lost.status, 503, 'solo has a master on node 2 and no replica')
  t.equal(lost.body.error_code, 'bdb_unavailable_shard_unreachable')

  // the checks name the failed node
  t.same((await callNode(mock, one.url, 'GET', '/v1/nodes/check/1')).body, { node_uid: 1, result: true })
  const failed = (await callNode(mock, one.url, 'GET', '/v1/nodes/check/2')).body
  t.equal(failed.result, false)
  t.match(failed.error, /not running or not responding/)
  const clusterCheck = (await callNode(mock, one.url, 'GET', '/v1/cluster/check')).body
  t.equal(clusterCheck.cluster_test_result, false)
  t.same(clusterCheck.nodes.map((n: { node_uid: string, result: boolean }) => [n.node_uid, n.result]), [['1', true], ['2', false], ['3', true]])
  const noNode = await callNode(mock, one.url, 'GET', '/v1/nodes/check/9')
  t.equal(noNode.status, 404)
  t.equal(noNode.body.error_code, 'node_not_found')

  t.same(await mock.nodeUp(2), { uid: 2, status: 'active', master: 1 })
  t.equal((await callNode(mock, one.url, 'GET', '/v1/cluster/check')).body.cluster_test_result, true)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/2')).body.status, 'active', 'answering again')
  t.equal((await callNode(mock, one.url, 'GET', '/v1/nodes/alerts/2/node_failed')).body.state, false)
  t.equal((await callNode(mock, one.url, 'GET', `/v1/bdbs/${solo.body.uid as number}/availability`)).status, 200)
})

t.test('the master down: another node becomes master and the followers redirect there', async t => {
  const mock = await startCluster(t, 3)
  const [, two, three] = mock.nodes
  t.same(await mock.nodeDown(1), { uid: 1, status: 'down', master: 2 })
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster')).status, 200)
  const redirect = await callNode(mock, three.url, 'GET', '/v1/cluster')
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, `${two.url}/v1/cluster`)
})

t.test('a majority down: no quorum', async t => {
  const mock = await startCluster(t, 3)
  const one = mock.nodes[0]
  await mock.nodeDown(2)
  t.equal((await callNode(mock, one.url, 'GET', '/v4/cluster/health')).status, 200, 'two of three up')
  await mock.nodeDown(3)
  for (const path of ['/v4/cluster/health', '/v1/bdbs/1/availability']) {
    const res = await callNode(mock, one.url, 'GET', path)
    t.equal(res.status, 503, path)
    t.equal(res.body.error_code, 'no_quorum')
  }
  const alert = await callNode(mock, one.url, 'GET', '/v1/cluster/alerts/cluster_multiple_nodes_down')
  t.equal(alert.body.state, true)
  await mock.nodeUp(3)
  t.equal((await callNode(mock, one.url, 'GET', '/v4/cluster/health')).status, 200, 'quorum back')
})

t.test('down and up refuse what they cannot do', async t => {
  const mock = await startCluster(t, 2)
  const res = await callNode(mock, mock.url, 'POST', '/_mock/nodes/9/down')
  t.equal(res.status, 404)
  t.equal(res.body.error_code, 'node_not_found')
  const anon = await callNode(mock, mock.url, 'POST', '/_mock/nodes/2/down', { auth: '' })
  t.equal(anon.status, 401)
  t.equal(anon.body.error_code, 'unauthorized')
  t.equal(mock.store.state.nodes.get(2)?.status, 'active')
})
