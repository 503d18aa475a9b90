// Active-Active on one mock: /v1/crdbs and /v1/crdb_tasks shapes, the task lifecycle on the
// transition delay, the member database, errors, a coordinator's requests, export/import and reset.
// Tasks against other clusters: test/active-active/crdb-tasks.test.ts; two real mocks: test/active-active/active-active.test.ts.
import t from 'tap'
import { isRsError } from '../helpers/app.js'
import { body, created, instance, LOCAL, setup } from '../helpers/crdb.js'

t.test('POST /v1/crdbs: a task queued → started → finished on the transition delay, then the CRDB and its member', async t => {
  const { call, tick } = await setup(t)
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] }, 'the captured list shape')
  const res = await call('POST', '/v1/crdbs', { body: body() })
  t.equal(res.statusCode, 200)
  const task = res.json()
  t.same(Object.keys(task), ['crdb_guid', 'id', 'operation', 'progress', 'status', 'worker_name'])
  t.match(task, { status: 'queued', operation: 'create_crdb', crdb_guid: /^[0-9a-f-]{36}$/, id: /^[0-9a-f-]{36}$/ })
  t.same(task.progress, { clusters: [{ name: LOCAL, progress: 'queued' }], worker: 'queued' })
  t.same((await call('GET', '/v1/crdb_tasks')).json().map((x: any) => x.id), [task.id], 'a running task is listed')

  await tick()
  const started = (await call('GET', `/v1/crdb_tasks/${task.id}`)).json()
  t.match(started, { status: 'started', started: '2026-03-02T10:00:00Z' })
  const crdb = (await call('GET', `/v1/crdbs/${task.crdb_guid}`)).json()
  t.same(Object.keys(crdb), ['causal_consistency', 'default_db_config', 'encryption', 'featureset_version', 'guid', 'instances',
    'local_databases', 'managed_by', 'modules', 'name', 'protocol_version'])
  t.match(crdb, { guid: task.crdb_guid, name: 'aa-db', featureset_version: 8, protocol_version: 1, causal_consistency: false, encryption: false })
  t.same(crdb.instances, [{ cluster: { name: LOCAL, url: `https://${LOCAL}:9443` }, compression: 3, db_config: {}, db_uid: '4', id: 1 }],
    'no credentials in the answer; the local instance names its database')
  t.same(crdb.local_databases, [{ bdb_uid: '4', id: 1 }])
  const member = (await call('GET', '/v1/bdbs/4')).json()
  t.match(member, { name: 'aa-db', crdt: true, crdt_guid: task.crdb_guid, crdt_replica_id: 1, crdt_sync: 'enabled', crdt_config_version: 1, status: 'pending', memory_size: 1048576 })

  await tick()
  const done = (await call('GET', `/v1/crdb_tasks/${task.id}`)).json()
  t.match(done, { status: 'finished', ended: '2026-03-02T10:00:00Z', progress: { worker: 'finished', clusters: [{ progress: 'done' }] } })
  t.same((await call('GET', '/v1/crdb_tasks')).json(), [], 'ended tasks are not running')
  t.equal((await call('GET', '/v1/bdbs/4')).json().status, 'active')
  t.equal((await call('GET', '/v1/crdbs')).json().crdbs.length, 1)
})

t.test('POST /v1/crdbs: bad bodies (400), configurations that cannot be (406/409), dry_run', async t => {
  const { call, store } = await setup(t)
  const before = store.clusterStateId
  isRsError(t, await call('POST', '/v1/crdbs', { body: { name: 'x', default_db_config: {} } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ colour: 'red' }) }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ instances: [{ cluster: { name: LOCAL, url: 'ftp://x' } }] }) }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ default_db_config: { memory_size: '1' } }) }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ instances: [instance('elsewhere')] }) }), 406, 'invalid_crdb_config')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL), instance(LOCAL)] }) }), 406, 'invalid_crdb_config')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ instances: [instance(LOCAL, { id: 2 }), instance('b', { id: 2 })] }) }), 406, 'invalid_crdb_config')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ default_db_config: {} }) }), 406, 'missing_memory_size')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body({ name: 'cache' }) }), 409, 'name_in_use', 'the member follows the database rules')
  isRsError(t, await call('POST', '/v1/crdbs', { body: body(), headers: { 'x-result-ttl': 'soon' } }), 400, 'invalid_header')
  const dry = await call('POST', '/v1/crdbs?dry_run=true', { body: body() })
  t.equal(dry.statusCode, 200)
  t.equal(dry.json().name, 'aa-db')
  t.equal(store.clusterStateId, before, 'nothing changed')
  t.same((await call('GET', '/v1/crdb_tasks')).json(), [])
})

t.test('unknown CRDBs and tasks: 404 with their codes', async t => {
  const { call } = await setup(t)
  for (const [m, u] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['PUT', '/flush'], ['POST', '/upgrade'], ['GET', '/health_report']] as const) {
    isRsError(t, await call(m, `/v1/crdbs/00000000-0000-0000-0000-000000000000${u}`, { body: m === 'PATCH' || m === 'POST' ? {} : undefined }), 404, 'crdb_not_found', `${m} ${u}`)
  }
  isRsError(t, await call('POST', '/v1/crdbs/nope/updates', { body: {} }), 404, 'crdb_not_found')
  isRsError(t, await call('PUT', '/v1/crdbs/nope/purge', { body: { instances: [1] } }), 404, 'crdb_not_found')
  isRsError(t, await call('GET', '/v1/crdb_tasks/nope'), 404, 'crdb_task_not_found')
  isRsError(t, await call('POST', '/v1/crdb_tasks/nope/actions/cancel'), 404, 'crdb_task_not_found')
})

t.test('PATCH and updates change the member database through a task; busy members refuse (409)', async t => {
  const { call, guid, store } = await created(t)
  const patched = (await call('PATCH', `/v1/crdbs/${guid}`, { body: { default_db_config: { memory_size: 2097152 }, instances: [{ id: 1, compression: 5 }] } })).json()
  t.match(patched, { status: 'queued', operation: 'update_crdb' })
  store.completePending()
  t.match((await call('GET', `/v1/crdb_tasks/${patched.id}`)).json(), { status: 'finished' })
  t.match((await call('GET', '/v1/bdbs/4')).json(), { memory_size: 2097152, crdt_config_version: 2, status: 'active' })
  const crdb = (await call('GET', `/v1/crdbs/${guid}`)).json()
  t.equal(crdb.default_db_config.memory_size, 2097152)
  t.equal(crdb.instances[0].compression, 5)

  isRsError(t, await call('PATCH', `/v1/crdbs/${guid}`, { body: { name: 'renamed' } }), 406, 'invalid_crdb_config')
  isRsError(t, await call('PATCH', `/v1/crdbs/${guid}`, { body: { instances: [{ id: 9 }] } }), 404, 'crdb_instance_not_found')
  isRsError(t, await call('PATCH', `/v1/crdbs/${guid}`, { body: { default_db_config: { shards_count: 0 } } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', `/v1/crdbs/${guid}/updates`, { body: { remove_instances: [1] } }), 406, 'invalid_crdb_config')
  isRsError(t, await call('POST', `/v1/crdbs/${guid}/updates`, { body: { remove_instances: [7] } }), 404, 'crdb_instance_not_found')

  await call('PUT', '/v1/bdbs/4', { body: { memory_size: 4194304 } })
  isRsError(t, await call('PATCH', `/v1/crdbs/${guid}`, { body: { encryption: true } }), 409, 'busy', 'the member is changing')
  isRsError(t, await call('PUT', `/v1/crdbs/${guid}/flush`), 409, 'busy')
})

t.test('flush, upgrade, health_report', async t => {
  const { call, guid, store } = await created(t)
  const flush = (await call('PUT', `/v1/crdbs/${guid}/flush`)).json()
  t.match(flush, { operation: 'flush_crdb', status: 'queued' })
  store.completePending()
  t.match((await call('GET', `/v1/crdb_tasks/${flush.id}`)).json(), { status: 'finished' })
  t.ok(store.state.actions.some(a => a.name === 'flush_bdb' && a.bdbUid === 4), 'the member was flushed')

  isRsError(t, await call('POST', `/v1/crdbs/${guid}/upgrade`, { body: { redis_version: '1.0' } }), 406, 'invalid_version')
  isRsError(t, await call('POST', `/v1/crdbs/${guid}/upgrade`, { body: { redis_version: 8 } }), 400, 'invalid_schema')
  const version = (await call('GET', '/v1/bdbs/4')).json().redis_version
  t.match((await call('POST', `/v1/crdbs/${guid}/upgrade`, { body: { redis_version: version } })).json(), { operation: 'upgrade_crdb' })
  store.completePending()

  const report = (await call('GET', `/v1/crdbs/${guid}/health_report`)).json()
  t.equal(report.length, 1)
  t.same(Object.keys(report[0]), ['active_config_version', 'cluster_name', 'configurations', 'connections', 'name'])
  t.match(report[0], { cluster_name: LOCAL, name: 'aa-db', connections: [] })
  t.same(Object.keys(report[0].configurations[0]), ['causal_consistency', 'encryption', 'featureset_version', 'instances', 'name', 'protocol_version', 'status', 'version'])
  t.match(report[0].configurations[0], { status: 'commit-completed', instances: [{ id: 1, db_uid: '4', cluster: { name: LOCAL } }] })
})

t.test('cancel: a queued task fails as canceled; an ended one cannot be', async t => {
  const { call, store } = await setup(t)
  const task = (await call('POST', '/v1/crdbs', { body: body() })).json()
  const canceled = await call('POST', `/v1/crdb_tasks/${task.id}/actions/cancel`)
  t.equal(canceled.statusCode, 200)
  t.match(canceled.json(), { status: 'failed', errors: [{ cluster_name: LOCAL, error_code: 'task_canceled' }] })
  store.completePending()
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] }, 'never created')
  t.equal((await call('GET', '/v1/bdbs')).json().length, 3)
  isRsError(t, await call('POST', `/v1/crdb_tasks/${task.id}/actions/cancel`), 406, 'task_not_cancellable')
})

t.test('DELETE and purge remove the CRDB and its member', async t => {
  const { call, guid, store } = await created(t)
  isRsError(t, await call('PUT', `/v1/crdbs/${guid}/purge`, { body: { instances: [3] } }), 404, 'crdb_instance_not_found')
  isRsError(t, await call('PUT', `/v1/crdbs/${guid}/purge`, { body: { instances: [] } }), 400, 'invalid_schema')
  t.match((await call('DELETE', `/v1/crdbs/${guid}`)).json(), { operation: 'delete_crdb', status: 'queued' })
  store.completePending()
  isRsError(t, await call('GET', `/v1/crdbs/${guid}`), 404, 'crdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/4'), 404, 'bdb_not_found')

  const again = await created(t)
  t.match((await again.call('PUT', `/v1/crdbs/${again.guid}/purge`, { body: { instances: [1] } })).json(), { operation: 'purge_crdb', status: 'finished' })
  again.store.completePending()
  t.same((await again.call('GET', '/v1/crdbs')).json(), { crdbs: [] })
})

t.test('ended tasks are kept for their TTL (500 s, or X-Result-TTL)', async t => {
  const { call, guid, task, tick } = await created(t)
  t.equal((await call('GET', `/v1/crdb_tasks/${task.id}`)).statusCode, 200)
  await tick(500_001)
  isRsError(t, await call('GET', `/v1/crdb_tasks/${task.id}`), 404, 'crdb_task_not_found')
  const short = (await call('PUT', `/v1/crdbs/${guid}/flush`, { headers: { 'x-result-ttl': '10' } })).json()
  await tick()
  await tick()
  t.match((await call('GET', `/v1/crdb_tasks/${short.id}`)).json(), { status: 'finished' })
  await tick(10_001)
  isRsError(t, await call('GET', `/v1/crdb_tasks/${short.id}`), 404, 'crdb_task_not_found')
})

t.test('a coordinator\'s request is applied at once; peers show in peer_stats and crdt_sources alerts', async t => {
  const { call, clock } = await setup(t)
  const guid = '5b1e0c6a-3f5e-4b7e-9f43-1a2b3c4d5e6f'
  const res = await call('POST', '/v1/crdbs', { body: body({ guid, instances: [instance('west.example', { id: 1 }), instance(LOCAL, { id: 2 })] }), headers: { 'x-crdb-coordinator': 'west.example' } })
  t.match(res.json(), { status: 'finished', crdb_guid: guid })
  const crdb = (await call('GET', `/v1/crdbs/${guid}`)).json()
  t.same(crdb.instances.map((i: any) => [i.id, i.db_uid]), [[1, ''], [2, '4']], 'only the local instance names its database')
  const member = (await call('GET', '/v1/bdbs/4')).json()
  t.match(member, { crdt_replica_id: 2, crdt_sources: [{ uid: 1, uri: 'redis://aa-db.west.example:443', status: 'syncing' }] })

  clock.ms += 60_000
  const peers = (await call('GET', '/v1/bdbs/4/peer_stats?interval=10sec')).json()
  t.same(Object.keys(peers), ['peer_stats'])
  t.same(peers.peer_stats.map((p: any) => p.uid), ['1'], 'the other instance, by its id')
  const one = (await call('GET', '/v1/bdbs/4/peer_stats/1?interval=10sec')).json()
  t.same(one, peers.peer_stats[0])
  t.equal(one.intervals.length, 6)
  t.same(Object.keys(one.intervals[0]), ['egress_bytes', 'egress_bytes_decompressed', 'etime', 'ingress_bytes', 'ingress_bytes_decompressed',
    'interval', 'local_ingress_lag_time', 'pending_local_writes_max', 'pending_local_writes_min', 'stime'])
  for (const [k, v] of Object.entries(one.intervals[0])) t.type(v, ['etime', 'stime', 'interval'].includes(k) ? 'string' : 'number', k)
  isRsError(t, await call('GET', '/v1/bdbs/4/peer_stats/2'), 404, 'peer_not_found', 'the local instance is no peer')
  t.same(Object.keys((await call('GET', '/v1/bdbs/crdt_sources/alerts')).json()), ['4'])
  t.same(Object.keys((await call('GET', '/v1/bdbs/crdt_sources/alerts/4/1')).json()),
    ['crdt_src_syncer_connection_error', 'crdt_src_high_syncer_lag', 'crdt_src_syncer_general_error'])
  t.match((await call('GET', '/v1/bdbs/4/syncer_state/crdt')).json(), { DB: 4, Sources: [{ ID: 1 }] })
  const report = (await call('GET', `/v1/crdbs/${guid}/health_report`)).json()
  t.same(report[0].connections, [{ name: 'west.example', replication_links: [{ link_uid: '4:1', status: 'up' }], status: 'ok' }],
    'the link is up once the member is active and its source in sync')
  t.match(report[0].configurations[0], { status: 'commit-completed', instances: [{ id: 1, db_uid: '' }, { id: 2, db_uid: '4' }] })

  // the same guid again from the coordinator: the new configuration
  const next = body({ guid, default_db_config: { memory_size: 2097152 }, instances: [instance('west.example', { id: 1 }), instance(LOCAL, { id: 2 })] })
  t.match((await call('POST', '/v1/crdbs', { body: next, headers: { 'x-crdb-coordinator': 'west.example' } })).json(), { status: 'finished', operation: 'update_crdb' })
  t.match((await call('GET', '/v1/bdbs/4')).json(), { memory_size: 2097152, crdt_config_version: 2 })
  isRsError(t, await call('POST', '/v1/crdbs', { body: next }), 406, 'invalid_crdb_config', 'a user cannot create a guid that exists')
})

t.test('CRDBs and tasks are state: exported, imported (also from a document without them), reset', async t => {
  const { call, guid, store } = await created(t)
  const doc = store.exportState()
  await call('POST', '/_mock/reset')
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] })
  store.importState(doc)
  t.equal((await call('GET', `/v1/crdbs/${guid}`)).json().guid, guid)
  const old = structuredClone(doc) as any
  delete old.state.crdbs
  delete old.state.crdbTasks
  store.importState(old)
  t.same((await call('GET', '/v1/crdbs')).json(), { crdbs: [] }, 'an earlier document loads with none')
})

t.test('the member database refuses what RS refuses on Active-Active databases (406)', async t => {
  const { call, guid } = await created(t)
  const before = (await call('GET', '/v1/bdbs/4')).json()
  isRsError(t, await call('PUT', '/v1/bdbs/4', { body: { name: 'renamed' } }), 406, 'name_violation')
  isRsError(t, await call('PUT', '/v1/bdbs/4', { body: { sharding: true, shard_key_regex: [{ regex: '(?<tag>.*)' }] } }), 406, 'crdt_sharding_violation')
  isRsError(t, await call('PUT', '/v1/bdbs/4/reset_admin_pass'), 406, 'not_supported_action_on_crdt')
  t.same((await call('GET', '/v1/bdbs/4')).json(), before, 'nothing changed')
  t.equal((await call('PUT', '/v1/bdbs/1/reset_admin_pass')).statusCode, 200, 'other databases still can')
  // through the CRDB, sharding cannot be turned on either: the task fails with the member's error
  const task = (await call('PATCH', `/v1/crdbs/${guid}`, { body: { default_db_config: { sharding: true } } })).json()
  await call('POST', '/_mock/timing/complete')
  t.match((await call('GET', `/v1/crdb_tasks/${task.id}`)).json(), { status: 'failed', errors: [{ cluster_name: LOCAL, error_code: 'crdt_sharding_violation' }] })
})
