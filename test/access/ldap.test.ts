// /v1/ldap_mappings and the LDAP login of external users against the directory the control API declares.
import t from 'tap'
import { basic, buildTestApp, isRsError } from '../helpers/app.js'

const mapping = { name: 'Ops', dn: 'OU=ops,DC=example,DC=com', email: 'ops@example.com', role_uids: [1] }
const ldapConfig = { uris: ['ldap://ldap.example.com:389'], bind_dn: 'cn=admin', bind_pass: 'x', user_dn_template: 'cn=%u,dc=example,dc=com', dn_group_attr: 'memberOf', control_plane: true }

t.test('LDAP mapping CRUD with the documented errors', async t => {
  const { call, store } = await buildTestApp(t)
  t.same((await call('GET', '/v1/ldap_mappings')).json(), [])
  const created = await call('POST', '/v1/ldap_mappings', { body: mapping })
  t.equal(created.statusCode, 200)
  const m = created.json()
  t.same(Object.keys(m), ['uid', 'name', 'dn', 'email', 'role_uids', 'email_alerts'], 'the documented key order')
  t.match(m, { uid: 1, ...mapping, email_alerts: true })
  t.same((await call('GET', '/v1/ldap_mappings/1', { as: 'user_manager' })).json(), m)
  t.same((await call('GET', '/v1/ldap_mappings?fields=name')).json(), [{ name: 'Ops' }])

  const id = store.clusterStateId
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { name: 'x', dn: 'OU=x' } }), 400, 'missing_field')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { ...mapping, name: 'Other', dn: 'not a dn' } }), 400, 'invalid_dn_param')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { ...mapping, name: ' ' } }), 400, 'invalid_name_param')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { ...mapping, name: 'Other', role_uids: [99] } }), 400, 'invalid_role_uids_param')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { ...mapping, name: 'Other', role_uids: [] } }), 400, 'invalid_role_uids_param')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: mapping }), 400, 'name_already_exists')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: { ...mapping, role_uids: ['1'] } }), 400, 'invalid_schema')
  isRsError(t, await call('GET', '/v1/ldap_mappings/9'), 404, 'ldap_mapping_not_exist')
  isRsError(t, await call('PUT', '/v1/ldap_mappings/9', { body: { email: 'a@b.c' } }), 404, 'ldap_mapping_not_exist')
  isRsError(t, await call('POST', '/v1/ldap_mappings', { body: mapping, as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.equal(store.clusterStateId, id, 'nothing changed')

  const updated = await call('PUT', '/v1/ldap_mappings/1', { body: { dn: 'OU=ops2,DC=example,DC=com', cluster_email_alerts: true } })
  t.equal(updated.statusCode, 200)
  t.match(updated.json(), { uid: 1, name: 'Ops', dn: 'OU=ops2,DC=example,DC=com', cluster_email_alerts: true })
  t.equal((await call('DELETE', '/v1/ldap_mappings/1')).statusCode, 200)
  isRsError(t, await call('DELETE', '/v1/ldap_mappings/1'), 406, 'ldap_mapping_not_exist', 'the page: 406 on delete')
  isRsError(t, await call('GET', '/v1/ldap_mappings/1'), 404, 'ldap_mapping_not_exist', 'and 404 on read')
  t.same(store.state.events.filter(e => String(e.type).startsWith('ldap_mapping_')).map(e => e.type), ['ldap_mapping_created', 'ldap_mapping_updated', 'ldap_mapping_deleted'])
  await call('POST', '/v1/ldap_mappings', { body: mapping })
  await call('POST', '/_mock/reset')
  t.same((await call('GET', '/v1/ldap_mappings')).json(), [], 'reset')
})

t.test('an LDAP login end to end: directory, mapping, external user, roles follow the mapping', async t => {
  const { call, store } = await buildTestApp(t)
  const alice = { headers: { authorization: basic('alice', 'wonderland') } }
  isRsError(t, await call('GET', '/v1/users/role', alice), 401, 'unauthorized', 'unknown before anything is declared')

  const declared = await call('PUT', '/_mock/ldap/users/alice', { body: { password: 'wonderland', groups: ['OU=ops,DC=example,DC=com'] } })
  t.equal(declared.statusCode, 200)
  t.same(declared.json(), { groups: ['OU=ops,DC=example,DC=com'] }, 'no password echoed')
  isRsError(t, await call('GET', '/v1/users/role', alice), 401, 'unauthorized', 'LDAP not enabled on the control plane')

  t.equal((await call('PUT', '/v1/cluster/ldap', { body: ldapConfig })).statusCode, 200)
  isRsError(t, await call('GET', '/v1/users/role', alice), 401, 'unauthorized', 'no mapping for her group')

  await call('POST', '/v1/ldap_mappings', { body: { ...mapping, role_uids: [3] } })
  const role = await call('GET', '/v1/users/role', alice)
  t.equal(role.statusCode, 200)
  t.same(role.json(), { role: 'cluster_viewer' }, 'the mapped role (uid 3, Cluster Viewer)')
  isRsError(t, await call('GET', '/v1/users', alice), 403, 'insufficient_permissions', 'and only its permissions')
  isRsError(t, await call('GET', '/v1/users/role', { headers: { authorization: basic('alice', 'wrong') } }), 401, 'unauthorized')

  const external = (await call('GET', '/v1/users')).json().find((u: { name: string }) => u.name === 'alice')
  t.match(external, { auth_method: 'external', name: 'alice', role: 'cluster_viewer', role_uids: [3], status: 'active' })
  t.ok(store.state.events.some(e => e.type === 'user_created' && e.auth_method === 'external'))
  const users = store.state.users.size
  t.equal((await call('GET', '/v1/users/role', alice)).statusCode, 200)
  t.equal(store.state.users.size, users, 'one user per login, not one per request')

  t.equal((await call('PUT', '/v1/ldap_mappings/1', { body: { role_uids: [1] } })).statusCode, 200)
  t.same((await call('GET', '/v1/users/role', alice)).json(), { role: 'admin' }, 'the new mapping applies on the next request')
  t.equal((await call('GET', '/v1/users', alice)).statusCode, 200)

  await call('POST', '/v1/local/services', { body: { operation_type: 'stop', services: ['ldap_agent_mgr'] } })
  isRsError(t, await call('GET', '/v1/users/role', alice), 401, 'unauthorized', 'the LDAP agent stopped: no LDAP login')
  await call('PUT', '/v1/cluster/services_configuration', { body: { ldap_agent_mgr: { operating_mode: 'disabled' } } })
  await call('PUT', '/v1/cluster/services_configuration', { body: { ldap_agent_mgr: { operating_mode: 'enabled' } } })
  t.equal((await call('GET', '/v1/users/role', alice)).statusCode, 200, 'enabled again: running again')

  t.equal((await call('DELETE', '/_mock/ldap/users/alice')).statusCode, 200)
  isRsError(t, await call('DELETE', '/_mock/ldap/users/alice'), 404, 'ldap_login_not_found')
  isRsError(t, await call('GET', '/v1/users/role', alice), 401, 'unauthorized', 'gone from the directory')
  t.same((await call('GET', '/_mock/ldap/users')).json(), {})
  isRsError(t, await call('PUT', '/_mock/ldap/users/bob', { body: { password: 'x' } }), 400, 'invalid_schema')

  await call('PUT', '/_mock/ldap/users/carol', { body: { password: 'pw', groups: ['ou=OPS, dc=example, dc=com'] } })
  await call('PUT', '/v1/ldap_mappings/1', { body: { dn: 'OU=ops,DC=example,DC=com' } })
  t.equal((await call('GET', '/v1/users/role', { headers: { authorization: basic('carol', 'pw') } })).statusCode, 200, 'DNs compare without case and spaces')
  const dave = await call('POST', '/v1/users', { body: { email: 'dave@example.com', name: 'Dave', auth_method: 'external', role_uids: [5] } })
  t.equal(dave.statusCode, 200, 'an external user created by an admin, no password')
  await call('PUT', '/_mock/ldap/users/dave@example.com', { body: { password: 'pw', groups: ['OU=ops,DC=example,DC=com'] } })
  const count = store.state.users.size
  t.same((await call('GET', '/v1/users/role', { headers: { authorization: basic('dave@example.com', 'pw') } })).json(), { role: 'admin' }, 'logs in through LDAP, roles from the mapping')
  t.equal(store.state.users.size, count, 'the same user, not a second one')
  t.same((await call('GET', `/v1/users/${String(dave.json().uid)}`)).json().role_uids, [1])

  t.equal((await call('DELETE', '/v1/cluster/ldap')).statusCode, 200)
  isRsError(t, await call('GET', '/v1/users/role', { headers: { authorization: basic('carol', 'pw') } }), 401, 'unauthorized', 'LDAP off again')
  t.equal((await call('GET', '/v1/users/role', { as: 'db_viewer' })).statusCode, 200, 'local logins unaffected')
})
