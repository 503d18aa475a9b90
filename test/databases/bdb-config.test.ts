// /v1/bdbs/{uid}/passwords, /upgrade, /modules/config (and /v1/modules/config/bdb/{uid}), /modules/upgrade.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'

const T0 = Date.parse('2026-03-01T12:00:00Z')
const GB = 1073741824
const SEARCH_2_6 = '721626885896f0c15437343f8f3c30ac'
const SEARCH_2_8 = 'a0f76aeba31fcb25da1dc4484021d8bc'
const SEARCH_2_10 = '97517acd08cf6683ae2987d4a5083fab'
const SEARCH_8 = '843f7c30c2dcedf8c22f9ff0ca1cc23f'

async function setup (t: Parameters<typeof buildTestApp>[0]) {
  const c = { ms: T0, now: () => c.ms }
  const built = await buildTestApp(t, { clock: c, transitionDelayMs: 1000 })
  const bdb = async (uid = 1) => (await built.call('GET', `/v1/bdbs/${uid}`)).json()
  /** a new active database */
  const create = async (body: object) => {
    const res = await built.call('POST', '/v1/bdbs', { body: { memory_size: GB, ...body } })
    t.equal(res.statusCode, 200, 'created')
    c.ms += 1000
    return res.json().uid as number
  }
  return { ...built, c, bdb, create }
}

t.test('passwords: add, remove, replace; authentication_redis_pass shows the first', async t => {
  const { call, bdb, store } = await setup(t)
  const pw = (method: 'PUT' | 'POST' | 'DELETE', password: string, uid = 1) => call(method, `/v1/bdbs/${uid}/passwords`, { body: { password } })
  const add = await pw('POST', 'first-secret')
  t.equal(add.statusCode, 200)
  t.equal(add.body, '', 'a status code only')
  t.equal((await bdb()).authentication_redis_pass, 'first-secret')
  t.equal((await pw('POST', 'second-secret')).statusCode, 200)
  t.equal((await bdb()).authentication_redis_pass, 'first-secret', 'the oldest stays first')
  isRsError(t, await pw('POST', 'second-secret'), 406, 'password_exists')
  t.equal((await pw('DELETE', 'first-secret')).statusCode, 200)
  t.equal((await bdb()).authentication_redis_pass, 'second-secret')
  isRsError(t, await pw('DELETE', 'first-secret'), 406, 'password_not_found')
  t.equal((await pw('PUT', 'only-one')).statusCode, 200)
  t.equal((await bdb()).authentication_redis_pass, 'only-one')
  isRsError(t, await pw('DELETE', 'second-secret'), 406, 'password_not_found', 'PUT replaced them all')

  // the deprecated field written directly replaces the list too
  await call('PUT', '/v1/bdbs/1', { body: { authentication_redis_pass: 'legacy' } })
  isRsError(t, await pw('POST', 'legacy'), 406, 'password_exists')
  isRsError(t, await pw('DELETE', 'only-one'), 406, 'password_not_found')

  isRsError(t, await pw('POST', 'x', 99), 404, 'bdb_not_found')
  isRsError(t, await call('POST', '/v1/bdbs/2/passwords', { body: {} }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/2/passwords', { body: { password: '' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/2/passwords', { body: { password: 'a', user: 'b' } }), 400, 'invalid_schema')

  t.equal((await pw('POST', 'kept', 2)).statusCode, 200)
  await pw('POST', 'kept-too', 2)
  const copy = createStore(loadSeed(defaultFixturesDir))
  copy.importState(store.exportState())
  t.same(copy.bdbConfig.passwords(copy.bdbs.get(2)), ['kept', 'kept-too'], 'saved with the state')
  await call('POST', '/_mock/reset')
  t.equal((await bdb(2)).authentication_redis_pass, '', 'reset clears them')
  t.same(store.bdbConfig.passwords(store.bdbs.get(2)), [])
})

t.test('upgrade: the latest Redis and the matching modules through active-change-pending', async t => {
  const { call, c, bdb, create } = await setup(t)
  const uid = await create({ name: 'old', redis_version: '7.4', module_list: [{ module_name: 'search', module_args: 'MAXEXPANSIONS 10' }] })
  const res = await call('POST', `/v1/bdbs/${uid}/upgrade`, { body: { may_discard_data: true } })
  t.equal(res.statusCode, 200)
  const up = res.json()
  t.match(up, { uid, status: 'active-change-pending', redis_version: '8.0', version: '8.0.0', action_uid: /^[0-9a-f-]{36}$/ })
  t.same(up.module_list, [{ module_args: 'MAXEXPANSIONS 10', module_id: SEARCH_8, module_name: 'search', semantic_version: '7.99.91' }])
  isRsError(t, await call('POST', `/v1/bdbs/${uid}/upgrade`, { body: {} }), 409, 'busy')
  c.ms += 1000
  t.match(await bdb(uid), { status: 'active', redis_version: '8.0' })
  t.match((await call('GET', `/v1/actions/${String(up.action_uid)}`)).json(), { name: 'SMUpgradeBDB', status: 'completed' })

  const named = await create({ name: 'named', redis_version: '7.2' })
  const to74 = (await call('POST', `/v1/bdbs/${named}/upgrade`, { headers: { 'content-length': '0' } }))
  t.equal(to74.json().redis_version, '8.0', 'no body: the latest')
  c.ms += 1000
  const pinned = await create({ name: 'pinned', redis_version: '7.2' })
  t.equal((await call('POST', `/v1/bdbs/${pinned}/upgrade`, { body: { redis_version: '7.4' } })).json().version, '7.4.2')
  c.ms += 1000
  isRsError(t, await call('POST', `/v1/bdbs/${pinned}/upgrade`, { body: { redis_version: '7.2' } }), 406, 'invalid_version', 'no downgrade')
  isRsError(t, await call('POST', `/v1/bdbs/${pinned}/upgrade`, { body: { redis_version: '9.9' } }), 406, 'invalid_version')
  isRsError(t, await call('POST', `/v1/bdbs/${pinned}/upgrade`, { body: { redis_version: 8 } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/99/upgrade', { body: {} }), 404, 'bdb_not_found')
})

t.test('modules/config: runtime arguments of loaded modules with a config command', async t => {
  const { call, bdb } = await setup(t)
  const conf = (modules: object[], url = '/v1/bdbs/1/modules/config') => call('POST', url, { body: { modules } })
  const ok = await conf([{ module_name: 'search', module_args: 'MINPREFIX 3 MAXEXPANSIONS 1000' }])
  t.equal(ok.statusCode, 200)
  t.equal(ok.body, '')
  const search = (await bdb()).module_list.find((m: any) => m.module_name === 'search')
  t.equal(search.module_args, 'MINPREFIX 3 MAXEXPANSIONS 1000')
  t.equal((await bdb()).status, 'active', 'applied at runtime: no state machine')
  t.equal((await conf([{ module_name: 'SEARCH', module_args: 'MINPREFIX 2' }], '/v1/modules/config/bdb/1')).statusCode, 200, 'the modules-collection form')
  t.equal((await bdb()).module_list.find((m: any) => m.module_name === 'search').module_args, 'MINPREFIX 2')

  isRsError(t, await conf([{ module_name: 'bf', module_args: 'ERROR_RATE 0.1' }]), 406, 'module_config_unsupported')
  isRsError(t, await conf([{ module_name: 'graph', module_args: '' }]), 400, 'module_not_exist')
  isRsError(t, await conf([{ module_name: 'search', module_args: 'A&B' }]), 400, 'param_error')
  isRsError(t, await conf([{ module_name: 'search' }]), 400, 'missing_field')
  isRsError(t, await conf([{ module_args: 'x' }], '/v1/modules/config/bdb/1'), 400, 'missing_field')
  isRsError(t, await call('POST', '/v1/bdbs/1/modules/config', { body: [] }), 400, 'invalid_schema', 'not a dict')
  isRsError(t, await conf([{ module_name: 'search', module_args: 'x' }], '/v1/bdbs/99/modules/config'), 404, 'db_not_exist')
  isRsError(t, await conf([{ module_name: 'search', module_args: 'x' }], '/v1/modules/config/bdb/99'), 404, 'db_not_exist')
  const before = (await bdb()).module_list
  isRsError(t, await conf([{ module_name: 'search', module_args: 'NEW' }, { module_name: 'bf', module_args: 'x' }]), 406, 'module_config_unsupported')
  t.same((await bdb()).module_list, before, 'all or nothing')
})

t.test('modules/upgrade: to a newer version compatible with the database', async t => {
  const { call, c, bdb, create } = await setup(t)
  const uid = await create({ name: 'm72', redis_version: '7.2', module_list: [{ module_id: SEARCH_2_6 }] })
  const up = (modules: object[]) => call('POST', `/v1/bdbs/${uid}/modules/upgrade`, { body: { modules, preserve_roles: true } })
  isRsError(t, await up([{ module_name: 'search', new_module: 'f'.repeat(32) }]), 406, 'missing_module')
  isRsError(t, await up([{ new_module: SEARCH_2_10 }]), 406, 'redis_incompatible_version')
  isRsError(t, await up([{ new_module: SEARCH_8 }]), 406, 'redis_incompatible_version')
  isRsError(t, await up([{ new_module: 'a2fb2d95bb40b161483b72aa51b46f51' }]), 400, 'module_not_exist', 'bf is not loaded')
  isRsError(t, await up([{ current_module: SEARCH_2_6, new_module: 'a2fb2d95bb40b161483b72aa51b46f51' }]), 406, 'invalid_module', 'bf is not a search version')
  isRsError(t, await up([{ current_module: SEARCH_2_6 }]), 400, 'invalid_schema', 'new_module is required')
  const res = await up([{ module_name: 'search', current_semantic_version: '2.6.29', new_module: SEARCH_2_8, new_module_args: 'MINPREFIX 1' }])
  t.equal(res.statusCode, 200)
  t.match(res.json(), { uid, status: 'active-change-pending', action_uid: /^[0-9a-f-]{36}$/ })
  t.same(res.json().module_list, [{ module_args: 'MINPREFIX 1', module_id: SEARCH_2_8, module_name: 'search', semantic_version: '2.8.26' }])
  c.ms += 1000
  t.equal((await bdb(uid)).status, 'active')
  isRsError(t, await up([{ new_module: SEARCH_2_6 }]), 406, 'module_downgrade_unsupported')
  isRsError(t, await call('POST', '/v1/bdbs/99/modules/upgrade', { body: { modules: [{ new_module: SEARCH_2_8 }] } }), 404, 'bdb_not_found')
})
