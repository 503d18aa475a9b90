// Export, import, backup and their status resets; stop/resume traffic (docs/rs-api-notes.md §5.7).
import t from 'tap'
import { join } from 'node:path'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }
const S3 = { type: 's3', bucket_name: 'backups', access_key_id: 'AK', secret_access_key: 'SK' }
const FTP = { type: 'url', url: 'ftp://user:pw@ftp.example.com/dumps/cache.rdb.gz' }

async function setup (t: Parameters<typeof buildTestApp>[0]) {
  const c = clock()
  const built = await buildTestApp(t, { clock: c, transitionDelayMs: 1000 })
  const bdb = async (uid = 1) => (await built.call('GET', `/v1/bdbs/${uid}`)).json()
  return { ...built, c, bdb }
}

t.test('export: 200 with an empty body, then exporting → 50 % → succeeded on the delay', async t => {
  const { call, c, bdb } = await setup(t)
  const res = await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: S3, email_notification: false } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '', 'no body')
  let b = await bdb()
  t.match(b, { export_status: 'exporting', export_progress: 0, export_failure_reason: '', status: 'active' })
  t.same(b.background_op, [{ status: 'running', name: 'export', progress: 0 }])
  const v2 = (await call('GET', '/v2/actions')).json()
  const action = v2.find((a: any) => a.name === 'export')
  t.match(action, { action_type: 'other', status: 'running', progress: 0, additional_info: { object_type: 'bdb', object_uid: '1' } })
  const v1 = (await call('GET', '/v1/actions')).json()
  t.notOk([...v1.actions, ...v1['state-machines']].some((a: any) => a.name === 'export'), 'v1 omits export actions')

  c.ms += 500
  b = await bdb()
  t.match(b, { export_status: 'exporting', export_progress: 50 })
  t.same(b.background_op, [{ name: 'export', progress: 50, status: 'running' }])
  t.equal((await call('GET', `/v2/actions/${String(action.action_uid)}`)).json().progress, 50)
  c.ms += 500
  b = await bdb()
  t.match(b, { export_status: 'succeeded', export_progress: 100, export_failure_reason: '', last_export_time: '2026-03-01T12:00:01Z' })
  t.same(b.background_op, [{ status: 'idle' }], 'settled: idle (docs/decisions.md #23)')
  t.same(Object.keys(b), Object.keys(b).sort(), 'last_export_time in sorted position')
  t.equal((await call('GET', `/v2/actions/${String(action.action_uid)}`)).json().status, 'completed')

  const reset = await call('PUT', '/v1/bdbs/1/actions/export_reset_status')
  t.equal(reset.statusCode, 200)
  t.equal(reset.body, '')
  b = await bdb()
  t.match(b, { export_status: 'idle', export_progress: 0, export_failure_reason: '' }, 'the page: reset to idle')
  t.same(b.background_op, [{ status: 'idle' }])
})

t.test('export errors: schema 400, unknown 404, busy 409, module capability 406', async t => {
  const { call, store } = await setup(t)
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: {} }), 400, 'invalid_schema', 'export_location is required')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: { type: 's3', bucket_name: 'b' } } }), 400, 'invalid_schema', 's3 needs its keys')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: { type: 'tape' } } }), 400, 'invalid_schema', 'unknown type')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP, colour: 1 } }), 400, 'invalid_schema', 'unknown key')
  isRsError(t, await call('POST', '/v1/bdbs/99/actions/export', { body: { export_location: FTP } }), 404, 'bdb_not_found')
  t.equal((await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP } }), 409, 'busy', 'one export at a time')
  isRsError(t, await call('PUT', '/v1/bdbs/1/actions/export_reset_status'), 409, 'busy', 'no reset while exporting')
  isRsError(t, await call('PUT', '/v1/bdbs/99/actions/export_reset_status'), 404, 'bdb_not_found')

  t.equal((await call('PUT', '/v1/bdbs/2', { body: { memory_size: 2 ** 30 } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/export', { body: { export_location: FTP } }), 409, 'busy', 'a database mid-change')

  const ts = store.state.modules.find(m => m.module_name === 'timeseries' && m.semantic_version === '8.0.2')!
  ts.capabilities = (ts.capabilities as string[]).filter(c => c !== 'backup_restore')
  isRsError(t, await call('POST', '/v1/bdbs/3/actions/export', { body: { export_location: FTP } }), 406, 'unsupported_module_capabilities')
  isRsError(t, await call('PUT', '/v1/bdbs/3/actions/backup_reset_status'), 406, 'unsupported_module_capabilities')
})

t.test('an arranged failure ends an export with its documented reason; the reset clears it', async t => {
  const { call, c, bdb } = await setup(t)
  const arranged = await call('POST', '/_mock/bdbs/1/fail_next', { body: { operation: 'export', reason: 'wrong-file-path' } })
  t.same(arranged.json(), { uid: 1, fail_next: { export: 'wrong-file-path' } })
  isRsError(t, await call('POST', '/_mock/bdbs/1/fail_next', { body: { operation: 'export', reason: 'file-corrupted' } }), 400, 'bad_request', 'an import reason is not an export reason')
  isRsError(t, await call('POST', '/_mock/bdbs/1/fail_next', { body: { operation: 'restore', reason: 'x' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/_mock/bdbs/99/fail_next', { body: { operation: 'export', reason: 'general-error' } }), 404, 'bdb_not_found')
  await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP } })
  c.ms += 1000
  const b = await bdb()
  t.match(b, { export_status: 'failed', export_failure_reason: 'wrong-file-path', export_progress: 50 })
  t.same(b.background_op, [{ status: 'idle' }])
  t.notOk('last_export_time' in b, 'no successful export yet')
  const failed = (await call('GET', '/v2/actions')).json().find((a: any) => a.name === 'export')
  t.equal(failed.status, 'failed')

  await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP } })
  c.ms += 1000
  t.equal((await bdb()).export_status, 'succeeded', 'the failure was for the next run only')
  t.equal((await call('PUT', '/v1/bdbs/1/actions/export_reset_status')).statusCode, 200)
  t.match(await bdb(), { export_status: 'idle', export_failure_reason: '' })
})

t.test('import: import-pending with initializing → importing → succeeded; sources kept and reused', async t => {
  const { call, c, bdb } = await setup(t)
  const src = [{ type: 'url', url: 'http://files.example.com/seed.rdb' }]
  t.equal((await call('POST', '/v1/bdbs/1/actions/import', { body: { dataset_import_sources: src } })).statusCode, 200)
  let b = await bdb()
  t.match(b, { status: 'import-pending', import_status: 'initializing', import_progress: 0 })
  t.same(b.dataset_import_sources, src)
  isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { memory_size: 2 ** 30 } }), 409, 'busy', 'the database is busy while importing')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/import'), 409, 'busy')
  t.equal((await call('GET', '/v1/bdbs/1/availability')).statusCode, 200, 'an importing database still serves')
  t.match((await call('GET', '/v1/shards/1')).json(), { detailed_status: 'importing', status: 'active' })
  c.ms += 500
  t.match(await bdb(), { import_status: 'importing', import_progress: 50 })
  c.ms += 500
  b = await bdb()
  t.match(b, { status: 'active', import_status: 'succeeded', import_progress: 100 })
  t.equal((await call('GET', '/v1/shards/1')).json().detailed_status, 'ok')

  // no body: the stored sources
  const bare = await call('POST', '/v1/bdbs/1/actions/import', { headers: { 'content-length': '0' } })
  t.equal(bare.statusCode, 200, 'Content-Length: 0 reuses the stored sources')
  c.ms += 1000
  t.equal((await bdb()).import_status, 'succeeded')
  t.equal((await call('PUT', '/v1/bdbs/1/actions/import_reset_status')).statusCode, 200)
  t.match(await bdb(), { import_status: 'idle', import_progress: 0, import_failure_reason: '' })
})

t.test('import errors and failure reasons', async t => {
  const { call, c, bdb } = await setup(t)
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/import'), 400, 'missing_field', 'no sources given nor stored')
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/import', { body: { dataset_import_sources: [] } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/import', { body: { name: 'x' } }), 400, 'invalid_schema', 'other attributes are refused')
  isRsError(t, await call('POST', '/v1/bdbs/2/actions/import', { body: { dataset_import_sources: [{ type: 'sftp' }] } }), 400, 'invalid_schema', 'sftp needs sftp_url')
  isRsError(t, await call('POST', '/v1/bdbs/99/actions/import', { body: { dataset_import_sources: [FTP] } }), 404, 'bdb_not_found')
  await call('POST', '/_mock/bdbs/2/fail_next', { body: { operation: 'import', reason: 'file-corrupted' } })
  t.equal((await call('POST', '/v1/bdbs/2/actions/import', { body: { dataset_import_sources: [FTP] } })).statusCode, 200)
  c.ms += 1000
  t.match(await bdb(2), { status: 'active', import_status: 'failed', import_failure_reason: 'file-corrupted' })
})

t.test('a scheduled backup (test control) and backup_reset_status', async t => {
  const { call, c, bdb } = await setup(t)
  isRsError(t, await call('POST', '/_mock/bdbs/1/backup'), 400, 'bad_request', 'no backup_location')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { backup: true, backup_location: S3 } })).statusCode, 200)
  c.ms += 1000
  const run = await call('POST', '/_mock/bdbs/1/backup')
  t.same(run.json(), { uid: 1, backup_status: 'exporting', backup_progress: 0 })
  isRsError(t, await call('PUT', '/v1/bdbs/1/actions/backup_reset_status'), 409, 'busy')
  c.ms += 1000
  t.match(await bdb(), { backup_status: 'succeeded', backup_progress: 100, last_backup_time: '2026-03-01T12:00:02Z' })
  await call('POST', '/_mock/bdbs/1/fail_next', { body: { operation: 'backup', reason: 'no-permission' } })
  await call('POST', '/_mock/bdbs/1/backup')
  c.ms += 1000
  t.match(await bdb(), { backup_status: 'failed', backup_failure_reason: 'no-permission', last_backup_time: '2026-03-01T12:00:02Z' })
  t.equal((await call('PUT', '/v1/bdbs/1/actions/backup_reset_status')).statusCode, 200)
  t.match(await bdb(), { backup_status: 'idle', backup_failure_reason: '', backup_progress: 0 }, 'the page: reset to idle')
})

t.test('stop_traffic makes the database unavailable until resume_traffic', async t => {
  const { call, c, bdb } = await setup(t)
  const stop = await call('POST', '/v1/bdbs/1/actions/stop_traffic')
  t.equal(stop.statusCode, 200)
  t.match(stop.json(), { action_uid: /^[0-9a-f-]{36}$/ })
  t.same(Object.keys(stop.json()), ['action_uid'])
  t.match(await bdb(), { status: 'active-change-pending', traffic_manually_disabled: true, action_uid: stop.json().action_uid })
  t.same((await bdb()).background_op, [{ name: 'SMStopTraffic', progress: 0, status: 'running' }], 'docs/decisions.md #23')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/resume_traffic'), 409, 'busy', 'busy until the stop completes')
  c.ms += 1000
  t.match(await bdb(), { status: 'active', traffic_manually_disabled: true })
  t.match((await call('GET', `/v1/actions/${String(stop.json().action_uid)}`)).json(), { name: 'SMStopTraffic', status: 'completed', object_name: 'bdb:1' })
  isRsError(t, await call('GET', '/v1/bdbs/1/availability'), 503, 'bdb_unavailable_port_unbound')
  isRsError(t, await call('GET', '/v1/local/bdbs/1/endpoint/availability'), 503, 'bdb_endpoint_unavailable')
  t.equal((await call('GET', '/v1/bdbs/2/availability')).statusCode, 200, 'other databases serve')

  t.equal((await call('POST', '/v1/bdbs/1/actions/resume_traffic')).statusCode, 200)
  c.ms += 1000
  t.match(await bdb(), { status: 'active', traffic_manually_disabled: false })
  t.equal((await call('GET', '/v1/bdbs/1/availability')).statusCode, 200)
  isRsError(t, await call('POST', '/v1/bdbs/99/actions/stop_traffic'), 404, 'bdb_not_found')
})

t.test('operations survive the state file, finish after a reload, and /_mock/reset clears them', async t => {
  const seed = loadSeed(defaultFixturesDir)
  const path = join(t.testdir(), 'state.json')
  const app = await buildTestApp(t, { clock: clock(), transitionDelayMs: 1000, stateFile: path })
  const { store } = app
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: object) => app.call(method, url, { body })
  await call('POST', '/_mock/bdbs/2/fail_next', { operation: 'import', reason: 'out-of-memory' })
  await call('POST', '/v1/bdbs/1/actions/export', { export_location: FTP })
  await call('POST', '/v1/bdbs/3/actions/stop_traffic')

  const c2 = clock()
  const again = createStore(seed, { clock: c2, transitionDelayMs: 1000 })
  attachStateFile(again, path)
  t.match(again.bdbs.get(1), { export_status: 'exporting' }, 'loaded mid-export')
  t.equal(again.state.operations.bdbs.get(2)?.fail_next?.import, 'out-of-memory', 'the arranged failure is saved')
  c2.ms += 1000
  again.settle()
  t.match(again.bdbs.get(1), { export_status: 'succeeded' }, 'and finishes after the reload')
  t.match(again.bdbs.get(3), { status: 'active', traffic_manually_disabled: true })

  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.match(store.bdbs.get(1), { export_status: '', background_op: [{ status: 'idle' }] })
  t.equal(store.bdbs.get(3).traffic_manually_disabled, undefined)
  t.equal(store.state.operations.bdbs.size, 0)
})

t.test('a state document written before the operations part still loads', async t => {
  const { store } = await buildTestApp(t)
  const doc = store.exportState() as any
  delete doc.state.operations
  store.importState(doc)
  t.same(store.state.operations, { bdbs: new Map(), artifacts: [] })
})

t.test('the journal redacts the credentials of an export location', async t => {
  const { call } = await setup(t)
  await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: S3 } })
  await call('POST', '/v1/bdbs/2/actions/import', { body: { dataset_import_sources: [{ type: 'abs', container: 'c', account_name: 'n', sas_token: 'tok', filename: 'f.rdb' }] } })
  const entries = (await call('GET', '/_mock/journal?path=/v1/bdbs/*/actions/*')).json()
  t.match(entries.map((e: any) => e.body), [
    { export_location: { type: 's3', bucket_name: 'backups', access_key_id: 'AK', secret_access_key: '[REDACTED]' } },
    { dataset_import_sources: [{ account_name: 'n', sas_token: '[REDACTED]' }] }
  ])
})

t.test('an expired license forbids the actions (docs/decisions.md #16)', async t => {
  const { call, store } = await setup(t)
  store.state.license!.expired = true
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/export', { body: { export_location: FTP } }), 403, 'license_expired')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/import', { body: { dataset_import_sources: [FTP] } }), 403, 'license_expired')
  isRsError(t, await call('PUT', '/v1/bdbs/1/actions/import_reset_status'), 403, 'license_expired')
  isRsError(t, await call('POST', '/v1/bdbs/1/actions/stop_traffic'), 403, 'license_expired')
  isRsError(t, await call('POST', '/v1/bdbs/1/upgrade', { body: {} }), 403, 'license_expired')
})
