// N nodes in one process: one HTTPS listener per node over one shared store, nodes shaped like
// the first, shards spread with each replica away from its master, persistence and reset.
import t from 'tap'
import { createMock } from '../../src/index.js'
import { defaultFixturesDir, loadConfig, type Config } from '../../src/config.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { loadScenario } from '../../src/control/scenarios.js'
import { callNode, startCluster } from '../helpers/nodes.js'

t.test('three nodes: three listeners, each answering for the same cluster', async t => {
  const mock = await startCluster(t, 3)
  t.equal(mock.nodes.length, 3)
  t.same(mock.nodes.map(n => n.uid), [1, 2, 3])
  t.equal(new Set(mock.nodes.map(n => n.port)).size, 3, 'a port per node')
  t.equal(mock.nodes[0].url, mock.url)
  // the followers serve cluster-wide requests themselves (followers.test.ts has the redirects)
  t.equal((await callNode(mock, mock.url, 'PUT', '/v1/cluster', { body: { handle_redirects: true } })).status, 200)
  for (const node of mock.nodes) {
    const res = await callNode(mock, node.url, 'GET', '/v1/nodes')
    t.equal(res.status, 200, `node ${node.uid}`)
    t.same(res.body.map((n: any) => n.uid), [1, 2, 3])
  }
  const health = await callNode(mock, mock.nodes[2].url, 'GET', '/_mock/health', { auth: '' })
  t.same(health.body.nodes, mock.nodes.map(n => ({ uid: n.uid, url: n.url })))
  // a write through one node is read back through another: one store
  const created = await callNode(mock, mock.nodes[1].url, 'POST', '/v1/bdbs', { body: { name: 'via-two', memory_size: 1e8 } })
  t.equal(created.status, 200)
  const read = await callNode(mock, mock.nodes[2].url, 'GET', `/v1/bdbs/${created.body.uid as number}`)
  t.equal(read.body.name, 'via-two')
})

t.test('added nodes are shaped like the first, with their own uid and address', async t => {
  const store = createStore(loadSeed(defaultFixturesDir), { nodes: 3 })
  const [one, two, three] = [...store.state.nodes.values()]
  t.same(Object.keys(two), Object.keys(one), 'the captured key set')
  t.equal(two.uid, 2)
  t.equal(three.addr, '10.0.0.13')
  t.not(two.addr, one.addr)
  t.equal(typeof two.uid, 'number')
})

t.test('shards spread over the nodes, each replica on another node than its master', async t => {
  const { inject, completePending } = await createMock({ nodes: 3 })
  const created = await inject({ method: 'POST', url: '/v1/bdbs', payload: { name: 'spread', memory_size: 1e8, replication: true, sharding: true, shards_count: 3 } })
  t.equal(created.statusCode, 200, created.body)
  const shards = (await inject({ method: 'GET', url: '/v1/shards' })).json() as Array<Record<string, unknown>>
  t.same(new Set(shards.map(s => s.node_uid)), new Set(['1', '2', '3']), 'every node runs shards')
  const bdb = created.json() as { uid: number }
  const mine = shards.filter(s => s.bdb_uid === bdb.uid)
  const masters = mine.filter(s => s.role === 'master')
  const replicas = mine.filter(s => s.role === 'slave')
  t.equal(masters.length, 3)
  t.same(new Set(masters.map(s => s.node_uid)).size, 3, 'masters on three nodes')
  replicas.forEach((r, i) => t.not(r.node_uid, masters[i].node_uid, 'replica away from its master'))
  // the nodes' own view agrees with the shards'
  const nodes = (await inject({ method: 'GET', url: '/v1/nodes' })).json() as Array<{ uid: number, shard_list: number[], shard_count: number }>
  for (const n of nodes) {
    t.same(n.shard_list, shards.filter(s => s.node_uid === String(n.uid)).map(s => Number(s.uid)).sort((a, b) => a - b))
    t.equal(n.shard_count, n.shard_list.length)
  }
  // the endpoint is on the node of the first master (proxy_policy single), then on every master's
  const addrOf = (uid: unknown) => nodes.find(n => String(n.uid) === uid) as unknown as { addr: string }
  const endpointAfter = async (policy: string) => {
    completePending()
    const put = await inject({ method: 'PUT', url: `/v1/bdbs/${bdb.uid}`, payload: { proxy_policy: policy } })
    t.equal(put.statusCode, 200, put.body)
    return (await inject({ method: 'GET', url: `/v1/bdbs/${bdb.uid}` })).json().endpoints[0] as { addr: string[] }
  }
  t.same((await endpointAfter('single')).addr, [addrOf(masters[0].node_uid).addr])
  t.same(new Set((await endpointAfter('all-master-shards')).addr), new Set(masters.map(m => addrOf(m.node_uid).addr)))
  t.same((await endpointAfter('all-nodes')).addr, nodes.map(n => addrOf(String(n.uid)).addr))
  const status = (await inject({ method: 'GET', url: '/v1/nodes/2/status' })).json() as { master_shards: number[], slave_shards: number[] }
  t.same([...status.master_shards, ...status.slave_shards].sort((a, b) => a - b), nodes[1].shard_list)
})

t.test('one node: everything where it was', async t => {
  const one = createStore(loadSeed(defaultFixturesDir))
  const explicit = createStore(loadSeed(defaultFixturesDir), { nodes: 1 })
  const { users: _a, ...a } = explicit.exportState().state as Record<string, unknown>
  const { users: _b, ...b } = one.exportState().state as Record<string, unknown>
  t.same(a, b)
  t.equal(one.state.nodes.size, 1)
})

t.test('N nodes survive export/import, a state document without them loads as one node, reset keeps N', async t => {
  const mock = await createMock({ nodes: 3 })
  const doc = mock.exportState()
  const other = await createMock()
  other.importState(doc)
  t.equal(other.store.state.nodes.size, 3, 'imported with its nodes')
  t.same((await other.inject({ method: 'GET', url: '/v1/shards' })).json(), (await mock.inject({ method: 'GET', url: '/v1/shards' })).json())
  const single = (await createMock()).exportState()
  mock.importState(single)
  t.equal(mock.store.state.nodes.size, 1, 'a one-node document loads as one node')
  mock.reset()
  t.equal(mock.store.state.nodes.size, 3, 'reset: back to three')
})

t.test('--nodes, RS_MOCK_NODES, --node-addresses', async t => {
  const load = (argv: string[], env: Record<string, string> = {}) => loadConfig(argv, env) as Config
  t.equal(load([]).nodes, 1)
  t.equal(load(['--nodes', '3']).nodes, 3)
  t.equal(load([], { RS_MOCK_NODES: '5' }).nodes, 5)
  t.equal(load(['--node-addresses', '127.0.0.1,127.0.0.2']).nodes, 2)
  t.throws(() => loadConfig(['--nodes', '0'], {}), { name: 'ConfigError' })
  t.throws(() => loadConfig(['--nodes', '3', '--node-addresses', '127.0.0.1,127.0.0.2'], {}), { name: 'ConfigError', message: /disagree/ })
  t.throws(() => loadConfig(['--node-addresses', '127.0.0.1,127.0.0.1'], {}), { name: 'ConfigError', message: /twice/ })
})

t.test('a scenario may say how many nodes', async t => {
  const root = t.testdir({
    three: { 'scenario.json': JSON.stringify({ extends: 'default', nodes: 3 }) },
    none: { 'scenario.json': JSON.stringify({ extends: 'default', nodes: 0 }) }
  })
  const dir = `${root}/three`
  const scenario = loadScenario(dir)
  t.equal(scenario.nodes, 3)
  t.equal(scenario.seed.nodes.length, 3)
  t.throws(() => loadScenario(`${root}/none`), { code: 'invalid_scenario' })
  const mock = await createMock({ scenario: dir })
  t.equal(mock.store.state.nodes.size, 3)
})
