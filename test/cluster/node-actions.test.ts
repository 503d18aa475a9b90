// The node API on a three-node cluster: PUT /v1/nodes/{uid}, maintenance with its snapshot,
// remove with its shards migrating, enslave_node, the action statuses and their refusals.
import t, { type Test } from 'tap'
import { createMock, type MockHandle } from '../../src/index.js'
import { callNode, startCluster } from '../helpers/nodes.js'

type Shard = { uid: string, node_uid: string, role: string, bdb_uid: number, assigned_slots: string }

async function cluster (nodes = 3) {
  // transitions wait for completePending(): what runs, and for how long, never depends on the machine's speed
  const mock = await createMock({ nodes, transitionDelayMs: 600_000 })
  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await mock.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload: payload as object }) })
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
  }
  const shards = async () => (await call('GET', '/v1/shards')).body as Shard[]
  return { mock, call, shards }
}

/** Every replica on another node than its master (the master of the same slots). */
function pairsApart (t: Test, shards: Shard[]): void {
  for (const r of shards.filter(s => s.role === 'slave')) {
    const master = shards.find(s => s.role === 'master' && s.bdb_uid === r.bdb_uid && s.assigned_slots === r.assigned_slots)
    t.ok(master, `bdb ${r.bdb_uid}: replica ${r.uid} has a master`)
    t.not(r.node_uid, master?.node_uid, `bdb ${r.bdb_uid}: replica ${r.uid} away from its master`)
  }
}

async function replicated (mock: MockHandle, call: (m: string, u: string, p?: unknown) => Promise<{ status: number, body: any }>) {
  const res = await call('POST', '/v1/bdbs', { name: 'ha', memory_size: 1e8, replication: true, sharding: true, shards_count: 2 })
  mock.completePending()
  return res.body.uid as number
}

t.test('PUT /v1/nodes/{uid} updates the writable fields and answers an empty 200', async t => {
  const { call } = await cluster()
  const res = await call('PUT', '/v1/nodes/2', { rack_id: 'rack-b', max_listeners: 50, external_addr: ['192.0.2.24'] })
  t.equal(res.status, 200)
  t.equal(res.body, undefined)
  const node = (await call('GET', '/v1/nodes/2')).body
  t.equal(node.rack_id, 'rack-b')
  t.equal(node.max_listeners, 50)
  t.same(node.external_addr, ['192.0.2.24'])
  const refusals: Array<[unknown, number, string]> = [
    [{ addr: '10.9.9.9' }, 406, 'node_not_offline'],
    [{ rack_id: 'rack-c' }, 406, 'node_already_has_rack_id'],
    [{ uid: 5 }, 400, 'invalid_schema'],
    [{ max_listeners: '50' }, 400, 'invalid_schema']
  ]
  for (const [body, status, code] of refusals) {
    const r = await call('PUT', '/v1/nodes/2', body)
    t.equal(r.status, status, JSON.stringify(body))
    t.equal(r.body.error_code, code)
  }
  const populated = await call('PUT', '/v1/nodes/1', { accept_servers: false })
  t.equal(populated.status, 406)
  t.equal(populated.body.error_code, 'node_already_populated')
  const missing = await call('PUT', '/v1/nodes/9', { rack_id: 'x' })
  t.equal(missing.status, 404)
  t.equal(missing.body.error_code, 'node_not_found')
  t.equal((await call('GET', '/v1/nodes/2')).body.rack_id, 'rack-b', 'refusals changed nothing')
})

t.test('maintenance_on moves every shard away, with a snapshot; maintenance_off brings them back', async t => {
  const { mock, call, shards } = await cluster()
  await replicated(mock, call)
  const before = await shards()
  const onTwo = before.filter(s => s.node_uid === '2').map(s => s.uid).sort()
  t.ok(onTwo.length > 0, 'node 2 runs shards')
  t.same(await call('POST', '/v1/nodes/2/actions/maintenance_on', {}), { status: 200, body: {} })
  const during = await shards()
  t.equal(during.filter(s => s.node_uid === '2').length, 0, 'node 2 is empty')
  t.equal(during.length, before.length, 'no shard lost')
  pairsApart(t, during)
  const snaps = (await call('GET', '/v1/nodes/2/snapshots')).body
  t.equal(snaps.length, 1)
  t.same(Object.keys(snaps[0]), ['created_time', 'name', 'node_uid'])
  t.equal(snaps[0].node_uid, '2')
  t.match(snaps[0].created_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  t.same((await call('GET', '/v1/nodes/2/status')).body.maintenance_snapshot, snaps[0], 'the status names the maintenance snapshot')
  t.notOk('maintenance_snapshot' in (await call('GET', '/v1/nodes/1/status')).body, 'a node not in maintenance has none')
  const hostnames = Object.values((await call('GET', '/v1/nodes/status')).body as Record<string, { hostname: string }>).map(n => n.hostname)
  t.same(hostnames, ['mock-node-1', 'mock-node-2', 'mock-node-3'], 'each node has its own host name')
  const locked = await call('DELETE', `/v1/nodes/2/snapshots/${snaps[0].name as string}`)
  t.equal(locked.status, 403)
  t.equal(locked.body.error_code, 'maintenance_snapshot')
  // a new database stays off the node in maintenance
  await call('POST', '/v1/bdbs', { name: 'later', memory_size: 1e8 })
  t.equal((await shards()).filter(s => s.node_uid === '2').length, 0)
  t.same((await call('GET', '/v1/nodes/2/actions/maintenance_on')).body, { name: 'maintenance_on', node_uid: '2', progress: 0, status: 'running' },
    'running until the transition delay has passed')
  const twice = await call('POST', '/v1/nodes/2/actions/maintenance_on', {})
  t.equal(twice.status, 409, 'a second action on the node while one runs')
  t.equal(twice.body.error_code, 'conflict')
  const other = await call('POST', '/v1/nodes/2/actions/maintenance_off', {})
  t.same([other.status, other.body.error_code], [409, 'conflict'], 'whatever its type')
  t.equal((await call('POST', '/v1/nodes/3/actions/enslave_node', {})).status, 200, 'another node is free')
  mock.completePending()
  t.same((await call('GET', '/v1/nodes/2/actions/maintenance_on')).body, { name: 'maintenance_on', node_uid: '2', progress: 100, status: 'completed' })
  t.equal((await call('POST', '/v1/nodes/2/actions/maintenance_off', {})).status, 200)
  mock.completePending()
  const after = await shards()
  t.same(after.filter(s => s.node_uid === '2').map(s => s.uid).sort(), onTwo, 'its shards are back')
  t.notOk('maintenance_snapshot' in (await call('GET', '/v1/nodes/2/status')).body, 'out of maintenance: no maintenance snapshot')
  pairsApart(t, after)
  t.same((await call('DELETE', `/v1/nodes/2/snapshots/${snaps[0].name as string}`)).body, snaps[0], 'deletable once out of maintenance')
  t.same((await call('GET', '/v1/nodes/2/snapshots')).body, [])
  const gone = await call('DELETE', '/v1/nodes/2/snapshots/nope')
  t.equal(gone.status, 404)
  t.equal(gone.body.error_code, 'snapshot_not_found')
  const unknown = await call('POST', '/v1/nodes/2/actions/maintenance_off', { snapshot_name: 'nope' })
  t.equal(unknown.status, 404)
  t.equal(unknown.body.error_code, 'snapshot_not_found')
})

t.test('remove migrates the shards away, then the node is gone', async t => {
  const { mock, call, shards } = await cluster()
  await replicated(mock, call)
  const before = await shards()
  t.equal((await call('POST', '/v1/nodes/3/actions/remove')).status, 200)
  const after = await shards()
  t.same(after.map(s => s.uid).sort(), before.map(s => s.uid).sort(), 'every shard still runs')
  t.notOk(after.some(s => s.node_uid === '3'))
  pairsApart(t, after)
  t.same((await call('GET', '/v1/nodes')).body.map((n: { uid: number }) => n.uid), [1, 2])
  const missing = await call('GET', '/v1/nodes/3')
  t.equal(missing.status, 404)
  t.equal(missing.body.error_code, 'node_not_found')
  mock.completePending()
  t.same((await call('GET', '/v1/nodes/actions')).body, { actions: [{ name: 'remove_node', node_uid: '3', progress: 100, status: 'completed' }] })
  // the master can go too: another node takes over
  t.equal((await call('POST', '/v1/nodes/1/actions/remove')).status, 200)
  t.equal(mock.store.master.uid, 2)
  const last = await call('POST', '/v1/nodes/2/actions/remove')
  t.equal(last.status, 406)
  t.equal(last.body.error_code, 'insufficient_resources')
  t.equal((await shards()).length, before.length)
})

t.test('enslave_node hands the node\'s masters to their replicas', async t => {
  const { mock, call, shards } = await cluster()
  const ha = await replicated(mock, call)
  const masterOn = (list: Shard[], node: string) => list.filter(s => s.bdb_uid === ha && s.node_uid === node && s.role === 'master').length
  t.ok(masterOn(await shards(), '1') > 0)
  t.equal((await call('POST', '/v1/nodes/1/actions/enslave_node')).status, 200)
  const after = await shards()
  t.equal(masterOn(after, '1'), 0)
  pairsApart(t, after)
})

t.test('action statuses: per node, cancel, refusals', async t => {
  const { call } = await cluster()
  t.same((await call('GET', '/v1/nodes/actions')).body, { actions: [] })
  const none = await call('GET', '/v1/nodes/1/actions/remove')
  t.equal(none.status, 404)
  t.equal(none.body.error_code, 'node_action_not_found')
  await call('POST', '/v1/nodes/2/actions/enslave_node')
  t.same((await call('GET', '/v1/nodes/2/actions')).body.actions.map((a: { name: string }) => a.name), ['enslave_node'])
  t.same((await call('GET', '/v1/nodes/1/actions')).body, { actions: [] })
  t.equal((await call('DELETE', '/v1/nodes/2/actions/enslave_node')).status, 200)
  t.same((await call('GET', '/v1/nodes/2/actions')).body, { actions: [] })
  const noNode = await call('POST', '/v1/nodes/7/actions/maintenance_on')
  t.equal(noNode.status, 404)
  t.equal(noNode.body.error_code, 'node_not_found')
  const noAction = await call('POST', '/v1/nodes/1/actions/explode')
  t.equal(noAction.status, 404)
  t.equal(noAction.body.error_code, 'not_found')
})

t.test('node operations survive export/import, a removed node\'s listener answers 503', async t => {
  const mock = await startCluster(t, 3)
  t.equal((await callNode(mock, mock.url, 'POST', '/v1/nodes/2/actions/maintenance_on', { body: {} })).status, 200)
  const doc = mock.exportState()
  mock.reset()
  t.equal((await callNode(mock, mock.url, 'GET', '/v1/nodes/2/snapshots')).body.length, 0, 'reset: none')
  mock.importState(doc)
  t.equal((await callNode(mock, mock.url, 'GET', '/v1/nodes/2/snapshots')).body.length, 1, 'imported')
  t.equal((await callNode(mock, mock.url, 'POST', '/v1/nodes/3/actions/remove')).status, 200)
  const removed = await callNode(mock, mock.nodes[2].url, 'GET', '/v1/cluster')
  t.equal(removed.status, 503)
  t.equal(removed.body.error_code, 'node_not_in_cluster')
})
