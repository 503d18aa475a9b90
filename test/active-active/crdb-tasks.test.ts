// CRDB tasks against other clusters (a test transport stands in for the network): failures,
// rollback of the clusters that joined, updates that add and remove instances, cancel, tasks
// interrupted by a state swap, and the state file.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { body, instance, LOCAL, setup, T0 } from '../helpers/crdb.js'
import type { PeerRequest, PeerTransport } from '../../src/store/active-active/index.js'

t.test('a peer that fails fails the task; the peers that joined are asked to leave', async t => {
  const sent: PeerRequest[][] = []
  const peers: PeerTransport = async requests => {
    sent.push(requests)
    return requests.map(r => r.cluster.name === 'down.example'
      ? { ok: false, error_code: 'cluster_unreachable', description: 'Could not reach down.example: connect ECONNREFUSED' }
      : { ok: true })
  }
  const { call, tick } = await setup(t, peers)
  const task = (await call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL), instance('up.example'), instance('down.example')] }) })).json()
  await tick()
  await new Promise(resolve => setImmediate(resolve))
  const failed = (await call('GET', `/v1/crdb_tasks/${task.id}`)).json()
  t.match(failed, { status: 'failed', errors: [{ cluster_name: 'down.example', error_code: 'cluster_unreachable', description: /ECONNREFUSED/ }] })
  t.same(failed.progress.clusters.map((c: any) => c.progress), ['queued', 'queued', 'failed'])
  t.same(sent[0].map(r => [r.method, r.path, r.cluster.name, r.origin]), [['POST', '/v1/crdbs', 'up.example', LOCAL], ['POST', '/v1/crdbs', 'down.example', LOCAL]])
  t.match(sent[0][0].body, { guid: task.crdb_guid, instances: [{ id: 1 }, { id: 2, cluster: { credentials: { username: 'admin@redis.local' } } }, { id: 3 }] })
  t.same(sent[1].map(r => [r.method, r.path, r.cluster.name]), [['DELETE', `/v1/crdbs/${task.crdb_guid}`, 'up.example']])
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] }, 'nothing created here')
})

t.test('--state-file: CRDBs and tasks are on disk; a queued task resumes after a restart', async t => {
  const path = join(t.testdir(), 'state.json')
  const start = async () => {
    const clock = { ms: T0, now: () => clock.ms }
    const { call } = await buildTestApp(t, { clock, transitionDelayMs: 100, stateFile: path })
    return { call: (method: 'GET' | 'POST', url: string, body?: object) => call(method, url, { body }), clock }
  }
  const first = await start()
  const task = (await first.call('POST', '/v1/crdbs', body())).json()
  const onDisk = JSON.parse(readFileSync(path, 'utf8'))
  t.same(onDisk.state.crdbTasks.$map.map(([id, e]: [string, any]) => [id, e.task.status, e.phase]), [[task.id, 'queued', 'queued']], 'written before the answer')

  const second = await start()
  second.clock.ms += 100
  t.equal((await second.call('GET', `/v1/crdb_tasks/${task.id}`)).json().status, 'started', 'picked up where it was')
  second.clock.ms += 100
  t.equal((await second.call('GET', `/v1/crdb_tasks/${task.id}`)).json().status, 'finished')
  const third = await start()
  t.equal((await third.call('GET', `/v1/crdbs/${task.crdb_guid}`)).json().name, 'aa-db', 'the CRDB survives a restart')
})

t.test('updates: instances added join, removed ones leave (force_remove tolerates one that does not answer)', async t => {
  const sent: PeerRequest[][] = []
  const peers: PeerTransport = async requests => {
    sent.push(requests)
    return requests.map(r => r.method === 'DELETE' ? { ok: false, error_code: 'cluster_unreachable', description: 'down' } : { ok: true })
  }
  const { call, store } = await setup(t, peers)
  const run = async (req: Promise<any>) => {
    const task = (await req).json()
    store.completePending()
    await new Promise(resolve => setImmediate(resolve))
    store.completePending()
    return (await call('GET', `/v1/crdb_tasks/${task.id}`)).json()
  }
  const created = await run(call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL), instance('old.example')] }) }))
  const guid = created.crdb_guid
  t.equal(created.status, 'finished')

  const refused = await run(call('POST', `/v1/crdbs/${guid}/updates`, { body: { remove_instances: [2] } }))
  t.match(refused, { status: 'failed', errors: [{ cluster_name: 'old.example', error_code: 'cluster_unreachable' }] })
  t.equal((await call('GET', `/v1/crdbs/${guid}`)).json().instances.length, 2, 'a failed removal changes nothing')

  sent.length = 0
  const done = await run(call('POST', `/v1/crdbs/${guid}/updates`, {
    body: { add_instances: [instance('new.example')], remove_instances: [2], force_remove: true, crdb: { default_db_config: { memory_size: 2097152 } } }
  }))
  t.equal(done.status, 'finished', JSON.stringify(done.errors))
  t.same(sent[0].map(r => [r.method, r.cluster.name, r.joins === true, r.optional === true]),
    [['POST', 'new.example', true, false], ['DELETE', 'old.example', false, true]])
  const crdb = (await call('GET', `/v1/crdbs/${guid}`)).json()
  t.same(crdb.instances.map((i: any) => [i.id, i.cluster.name]), [[1, LOCAL], [3, 'new.example']])
  t.match((await call('GET', '/v1/bdbs/4')).json(), { memory_size: 2097152, crdt_config_version: 2, crdt_sources: [{ uid: 3, uri: 'redis://aa-db.new.example:443' }] })
  t.same((await call('GET', '/v1/bdbs/4/peer_stats')).json().peer_stats.map((p: any) => p.uid), ['3'])

  // dry_run validates only
  const before = store.clusterStateId
  const dry = await call('POST', `/v1/crdbs/${guid}/updates?dry_run=true`, { body: { add_instances: [instance('more.example')] } })
  t.equal(dry.json().instances.length, 3)
  t.equal(store.clusterStateId, before)
  isRsError(t, await call('POST', `/v1/crdbs/${guid}/updates`, { body: { add_instances: [instance(LOCAL)] } }), 406, 'invalid_crdb_config')
})

t.test('cancel while the other clusters are asked, and in the commit phase', async t => {
  let answer: (v: Array<{ ok: boolean }>) => void = () => {}
  const sent: PeerRequest[][] = []
  const peers: PeerTransport = async requests => {
    sent.push(requests)
    if (requests[0].method === 'DELETE') return requests.map(() => ({ ok: true }))
    return await new Promise(resolve => { answer = resolve })
  }
  const { call, tick } = await setup(t, peers)
  const task = (await call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL), instance('slow.example')] }) })).json()
  await tick()
  t.equal((await call('GET', `/v1/crdb_tasks/${task.id}`)).json().status, 'started')
  t.match((await call('POST', `/v1/crdb_tasks/${task.id}/actions/cancel`)).json(), { status: 'failed', errors: [{ error_code: 'task_canceled' }] })
  answer([{ ok: true }])
  await new Promise(resolve => setImmediate(resolve))
  t.same(sent[1]?.map(r => [r.method, r.cluster.name]), [['DELETE', 'slow.example']], 'the cluster that joined late is asked to leave')
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] })

  const local = (await call('POST', '/v1/crdbs', { body: body() })).json()
  await tick()
  isRsError(t, await call('POST', `/v1/crdb_tasks/${local.id}/actions/cancel`), 406, 'task_not_cancellable', 'committed')
  t.match((await call('POST', `/v1/crdb_tasks/${local.id}/actions/cancel?force=true`)).json(), { status: 'failed' })
})

t.test('a task whose clusters were being asked when the state was swapped fails as interrupted', async t => {
  const peers: PeerTransport = async () => await new Promise(() => {})
  const { call, store, tick } = await setup(t, peers)
  const task = (await call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL), instance('slow.example')] }) })).json()
  await tick()
  store.importState(store.exportState())
  await tick(0)
  t.match((await call('GET', `/v1/crdb_tasks/${task.id}`)).json(), { status: 'failed', errors: [{ error_code: 'task_interrupted' }] })
})

t.test('a coordinator\'s flush, upgrade and delete apply here at once', async t => {
  const { call, store } = await setup(t)
  const guid = '0f0e0d0c-0b0a-4909-8807-060504030201'
  const from = { 'x-crdb-coordinator': 'west.example' }
  await call('POST', '/v1/crdbs', { body: body({ guid, instances: [instance('west.example'), instance(LOCAL)] }), headers: from })
  store.completePending()
  t.match((await call('PUT', `/v1/crdbs/${guid}/flush`, { headers: from })).json(), { status: 'finished', operation: 'flush_crdb' })
  const version = (await call('GET', '/v1/bdbs/4')).json().redis_version
  t.match((await call('POST', `/v1/crdbs/${guid}/upgrade`, { body: { redis_version: version }, headers: from })).json(), { status: 'finished' })
  t.equal((await call('GET', `/v1/crdbs/${guid}`)).json().default_db_config.redis_version, version)
  isRsError(t, await call('DELETE', `/v1/crdbs/${guid}`), 409, 'busy', 'a user waits for the upgrade')
  t.match((await call('DELETE', `/v1/crdbs/${guid}`, { headers: from })).json(), { status: 'finished', operation: 'delete_crdb' })
  isRsError(t, await call('GET', `/v1/crdbs/${guid}`), 404, 'crdb_not_found')
  store.completePending()
  isRsError(t, await call('GET', '/v1/bdbs/4'), 404, 'bdb_not_found', 'the member goes once its change settled')
})
