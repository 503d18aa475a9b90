// The test control refuses to take down the last node of a process that still listens: with it
// closed nothing would answer, not even /_mock/, and the process would end.
import t from 'tap'
import { startMock } from '../../src/index.js'
import { callNode, startCluster } from '../helpers/nodes.js'

t.test('one node: POST /_mock/nodes/1/down is 409 last_listening_node and the process answers on', async t => {
  const mock = await startMock()
  t.teardown(() => mock.close())
  const res = await callNode(mock, mock.url, 'POST', '/_mock/nodes/1/down')
  t.same([res.status, res.body.error_code], [409, 'last_listening_node'])
  t.equal((await callNode(mock, mock.url, 'GET', '/v1/nodes/1')).body.status, 'active', 'not marked down')
  t.equal((await callNode(mock, mock.url, 'GET', '/_mock/health')).status, 200)
  await t.rejects(mock.nodeDown(1), { code: 'last_listening_node' }, 'the library call too')
})

t.test('three nodes: two go down, the third is refused; back up, each may go down again', async t => {
  const mock = await startCluster(t, 3)
  const [one, , three] = mock.nodes
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/2/down')).status, 200)
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/3/down')).status, 200)
  const last = await callNode(mock, one.url, 'POST', '/_mock/nodes/1/down')
  t.same([last.status, last.body.error_code], [409, 'last_listening_node'])
  t.equal((await callNode(mock, one.url, 'GET', '/_mock/health')).status, 200, 'node 1 still answers')
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/3/up')).status, 200)
  t.equal((await callNode(mock, three.url, 'POST', '/_mock/nodes/1/down')).status, 200, 'node 3 listens again: node 1 may go')
})

t.test('partition, down, heal: the node stays down (its listener is closed) until it is brought up', async t => {
  const mock = await startCluster(t, 3)
  const [one, two] = mock.nodes
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/2/partition')).status, 200)
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/2/down')).status, 200)
  const healed = await callNode(mock, one.url, 'POST', '/_mock/nodes/2/heal')
  t.equal(healed.status, 200)
  t.equal(healed.body.status, 'down', 'heal answers the node still down')
  t.equal((await callNode(mock, one.url, 'GET', '/v1/nodes/2')).body.status, 'down', '/v1/nodes agrees with the closed listener')
  await t.rejects(callNode(mock, two.url, 'GET', '/v1/nodes/2'), { code: 'ECONNREFUSED' })
  t.equal((await callNode(mock, one.url, 'POST', '/_mock/nodes/2/up')).status, 200)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/2')).body.status, 'active', 'up: active and answering')
})
