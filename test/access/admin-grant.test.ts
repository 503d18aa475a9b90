// A user_manager manages users, roles and LDAP mappings, but cannot reach admin through them: it
// neither grants the admin management role nor changes a user, role or mapping that has it.
import t from 'tap'
import { basic, buildTestApp, isRsError } from '../helpers/app.js'

const MANAGER_UID = 7

t.test('a user_manager cannot make itself (or anyone) admin, nor take over an admin', async t => {
  const { call, store } = await buildTestApp(t)
  const as = 'user_manager' as const
  const adminRole = [...store.state.roles.values()].find(r => r.management === 'admin')!.uid
  const admin = [...store.state.users.values()].find(r => r.user.email === 'admin@redis.local')!.user.uid
  const before = JSON.stringify([...store.state.users.values()].map(r => [r.user, r.hash]))
  const rolesBefore = JSON.stringify([...store.state.roles.values()])

  const refusals: Array<[string, string, object | undefined]> = [
    ['PUT', `/v1/users/${MANAGER_UID}`, { role_uids: [adminRole] }],
    ['PUT', `/v1/users/${MANAGER_UID}`, { role: 'admin' }],
    ['PUT', `/v1/roles/${store.state.users.get(MANAGER_UID)!.user.role_uids![0]}`, { management: 'admin' }],
    ['PUT', `/v1/users/${admin}`, { password: 'Taken-0ver!' }],
    ['PUT', `/v1/users/${admin}`, { role_uids: [4] }],
    ['PUT', `/v1/users/${admin}`, { email: 'me@evil.example' }],
    ['DELETE', `/v1/users/${admin}`, undefined],
    ['POST', '/v1/users', { email: 'new-admin@x.example', password: 'Pa55word!', name: 'n', role_uids: [adminRole] }],
    ['POST', '/v1/roles', { name: 'Also admin', management: 'admin' }],
    ['PUT', `/v1/roles/${adminRole}`, { name: 'renamed' }],
    ['POST', '/v1/ldap_mappings', { name: 'admins', dn: 'cn=admins,dc=x', role_uids: [adminRole] }]
  ]
  for (const [method, url, body] of refusals) {
    isRsError(t, await call(method as 'PUT', url, { as, ...(body === undefined ? {} : { body }) }), 403, 'insufficient_permissions', `${method} ${url} ${JSON.stringify(body)}`)
    isRsError(t, await call(method as 'PUT', `${url}?dry_run=1`, { as, ...(body === undefined ? {} : { body }) }), 403, 'insufficient_permissions', 'dry_run too')
  }
  t.equal(JSON.stringify([...store.state.users.values()].map(r => [r.user, r.hash])), before, 'no user changed')
  t.equal(JSON.stringify([...store.state.roles.values()]), rolesBefore, 'no role changed')
  t.equal((await call('GET', '/v1/users/role', { headers: { authorization: basic('user-manager@redis.local', 'user-manager') } })).json().role, 'user_manager')
  t.equal((await call('GET', '/v1/cluster', { headers: { authorization: basic('admin@redis.local', 'admin') } })).statusCode, 200, "the admin's password still works")

  // What a user manager is for still works.
  const created = await call('POST', '/v1/users', { as, body: { email: 'app@x.example', password: 'Pa55word!', name: 'app', role_uids: [4] } })
  t.equal(created.statusCode, 200)
  t.equal((await call('PUT', `/v1/users/${created.json().uid}`, { as, body: { password: 'Other-Pa55!' } })).statusCode, 200)
  t.equal((await call('POST', '/v1/roles', { as, body: { name: 'Readers', management: 'db_viewer' } })).statusCode, 200)
  t.equal((await call('PUT', `/v1/users/${MANAGER_UID}`, { as, body: { name: 'Manager' } })).statusCode, 200)

  // An admin may do all of it.
  t.equal((await call('PUT', `/v1/users/${MANAGER_UID}`, { body: { role_uids: [adminRole] } })).statusCode, 200, 'an admin grants admin')
  t.equal((await call('POST', '/v1/roles', { body: { name: 'Second admin', management: 'admin' } })).statusCode, 200)
})
