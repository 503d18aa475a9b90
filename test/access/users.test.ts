import t from 'tap'
import { buildTestApp, basic, isRsError, logins } from '../helpers/app.js'

const T0 = Date.parse('2026-03-01T10:00:00Z')
const newUser = { email: 'pat@example.com', password: 'my-password', name: 'Pat Doe', role_uids: [3] }

t.test('GET /v1/users: the fixture users, never a password, keys in the captured order', async t => {
  const { call } = await buildTestApp(t)
  const res = await call('GET', '/v1/users')
  t.equal(res.statusCode, 200)
  const users = res.json() as Array<Record<string, unknown>>
  t.equal(users.length, 7)
  for (const u of users) {
    t.notOk('password' in u || 'hash' in u || 'salt' in u, `${String(u.email)}: no secret`)
    t.same(Object.keys(u), [...Object.keys(u)].sort(), 'sorted keys like the capture')
  }
  t.notMatch(res.body, /"password"/, 'no password key anywhere')
  t.same((await call('GET', '/v1/users?fields=uid,email')).json()[0], { email: 'admin@redis.local', uid: 1 })
  const one = await call('GET', '/v1/users/4')
  t.equal(one.json().email, 'db-member@redis.local')
  t.equal(one.json().role, 'db_member')
  isRsError(t, await call('GET', '/v1/users/999'), 404, 'user_not_found')
  isRsError(t, await call('GET', '/v1/users/abc'), 404, 'not_found')
})

t.test('POST /v1/users creates a user who can log in', async t => {
  const now = T0
  const { call, store } = await buildTestApp(t, { clock: { now: () => now } })
  const res = await call('POST', '/v1/users', { body: newUser })
  t.equal(res.statusCode, 200)
  const user = res.json()
  t.same(user, {
    auth_method: 'regular',
    certificate_subject_line: '',
    email: 'pat@example.com',
    email_alerts: true,
    name: 'Pat Doe',
    password_issue_date: '2026-03-01T10:00:00Z',
    role: 'cluster_viewer',
    role_uids: [3],
    status: 'active',
    uid: 8
  })
  t.same(Object.keys(user), Object.keys(user).sort())
  t.same((await call('GET', '/v1/users/8')).json(), user)
  const login = basic('pat@example.com', 'my-password')
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization: login } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/bdbs', { headers: { authorization: login }, body: { name: 'x' } }), 403, 'insufficient_permissions')
  const event = store.state.events.find(e => e.type === 'user_created')
  t.match(event, { user_uid: '8', user_email: 'pat@example.com', severity: 'INFO' })
  t.notMatch(JSON.stringify(store.state.events), /my-password/)
})

t.test('POST /v1/users: roles, defaults and dry_run', async t => {
  const { call, store } = await buildTestApp(t)
  const legacy = (await call('POST', '/v1/users', { body: { email: 'a@x.io', password: 'pw-a', role: 'db_member' } })).json()
  t.same([legacy.role, legacy.role_uids, legacy.name], ['db_member', [4], 'a@x.io'], 'a legacy role maps to the built-in RBAC role')
  const plain = (await call('POST', '/v1/users', { body: { email: 'b@x.io', password: 'pw-b' } })).json()
  t.same([plain.role, plain.role_uids], ['db_viewer', [5]], 'db_viewer by default (docs/rs-api-notes.md §5.3)')
  const two = (await call('POST', '/v1/users', { body: { email: 'c@x.io', password: 'pw-c', role_uids: [5, 7] } })).json()
  t.equal(two.role, 'user_manager', 'several roles: the broadest shows')
  t.equal((await call('GET', '/v1/users', { headers: { authorization: basic('c@x.io', 'pw-c') } })).statusCode, 200,
    'and their permissions add up (db_viewer alone may not list users)')
  const before = store.clusterStateId
  const dry = await call('POST', '/v1/users?dry_run', { body: { ...newUser, email: 'dry@x.io' } })
  t.equal(dry.statusCode, 200)
  t.equal(dry.json().email, 'dry@x.io')
  t.equal(store.clusterStateId, before, 'dry_run changes nothing')
  t.notOk((await call('GET', '/v1/users')).json().some((u: { email: string }) => u.email === 'dry@x.io'))
  const cert = await call('POST', '/v1/users', { body: { email: 'cert@x.io', auth_method: 'certificate', certificate_subject_line: 'CN=cert' } })
  t.equal(cert.statusCode, 200, 'certificate users need no password')
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: basic('cert@x.io', '') } }), 401, 'unauthorized', 'and cannot log in without one')
})

t.test('POST /v1/users errors', async t => {
  const { call, store } = await buildTestApp(t)
  isRsError(t, await call('POST', '/v1/users', { body: { password: 'x' } }), 400, 'missing_field')
  isRsError(t, await call('POST', '/v1/users', { body: { email: 'n@x.io' } }), 400, 'missing_field', 'regular users need a password')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, email: 'admin@redis.local' } }), 409, 'email_already_exists')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, name: 'Administrator' } }), 409, 'name_already_exists')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, role_uids: [99] } }), 400, 'invalid_param')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, uid: 1 } }), 409, 'uid_exists')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, role: 'boss' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, colour: 'red' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, password_hash_method: 1 } }), 400, 'invalid_param')
  store.state.cluster.password_complexity = true
  const weak = await call('POST', '/v1/users', { body: newUser })
  isRsError(t, weak, 400, 'password_not_complex')
  t.notMatch(weak.body, /my-password/, 'the password is not echoed')
  t.equal((await call('POST', '/v1/users', { body: { ...newUser, password: 'Str0ng!Passw0rd' } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/users', { body: newUser, as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.equal((await call('POST', '/v1/users', { body: { ...newUser, email: 'um@x.io', name: 'UM', password: 'Str0ng!Passw0rd' }, as: 'user_manager' })).statusCode, 200)
})

t.test('PUT /v1/users/{uid}: password change takes effect at once', async t => {
  const { call, store } = await buildTestApp(t)
  const old = logins.db_viewer
  t.equal((await call('GET', '/v1/bdbs', { as: 'db_viewer' })).statusCode, 200, 'known good (and remembered)')
  const res = await call('PUT', '/v1/users/5', { body: { password: 'new-secret' } })
  t.equal(res.statusCode, 200)
  t.notOk('password' in res.json())
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: old } }), 401, 'unauthorized', 'old password fails')
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization: basic('db-viewer@redis.local', 'new-secret') } })).statusCode, 200)
  isRsError(t, await call('PUT', '/v1/users/5', { body: { password: 'new-secret' } }), 406, 'new_password_same_as_current')
  isRsError(t, await call('PUT', '/v1/users/5', { body: { email: 'admin@redis.local' } }), 409, 'email_already_exists')
  isRsError(t, await call('PUT', '/v1/users/5', { body: { uid: 9 } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/users/999', { body: { name: 'x' } }), 404, 'user_not_found')
  const moved = (await call('PUT', '/v1/users/5', { body: { role_uids: [4] } })).json()
  t.same([moved.role, moved.role_uids], ['db_member', [4]], 'role follows role_uids')
  t.match(store.state.events.at(-1), { type: 'user_updated', user_uid: '5', fields: 'role_uids' })
  t.notMatch(JSON.stringify(store.state.events), /new-secret/)
})

t.test('PUT /v1/users/{uid}: a new email ends the old login at once, remembered or not', async t => {
  const { call } = await buildTestApp(t)
  const old = logins.db_viewer
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization: old } })).statusCode, 200, 'known good (and remembered)')
  t.equal((await call('PUT', '/v1/users/5', { body: { email: 'viewer@example.com' } })).statusCode, 200)
  isRsError(t, await call('GET', '/v1/bdbs', { headers: { authorization: old } }), 401, 'unauthorized', 'the old email fails')
  t.equal((await call('GET', '/v1/bdbs', { headers: { authorization: basic('viewer@example.com', 'db-viewer') } })).statusCode, 200)
})

t.test('the last admin keeps its role', async t => {
  const { call } = await buildTestApp(t)
  isRsError(t, await call('PUT', '/v1/users/1', { body: { role_uids: [2] } }), 406, 'change_last_admin_role_not_allowed')
  isRsError(t, await call('PUT', '/v1/users/1', { body: { role: 'db_viewer' } }), 406, 'change_last_admin_role_not_allowed')
  isRsError(t, await call('DELETE', '/v1/users/1'), 406, 'change_last_admin_role_not_allowed')
  t.equal((await call('PUT', '/v1/users/2', { body: { role_uids: [1] } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/users/1', { body: { role_uids: [2] } })).statusCode, 200, 'fine once another admin exists')
})

t.test('users change their own name and password without update_user', async t => {
  const { call } = await buildTestApp(t)
  const renamed = await call('PUT', '/v1/users/5', { body: { name: 'Viewer', email_alerts: false }, as: 'db_viewer' })
  t.equal(renamed.statusCode, 200)
  t.equal(renamed.json().name, 'Viewer')
  isRsError(t, await call('PUT', '/v1/users/5', { body: { role_uids: [1] }, as: 'db_viewer' }), 403, 'insufficient_permissions', 'not their role')
  isRsError(t, await call('PUT', '/v1/users/4', { body: { name: 'x' }, as: 'db_viewer' }), 403, 'insufficient_permissions', 'not someone else')
  t.equal((await call('GET', '/v1/users/5', { as: 'db_viewer' })).statusCode, 200, 'a user reads itself')
  isRsError(t, await call('GET', '/v1/users/4', { as: 'db_viewer' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/users', { as: 'db_viewer' }), 403, 'insufficient_permissions')
  t.equal((await call('PUT', '/v1/users/7', { body: { password: 'none-2' }, as: 'none' })).statusCode, 200, 'even role none')
})

t.test('DELETE /v1/users/{uid}', async t => {
  const { call, store } = await buildTestApp(t)
  t.equal((await call('GET', '/v1/bdbs', { as: 'db_member' })).statusCode, 200)
  const res = await call('DELETE', '/v1/users/4')
  t.equal(res.statusCode, 200)
  t.same(Object.keys(res.json()), ['action_uid'])
  t.match(res.json().action_uid, /^[0-9a-f]{8}-[0-9a-f]{4}-/)
  isRsError(t, await call('GET', '/v1/users/4'), 404, 'user_not_found')
  isRsError(t, await call('GET', '/v1/bdbs', { as: 'db_member' }), 401, 'unauthorized', 'a deleted user cannot log in')
  isRsError(t, await call('DELETE', '/v1/users/4'), 404, 'user_not_found')
  isRsError(t, await call('DELETE', '/v1/users/3', { as: 'db_member' }), 401, 'unauthorized')
  isRsError(t, await call('DELETE', '/v1/users/3', { as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.match(store.state.events.find(e => e.type === 'user_deleted'), { user_uid: '4', user_email: 'db-member@redis.local' })
  t.equal((await call('DELETE', '/v1/users/3?dry_run')).statusCode, 200)
  t.equal((await call('GET', '/v1/users/3')).statusCode, 200, 'dry_run deletes nothing')
})

t.test('GET /v1/users/role and /v1/users/permissions', async t => {
  const { call } = await buildTestApp(t)
  for (const role of Object.keys(logins) as Array<keyof typeof logins>) {
    t.same((await call('GET', '/v1/users/role', { as: role })).json(), { role }, `${role} sees its role`)
  }
  const all = (await call('GET', '/v1/users/permissions', { as: 'none' })).json()
  t.same(Object.keys(all).sort(), Object.keys(logins).sort())
  t.ok(all.admin.api_permissions.includes('update_cluster'))
  t.notOk(all.user_manager.api_permissions.includes('view_debugging_info'), 'docs/decisions.md #15')
  t.same(all.none, { api_permissions: [], ui_permissions: [] })
  const one = (await call('GET', '/v1/users/permissions/db_viewer')).json()
  t.same(Object.keys(one), ['db_viewer'])
  t.ok(one.db_viewer.api_permissions.includes('view_bdb_info'))
  t.notOk(one.db_viewer.api_permissions.includes('view_logged_events'))
  isRsError(t, await call('GET', '/v1/users/permissions/boss'), 404, 'role_not_found')
  isRsError(t, await call('GET', '/v1/users/role', { headers: { authorization: null } }), 401, 'unauthorized')
})

// docs/decisions.md #19: the Vault database plugin's create body, which real RS 6.0 answered 200.
t.test('POST /v1/users without email: a data-access user with "email": "" who logs in by name', async t => {
  const { call } = await buildTestApp(t)
  const vault = { name: 'v-token-app-1234', password: 'Vault-Pw-1', role_uids: [4], email_alerts: false, auth_method: 'regular' }
  const res = await call('POST', '/v1/users', { body: vault })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { email: '', name: 'v-token-app-1234', email_alerts: false, role_uids: [4], auth_method: 'regular' })
  const second = await call('POST', '/v1/users', { body: { ...vault, name: 'v-token-app-5678' } })
  t.equal(second.statusCode, 200, 'two users without email do not collide on ""')
  const me = await call('GET', '/v1/users/role', { headers: { authorization: basic('v-token-app-1234', 'Vault-Pw-1') } })
  t.equal(me.statusCode, 200, 'logs in by name')
  isRsError(t, await call('GET', '/v1/users/role', { headers: { authorization: basic('v-token-app-1234', 'wrong') } }), 401, 'unauthorized')
  isRsError(t, await call('GET', '/v1/users/role', { headers: { authorization: basic('', 'Vault-Pw-1') } }), 401, 'unauthorized')
  isRsError(t, await call('POST', '/v1/users', { body: { ...vault, name: 'v-token-app-1234' } }), 409, 'name_already_exists')
  isRsError(t, await call('POST', '/v1/users', { body: { password: 'x', role_uids: [4] } }), 400, 'missing_field')
  t.equal((await call('POST', '/v1/users', { body: { ...newUser, email: 'e1@x.io', name: 'E1' } })).statusCode, 200)
  isRsError(t, await call('POST', '/v1/users', { body: { ...newUser, email: 'e1@x.io', name: 'E2' } }), 409, 'email_already_exists')
  t.equal((await call('DELETE', `/v1/users/${String(res.json().uid)}`)).statusCode, 200)
})
