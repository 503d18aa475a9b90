// Custom modules: /v2/modules/user-defined (the module object) and the node's artifacts, uploaded
// as multipart/form-data with a .zip made by the real zip command.
import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

const MODULE = {
  module_name: 'TestModule',
  version: 1,
  semantic_version: '0.0.1',
  display_name: 'test module',
  commands: [{ command_arity: -1, command_name: 'test.cmd', first_key: 1, flags: ['write'], last_key: 1, step: 1 }],
  command_line_args: '',
  capabilities: ['types', 'backup_restore'],
  min_redis_version: '7.2'
}

/** A zip of these files (name → content) made by `zip`, wrapped in a multipart body as curl -F sends it. */
function upload (t: Test, files: Record<string, string>, wrap = true): { payload: Buffer, headers: Record<string, string> } {
  const dir = t.testdir(files)
  execFileSync('zip', ['-q', 'module.zip', ...Object.keys(files)], { cwd: dir })
  const zip = readFileSync(join(dir, 'module.zip'))
  const boundary = '------------------------4751ac3b332ace13'
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="module"; filename="module.zip"\r\nContent-Type: application/zip\r\n\r\n`),
    wrap ? zip : Buffer.from('not a zip at all'),
    Buffer.from(`\r\n--${boundary}--\r\n`)
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

t.test('POST /v2/modules/user-defined creates a module object that GET /v1/modules lists; DELETE removes it', async t => {
  const { call, store } = await buildTestApp(t)
  const res = await call('POST', '/v2/modules/user-defined', { body: MODULE })
  t.equal(res.statusCode, 200)
  const mod = res.json()
  t.match(mod, { module_name: 'TestModule', semantic_version: '0.0.1', version: 1, display_name: 'test module', is_bundled: false, uid: /^[0-9a-f]{32}$/ })
  t.notOk('commands' in mod, 'commands are not part of the module object')
  const bundled = (await call('GET', '/v1/modules')).json()[0]
  t.same(Object.keys(mod), Object.keys(bundled), 'the bundled modules\' keys and order')
  t.same((await call('GET', `/v1/modules/${String(mod.uid)}`)).json(), mod)
  isRsError(t, await call('POST', '/v2/modules/user-defined', { body: MODULE }), 406, 'module_exists')
  const { display_name: _d, ...noName } = MODULE
  isRsError(t, await call('POST', '/v2/modules/user-defined', { body: { ...noName, semantic_version: '0.0.2' } }), 406, 'invalid_module')
  isRsError(t, await call('POST', '/v2/modules/user-defined', { body: { ...MODULE, version: '1' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v2/modules/user-defined', { body: MODULE, as: 'cluster_member' }), 403, 'insufficient_permissions')

  const copy = createStore(loadSeed(defaultFixturesDir))
  copy.importState(store.exportState())
  t.ok(copy.state.modules.some(m => m.uid === mod.uid), 'saved with the state')

  // a database using it keeps it
  const db = await call('POST', '/v1/bdbs', { body: { name: 'custom', memory_size: 1e6, module_list: [{ module_id: mod.uid }] } })
  t.equal(db.statusCode, 200)
  isRsError(t, await call('DELETE', `/v2/modules/user-defined/${String(mod.uid)}`), 406, 'module_in_use')
  store.completePending()
  await call('DELETE', `/v1/bdbs/${String(db.json().uid)}`)
  store.completePending()
  const del = await call('DELETE', `/v2/modules/user-defined/${String(mod.uid)}`)
  t.equal(del.statusCode, 200)
  t.equal(del.body, '')
  isRsError(t, await call('GET', `/v1/modules/${String(mod.uid)}`), 404, 'module_not_found')
  isRsError(t, await call('DELETE', `/v2/modules/user-defined/${String(mod.uid)}`), 404, 'module_not_found')
  isRsError(t, await call('DELETE', `/v2/modules/user-defined/${String(bundled.uid)}`), 406, 'bundled_module', 'a bundled module stays')
})

t.test('a custom module without backup_restore makes export 406', async t => {
  const { call, store } = await buildTestApp(t)
  const mod = (await call('POST', '/v2/modules/user-defined', { body: { ...MODULE, capabilities: ['types'] } })).json()
  const uid = (await call('POST', '/v1/bdbs', { body: { name: 'nobackup', memory_size: 1e6, module_list: [{ module_id: mod.uid }] } })).json().uid
  store.completePending()
  isRsError(t, await call('POST', `/v1/bdbs/${String(uid)}/actions/export`, { body: { export_location: { type: 'mount_point', path: '/x' } } }), 406, 'unsupported_module_capabilities')
})

t.test('artifacts: upload a zip with module.json and the .so, list, delete', async t => {
  const { call, store } = await buildTestApp(t)
  t.same((await call('GET', '/v2/local/modules/user-defined/artifacts')).json(), [])
  const meta = { ...MODULE, version: 123, dependencies: { dep_1: {}, dep_2: {} } }
  const up = upload(t, { 'module.json': JSON.stringify(meta), 'testmodule.so': '\x7fELF fake module binary' })
  const res = await call('POST', '/v2/local/modules/user-defined/artifacts', { body: up.payload, headers: up.headers })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  const list = (await call('GET', '/v2/local/modules/user-defined/artifacts', { as: 'db_viewer' })).json()
  t.same(list, [{ module_name: 'TestModule', version: 123, dependencies: ['dep_1', 'dep_2'] }])
  isRsError(t, await call('POST', '/v2/local/modules/user-defined/artifacts', { body: up.payload, headers: up.headers }), 406, 'module_exists')

  const copy = createStore(loadSeed(defaultFixturesDir))
  copy.importState(store.exportState())
  t.same(copy.customModules.artifacts(), list, 'saved with the state')

  isRsError(t, await call('DELETE', '/v2/local/modules/user-defined/artifacts/TestModule/124'), 404, 'module_not_found')
  t.equal((await call('DELETE', '/v2/local/modules/user-defined/artifacts/TestModule/123')).statusCode, 200)
  t.same((await call('GET', '/v2/local/modules/user-defined/artifacts')).json(), [])
  await call('POST', '/v2/local/modules/user-defined/artifacts', { body: up.payload, headers: up.headers })
  await call('POST', '/_mock/reset')
  t.same((await call('GET', '/v2/local/modules/user-defined/artifacts')).json(), [], 'reset clears them')
})

t.test('artifact upload errors', async t => {
  const { call } = await buildTestApp(t)
  const post = (up: { payload: Buffer, headers: Record<string, string> }) => call('POST', '/v2/local/modules/user-defined/artifacts', { body: up.payload, headers: up.headers })
  isRsError(t, await post(upload(t, { 'module.json': JSON.stringify(MODULE) }, false)), 400, 'no_module', 'not a zip')
  isRsError(t, await post({ payload: Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=x' } }), 400, 'no_module', 'no file part')
  isRsError(t, await post({ payload: Buffer.from('x'), headers: { 'content-type': 'multipart/form-data' } }), 400, 'no_module', 'no boundary')
  isRsError(t, await call('POST', '/v2/local/modules/user-defined/artifacts', { body: { module: 'x' } }), 400, 'no_module', 'a JSON body')
  isRsError(t, await post({ payload: Buffer.from('x'), headers: { 'content-type': 'text/plain' } }), 400, 'invalid_header')
  isRsError(t, await post(upload(t, { 'testmodule.so': 'x' })), 406, 'invalid_module', 'no module.json')
  isRsError(t, await post(upload(t, { 'module.json': JSON.stringify(MODULE) })), 406, 'invalid_module', 'no .so')
  isRsError(t, await post(upload(t, { 'module.json': '{', 'm.so': 'x' })), 406, 'invalid_module', 'bad JSON')
  const { commands: _c, ...noCommands } = MODULE
  isRsError(t, await post(upload(t, { 'module.json': JSON.stringify(noCommands), 'm.so': 'x' })), 406, 'invalid_module', 'missing metadata')
  isRsError(t, await post(upload(t, { 'module.json': JSON.stringify({ ...MODULE, version: '1' }), 'm.so': 'x' })), 406, 'invalid_module', 'version not an integer')
  t.same((await call('GET', '/v2/local/modules/user-defined/artifacts')).json(), [], 'nothing stored')
})
