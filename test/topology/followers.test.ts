// Master and followers over real sockets: a follower answers cluster-wide requests with 307 on
// the master's URL (or serves them with handle_redirects), node-local requests itself;
// change_master moves the master and clients that follow redirects keep working.
import t from 'tap'
import { callNode, startCluster } from '../helpers/nodes.js'
import { isNodeLocal } from '../../src/http/follower.js'
import type { RunningMock } from '../../src/index.js'
import { request } from 'node:https'
import { gunzipSync } from 'node:zlib'

/** A client that follows 307s, as curl -L and most HTTP libraries do (method and body kept). */
async function follow (mock: RunningMock, url: string, method: string, path: string, body?: unknown) {
  let target = `${url}${path}`
  for (let hops = 0; hops < 5; hops++) {
    const u = new URL(target)
    const res = await callNode(mock, u.origin, method, `${u.pathname}${u.search}`, { body })
    if (res.status !== 307) return { ...res, hops }
    target = String(res.headers.location)
  }
  throw new Error('redirect loop')
}

t.test('a follower redirects cluster-wide requests to the master with 307', async t => {
  const mock = await startCluster(t, 3)
  const [one, two, three] = mock.nodes
  const master = await callNode(mock, one.url, 'GET', '/v1/cluster')
  t.equal(master.status, 200, 'the master serves')
  for (const node of [two, three]) {
    const res = await callNode(mock, node.url, 'GET', '/v1/cluster?fields=name')
    t.equal(res.status, 307, `node ${node.uid} redirects`)
    t.equal(res.headers.location, `${one.url}/v1/cluster?fields=name`)
    t.equal(res.body.error_code, 'not_master')
  }
  // node-local requests are answered by the node asked
  t.equal((await callNode(mock, two.url, 'GET', '/v1/local/node/master_healthcheck')).status, 200)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/bdbs/1/availability')).status, 200)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/2')).status, 200, 'its own node')
  t.equal((await callNode(mock, two.url, 'GET', '/v1/nodes/3')).status, 307, 'another node')
  // checked after the version header (505) and before the credentials (the master checks them)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster', { headers: { 'x-api-version': '9' } })).status, 505)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster', { auth: 'admin@redis.local:wrong' })).status, 307)
  t.equal((await callNode(mock, one.url, 'GET', '/v1/cluster', { auth: 'admin@redis.local:wrong' })).status, 401)
  // the control API is never redirected
  t.equal((await callNode(mock, two.url, 'GET', '/_mock/status')).status, 200)
})

t.test('with handle_redirects the followers serve cluster-wide requests themselves', async t => {
  const mock = await startCluster(t, 3)
  const [one, two] = mock.nodes
  const put = await callNode(mock, one.url, 'PUT', '/v1/cluster', { body: { handle_redirects: true } })
  t.equal(put.status, 200)
  const res = await callNode(mock, two.url, 'GET', '/v1/cluster')
  t.equal(res.status, 200)
  t.equal(res.body.handle_redirects, true)
  // a write through the follower lands in the cluster, then redirects are back
  t.equal((await callNode(mock, two.url, 'PUT', '/v1/cluster', { body: { handle_redirects: false } })).status, 200)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster')).status, 307)
})

t.test('change_master moves the master; a client that follows redirects keeps working', async t => {
  // the action runs until completePending(), however slow the machine is
  const mock = await startCluster(t, 3, { transitionDelayMs: 600_000 })
  const [one, two, three] = mock.nodes
  const before = await follow(mock, three.url, 'GET', '/v1/bdbs')
  t.equal(before.status, 200)
  t.equal(before.hops, 1)
  const moved = await follow(mock, three.url, 'POST', '/v1/cluster/actions/change_master', { node_uid: '2' })
  t.equal(moved.status, 200, JSON.stringify(moved.body))
  const again = await callNode(mock, two.url, 'POST', '/v1/cluster/actions/change_master', { body: { node_uid: '3' } })
  t.same([again.status, again.body.error_code], [409, 'conflict'], 'a second change_master while the first runs (docs/decisions.md #55)')
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster/actions/change_master')).body.status, 'running')
  mock.completePending()
  t.equal((await callNode(mock, one.url, 'GET', '/v1/cluster')).status, 307, 'node 1 is a follower now')
  t.equal((await callNode(mock, one.url, 'GET', '/v1/cluster')).headers.location, `${two.url}/v1/cluster`)
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster')).status, 200)
  const status = await callNode(mock, two.url, 'GET', '/v1/nodes/status')
  t.equal(status.body['2'].role, 'master')
  t.equal(status.body['1'].role, 'slave')
  const created = await follow(mock, one.url, 'POST', '/v1/bdbs', { name: 'after-move', memory_size: 1e8 })
  t.equal(created.status, 200)
  t.equal(created.hops, 1)
  // the action's status, then its removal
  const actions = await callNode(mock, two.url, 'GET', '/v1/cluster/actions')
  t.same(actions.body, { actions: [{ name: 'change_master', node_uid: '2', progress: 100, status: 'completed' }] })
  t.equal((await callNode(mock, two.url, 'GET', '/v1/cluster/actions/change_master')).body.status, 'completed')
  t.equal((await callNode(mock, two.url, 'DELETE', '/v1/cluster/actions/change_master')).status, 200)
  const gone = await callNode(mock, two.url, 'GET', '/v1/cluster/actions/change_master')
  t.equal(gone.status, 404)
  t.equal(gone.body.error_code, 'cluster_action_not_found')
})

t.test('change_master refuses what it cannot do, changing nothing', async t => {
  const mock = await startCluster(t, 2)
  const url = mock.url
  const cases: Array<[string, unknown, number, string]> = [
    ['change_master', { node_uid: '9' }, 404, 'node_not_found'],
    ['change_master', {}, 400, 'invalid_schema'],
    ['change_master', { node_uid: 'two' }, 400, 'invalid_schema'],
    ['reboot', { node_uid: '2' }, 400, 'invalid_action']
  ]
  for (const [action, body, status, code] of cases) {
    const res = await callNode(mock, url, 'POST', `/v1/cluster/actions/${action}`, { body })
    t.equal(res.status, status, `${action} ${JSON.stringify(body)}`)
    t.equal(res.body.error_code, code)
  }
  for (const method of ['GET', 'DELETE'] as const) {
    const res = await callNode(mock, url, method, '/v1/cluster/actions/reboot')
    t.same([res.status, res.body.error_code], [404, 'cluster_action_not_found'], `${method} of an action the cluster does not have`)
  }
  mock.store.state.nodes.get(2)!.status = 'down'
  mock.changed()
  const down = await callNode(mock, url, 'POST', '/v1/cluster/actions/change_master', { body: { node_uid: 2 } })
  t.equal(down.status, 406)
  t.equal(down.body.error_code, 'node_not_active')
  t.equal(mock.store.master.uid, 1)
  t.same((await callNode(mock, url, 'GET', '/v1/cluster/actions')).body, { actions: [] })
  const none = await callNode(mock, url, 'DELETE', '/v1/cluster/actions/change_master')
  t.equal(none.status, 404)
  t.equal(none.body.error_code, 'cluster_action_not_found')
})

t.test('the master survives export, import and reset; one node never redirects', async t => {
  const mock = await startCluster(t, 3)
  t.equal((await callNode(mock, mock.url, 'POST', '/v1/cluster/actions/change_master', { body: { node_uid: '3' } })).status, 200)
  const doc = mock.exportState()
  mock.reset()
  t.equal(mock.store.master.uid, 1, 'reset: node 1 again')
  mock.importState(doc)
  t.equal(mock.store.master.uid, 3, 'imported with its master')
  const legacy = structuredClone(doc) as any
  delete legacy.state.masterUid
  delete legacy.state.clusterActions
  mock.importState(legacy)
  t.equal(mock.store.master.uid, 1, 'a document without a master: the first node')
  const bad = structuredClone(doc) as any
  bad.state.masterUid = 7
  t.throws(() => mock.importState(bad), { code: 'invalid_state_document' })
  const single = await startCluster(t, 1)
  t.equal((await callNode(single, single.url, 'GET', '/v1/cluster')).status, 200)
})

t.test('which paths are node-local', async t => {
  t.ok(isNodeLocal('/v1/local/node/master_healthcheck', 2))
  t.ok(isNodeLocal('/v1/bootstrap', 2))
  t.ok(isNodeLocal('/v1/bdbs/12/availability?extend_check=lag', 2))
  t.ok(isNodeLocal('/v1/nodes/2/status', 2))
  t.ok(isNodeLocal('/v1/nodes/2?fields=uid', 2))
  t.notOk(isNodeLocal('/v1/nodes/22', 2))
  t.notOk(isNodeLocal('/v1/nodes', 2))
  t.notOk(isNodeLocal('/v1/bdbs/12', 2))
  t.notOk(isNodeLocal('/v1/bootstrapx', 2))
  t.ok(isNodeLocal('/v1/debuginfo/node', 2))
  t.ok(isNodeLocal('/v1/debuginfo/node/bdb/1', 2))
  t.notOk(isNodeLocal('/v1/debuginfo/all', 2))
  t.notOk(isNodeLocal('/v1/debuginfo/nodes', 2))
})

t.test('a follower answers /v1/debuginfo/node with its own node\'s archive', async t => {
  const mock = await startCluster(t, 2)
  const [, two] = mock.nodes
  const { status, type, body } = await new Promise<{ status: number, type: unknown, body: Buffer }>((resolve, reject) => {
    request(`${two.url}/v1/debuginfo/node`, { ca: mock.ca, auth: `${mock.credentials.username}:${mock.credentials.password}`, agent: false }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }))
    }).on('error', reject).end()
  })
  t.equal(status, 200)
  t.equal(type, 'application/x-gzip')
  const raw = gunzipSync(body).toString('latin1')
  t.match(raw, /\/node_2\/node\.json/)
  t.notMatch(raw, /\/node_1\//, 'not the master\'s node')
  t.equal((await callNode(mock, two.url, 'GET', '/v1/debuginfo/all')).status, 307, 'the cluster-wide archive is the master\'s')
})
