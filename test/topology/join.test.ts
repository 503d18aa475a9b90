// join_cluster across two processes over real HTTPS (docs/decisions.md #51-#52): a --fresh-node
// mock validates and joins a cluster mock, becomes its node 2, redirects cluster-wide requests to
// the master, and answers 503 node_not_in_cluster once the master removed it.
import t, { type Test } from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOCAL, spawnCli, type CliProcess } from '../helpers/cli.js'
import { startMock } from '../../src/index.js'
import { httpsJson, type NodeAnswer } from '../helpers/nodes.js'

const ADMIN = 'admin@redis.local:admin'

const call = (base: string, method: string, path: string, opts: { body?: unknown, auth?: string } = {}): Promise<NodeAnswer> =>
  httpsJson(base, method, path, opts)

async function until<T> (what: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await what()
    if (ok(v) || i > 100) return v
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

async function start (t: Test, args: string[]): Promise<{ url: string, proc: CliProcess }> {
  const certs = await mkdtemp(join(tmpdir(), 'rs-mock-join-'))
  const proc = spawnCli([...LOCAL, ...args], { RS_MOCK_CERTS_DIR: certs })
  t.teardown(async () => {
    proc.child.kill()
    await proc.exited
    await rm(certs, { recursive: true, force: true })
  })
  const { port } = await proc.ready
  return { url: `https://127.0.0.1:${port}`, proc }
}

const joinBody = (nodes: string[], password = 'admin') =>
  ({ action: 'join_cluster', cluster: { nodes }, credentials: { username: 'admin@redis.local', password } })

t.test('a fresh node in another process joins, follows and is removed', async t => {
  const [a, b] = await Promise.all([start(t, []), start(t, ['--fresh-node'])])
  const master = `127.0.0.1:${new URL(a.url).port}`
  const status = async () => (await call(b.url, 'GET', '/v1/bootstrap')).body.bootstrap_status

  // validation first: the master is asked (a dry run), nothing changes there
  const wrong = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: joinBody([master], 'nope') })
  t.equal(wrong.status, 406)
  t.match(wrong.body, { state: 'error', error_code: 'access_denied' })
  const closed = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: joinBody(['127.0.0.1:1']) })
  t.equal(closed.status, 406)
  t.match(closed.body, { state: 'error', error_code: 'connect_error', error_details: { message: /127\.0\.0\.1:1/ } })
  const noNodes = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: joinBody([]) })
  t.match(noNodes.body, { state: 'error', error_code: 'config_error' })
  const badEntry = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: joinBody(['a b:c']) })
  t.match(badEntry.body, { state: 'error', error_code: 'config_error' })
  const portField = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: { ...joinBody(['127.0.0.1']), cnm_https_port: Number(new URL(a.url).port) } })
  t.equal(portField.status, 200, 'a bare address with cnm_https_port')
  const ok = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body: joinBody([master]) })
  t.same([ok.status, ok.body], [200, {}])
  t.equal((await call(a.url, 'GET', '/v1/nodes', { auth: ADMIN })).body.length, 1, 'a validation adds no node')

  // wrong credentials on the join itself: accepted, then bootstrap_status error access_denied
  t.equal((await call(b.url, 'POST', '/v1/bootstrap/join_cluster', { body: joinBody([master], 'nope') })).status, 200)
  t.match(await until(status, s => s.state === 'error'), { state: 'error', error_code: 'access_denied' })

  // the join: joining_cluster, then completed; an unreachable first entry is skipped
  t.equal((await call(b.url, 'POST', '/v1/bootstrap/join_cluster', { body: joinBody(['127.0.0.1:1', master]) })).status, 200)
  const done = await until(async () => (await call(b.url, 'GET', '/v1/bootstrap', { auth: ADMIN })).body?.bootstrap_status, s => s?.state === 'completed')
  t.match(done, { state: 'completed', start_time: String, end_time: String })

  const nodes = (await call(a.url, 'GET', '/v1/nodes', { auth: ADMIN })).body
  t.same(nodes.map((n: { uid: number, status: string }) => [n.uid, n.status]), [[1, 'active'], [2, 'active']])
  t.equal(nodes[1].addr, '127.0.0.1', 'the joining node\'s address')
  t.same(nodes[1].shard_list, [], 'no shards until databases are placed again')
  const logs = (await call(a.url, 'GET', '/v1/logs', { auth: ADMIN })).body
  t.ok(logs.some((e: { type: string, node_uid?: string }) => e.type === 'cluster_node_joined' && e.node_uid === '2'))
  t.match((await call(a.url, 'GET', '/_mock/health')).body.nodes, [{ uid: 1, url: a.url }, { uid: 2, url: b.url }])

  // B follows A: cluster-wide requests redirect, its own node answers here
  const redirect = await call(b.url, 'GET', '/v1/cluster?fields=name', { auth: ADMIN })
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, `${a.url}/v1/cluster?fields=name`)
  t.equal((await call(b.url, 'GET', '/v1/nodes/2', { auth: ADMIN })).body.uid, 2)
  t.equal((await call(b.url, 'GET', '/v1/bootstrap', { auth: ADMIN })).body.local_node_info.uid, '2')
  const again = await call(b.url, 'POST', '/v1/bootstrap/join_cluster', { body: joinBody([master]), auth: ADMIN })
  t.equal(again.status, 409)
  t.equal(again.body.error_code, 'already_in_cluster')
  const promote = await call(a.url, 'POST', '/v1/cluster/actions/change_master', { body: { node_uid: '2' }, auth: ADMIN })
  t.equal(promote.status, 406, 'a node of another process cannot hold the master')
  t.equal(promote.body.error_code, 'node_not_active')

  // removed on the master: B is told and leaves
  t.equal((await call(a.url, 'POST', '/v1/nodes/2/actions/remove', { auth: ADMIN })).status, 200)
  t.equal((await call(a.url, 'GET', '/v1/nodes', { auth: ADMIN })).body.length, 1)
  const left = await until(async () => await call(b.url, 'GET', '/v1/cluster', { auth: ADMIN }), r => r.status === 503)
  t.equal(left.status, 503)
  t.equal(left.body.error_code, 'node_not_in_cluster')
})

t.test('the joined node keeps its place in its state file', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rs-mock-join-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const stateFile = join(dir, 'b.json')
  const a = await startMock()
  t.teardown(() => a.close())
  const b = await startMock({ freshNode: true, stateFile })
  const body = joinBody([`127.0.0.1:${a.port}`])
  t.equal((await call(b.url, 'POST', '/v1/bootstrap/join_cluster', { body })).status, 200)
  await until(async () => b.store.inCluster, ok => ok)
  t.same(b.store.master.member, { uid: 2, master_url: a.url, token: b.store.master.member?.token })
  await b.close()
  const again = await startMock({ freshNode: true, stateFile })
  t.teardown(() => again.close())
  t.same(again.nodes.map(n => n.uid), [2], 'one listener, for its own node')
  const redirect = await call(again.url, 'GET', '/v1/bdbs', { auth: ADMIN })
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, `${a.url}/v1/bdbs`)
  t.equal((await call(again.url, 'GET', '/v1/nodes/2', { auth: ADMIN })).status, 200)
  again.reset()
  t.equal(again.store.inCluster, false, 'reset: a fresh node again')
})

t.test('in one process too: the master refuses while fresh, then admits and removes the node', async t => {
  const a = await startMock({ freshNode: true })
  t.teardown(() => a.close())
  const b = await startMock({ freshNode: true })
  t.teardown(() => b.close())
  const body = joinBody([`127.0.0.1:${a.port}`])
  const fresh = await call(b.url, 'POST', '/v1/bootstrap/validate/join_cluster', { body })
  t.match(fresh.body, { state: 'error', error_code: 'connect_error', error_details: { message: /node_not_in_cluster|503/ } })
  a.joinCluster()
  t.equal((await call(b.url, 'POST', '/v1/bootstrap/join_cluster', { body })).status, 200)
  await until(async () => b.store.inCluster, ok => ok)
  t.same(a.store.membership.remote.map(r => [r.uid, r.url]), [[2, b.url]])
  t.equal((await a.inject({ method: 'POST', url: '/v1/nodes/2/actions/remove' })).statusCode, 200)
  t.same(a.store.membership.remote, [])
  await until(async () => b.store.inCluster, inCluster => !inCluster)
  t.equal(b.store.inCluster, false, 'told that it left')
})
