// The settings objects: defaults, partial PUT read back, validation naming the field, DELETE,
// the event log, reset and the state file.
import t from 'tap'
import { join } from 'node:path'
import { buildTestApp, isRsError } from '../helpers/app.js'

type Obj = Record<string, any>

// path, a valid partial update, the field it changes and its new value, a bad update and the field its error names
const cases: Array<[string, Obj, string, unknown, Obj, string]> = [
  ['/v1/cm_settings', { timezone: 'US/Pacific' }, 'timezone', 'US/Pacific', { timezone: 5 }, 'timezone'],
  ['/v1/diagnostics', { rladmin_status_target: { cron_expression: '5 * * * *' } }, 'rladmin_status_target', { cron_expression: '5 * * * *' },
    { slowlog_target: { max_entries: 'many' } }, 'max_entries'],
  ['/v1/job_scheduler', { backup_job_settings: { cron_expression: '*/10 * * * *' } }, 'backup_job_settings', { cron_expression: '*/10 * * * *', enabled: true },
    { cert_rotation_job_settings: { expiry_days_before_rotation: 91 } }, 'expiry_days_before_rotation'],
  ['/v1/metrics_config', { local_storage_retention_days: 14, metrics_tag_keys_exposed: ['env', 'team'] }, 'metrics_tag_keys_exposed', ['env', 'team'],
    { local_storage_max_size_mb: 0 }, 'local_storage_max_size_mb'],
  ['/v1/cluster/services_configuration', { cm_server: { operating_mode: 'disabled' } }, 'cm_server', { operating_mode: 'disabled' },
    { mdns_server: { operating_mode: 'off' } }, 'operating_mode'],
  ['/v1/cluster/auditing/db_conns', { audit_address: '127.0.0.1', audit_port: 12345 }, 'audit_port', 12345, { audit_protocol: 'UDP' }, 'audit_protocol'],
  ['/v1/ocsp', { query_frequency: 3800, response_timeout: 2 }, 'query_frequency', 3800, { recovery_max_tries: 101 }, 'recovery_max_tries']
]

t.test('each settings object: GET, partial PUT read back, 400 naming the field, permission, reset', async t => {
  const { call, store } = await buildTestApp(t)
  for (const [path, good, field, value, bad, badField] of cases) {
    const before = (await call('GET', path)).json() as Obj
    const res = await call('PUT', path, { body: good })
    t.equal(res.statusCode, 200, `PUT ${path}`)
    const after = (await call('GET', path)).json() as Obj
    t.same(after[field], value, `${path}: ${field} read back`)
    t.same(res.json(), after, `${path}: PUT answers the whole object`)
    for (const k of Object.keys(before)) if (!(k in good)) t.same(after[k], before[k], `${path}: ${k} kept`)
    const id = store.clusterStateId
    const refused = await call('PUT', path, { body: bad })
    isRsError(t, refused, 400, 'invalid_schema', `${path}: bad value`)
    t.match(refused.json().description, badField, `${path}: the error names ${badField}`)
    isRsError(t, await call('PUT', path, { body: { no_such_field: 1 } }), 400, 'invalid_schema', `${path}: unknown field`)
    isRsError(t, await call('PUT', path, { body: good, as: 'cluster_member' }), 403, 'insufficient_permissions')
    t.equal(store.clusterStateId, id, `${path}: refusals change nothing`)
    t.same((await call('GET', path, { as: path === '/v1/ocsp' ? 'admin' : 'db_viewer' })).json(), after, `${path}: readable`)
  }
  t.ok(store.state.events.some(e => e.type === 'cm_settings_timezone_updated' && e.old_val === 'UTC' && e.new_val === 'US/Pacific'), 'logged with old and new value')
  t.ok(store.state.events.some(e => e.type === 'ocsp_query_frequency_updated'))
  t.equal((await call('POST', '/_mock/reset')).statusCode, 200)
  t.same((await call('GET', '/v1/cm_settings')).json(), { timezone: 'UTC' }, 'reset')
  t.same((await call('GET', '/v1/cluster/auditing/db_conns')).json(), {}, 'reset')
})

t.test('documented defaults and types', async t => {
  const { call } = await buildTestApp(t)
  t.same((await call('GET', '/v1/metrics_config')).json(), {
    key_distribution_enabled: false,
    key_size_buckets: '',
    key_items_buckets: '',
    local_storage_max_size_mb: 1024,
    local_storage_retention_days: 8,
    expose_db_tags: false,
    metrics_tag_keys_exposed: [],
    max_requests_in_flight: 2
  })
  t.same((await call('GET', '/v1/ocsp')).json(), {
    ocsp_functionality: false, query_frequency: 3600, recovery_frequency: 60, recovery_max_tries: 5, responder_url: '', response_timeout: 1
  }, 'the captured OCSP object')
  const diag = (await call('GET', '/v1/diagnostics')).json() as Obj
  t.equal(Object.keys(diag).length, 13)
  t.same(diag.slowlog_target, { cron_expression: '*/10 * * * *', max_entries: 100 })
  t.same(diag.command_stats_target, { cron_expression: '*/30 * * * *' })
  const jobs = (await call('GET', '/v1/job_scheduler')).json() as Obj
  // Every job's default, as the job_scheduler page's GET example prints them (the objects page gives
  // bdb_usage_report_job_settings.enabled a default of true; the example of a fresh cluster, false).
  t.same(jobs, {
    backup_job_settings: { cron_expression: '*/5 * * * *', enabled: true },
    bdb_usage_report_job_settings: { cron_expression: '0 */1 * * *', enabled: false, file_retention_days: 365 },
    cert_rotation_job_settings: { cron_expression: '0 * * * *', enabled: true, expiry_days_before_rotation: 60 },
    log_rotation_job_settings: { cron_expression: '*/5 * * * *', enabled: true },
    node_checks_job_settings: { cron_expression: '0 * * * *', enabled: true },
    redis_cleanup_job_settings: { cron_expression: '0 * * * *' },
    rotate_ccs_job_settings: { cron_expression: '*/5 * * * *', enabled: true, file_suffix: '5min', rotate_max_num: 24 }
  }, 'every job-scheduler default is the documented one')
  const services = (await call('GET', '/v1/cluster/services_configuration')).json() as Obj
  t.equal(Object.keys(services).length, 11)
  for (const v of Object.values(services)) t.match(v, { operating_mode: /^(enabled|disabled)$/ })
  const ldap = (await call('GET', '/v1/cluster/ldap')).json() as Obj
  t.match(ldap, { cache_ttl: 300, control_plane: false, data_plane: false, directory_timeout_s: 5, uris: [] })
  const sso = (await call('GET', '/v1/cluster/sso')).json() as Obj
  t.match(sso, { control_plane: false, protocol: 'saml2', service: { saml2: { entity_id: 'https://mock-cluster.local:8443/sp' } } })
})

t.test('semantic checks', async t => {
  const { call, store } = await buildTestApp(t)
  const id = store.clusterStateId
  const refused = await call('PUT', '/v1/cm_settings', { body: { timezone: 'Mars/Olympus' } })
  isRsError(t, refused, 400, 'invalid_schema')
  t.match(refused.json().description, /timezone/)
  isRsError(t, await call('PUT', '/v1/metrics_config', { body: {} }), 400, 'invalid_schema', 'at least one field')
  isRsError(t, await call('PUT', '/v1/metrics_config', { body: { key_size_buckets: '1K,512' } }), 400, 'invalid_schema', 'ascending')
  isRsError(t, await call('PUT', '/v1/metrics_config', { body: { key_size_buckets: '1024K' } }), 400, 'invalid_schema', '1-1023')
  isRsError(t, await call('PUT', '/v1/diagnostics', { body: { bdb_target: { cron_expression: 'every minute' } } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/cluster/auditing/db_conns', { body: { audit_port: 1 } }), 400, 'missing_field', 'TCP needs an address')
  isRsError(t, await call('PUT', '/v1/ocsp', { body: { ocsp_functionality: true } }), 400, 'no_responder_url')
  t.equal(store.clusterStateId, id, 'nothing changed')
  t.equal((await call('PUT', '/v1/metrics_config', { body: { key_size_buckets: '1K,512K,1M' } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/cluster/auditing/db_conns', { body: { audit_protocol: 'local' } })).statusCode, 200, 'local needs no address')
  t.same((await call('GET', '/v1/cluster/auditing/db_conns')).json(), { audit_protocol: 'local', audit_reconnect_interval: 1, audit_reconnect_max_attempts: 0 })
})

t.test('DELETE /v1/cluster/auditing/db_conns', async t => {
  const { call, store } = await buildTestApp(t)
  isRsError(t, await call('DELETE', '/v1/cluster/auditing/db_conns'), 404, 'db_conns_audit_config_not_found')
  await call('PUT', '/v1/cluster/auditing/db_conns', { body: { audit_address: '10.0.0.1', audit_port: 514 } })
  await call('PUT', '/v1/cluster/policy', { body: { db_conns_auditing: true } })
  isRsError(t, await call('DELETE', '/v1/cluster/auditing/db_conns'), 406, 'cannot_delete_audit_config_when_policy_enabled')
  await call('PUT', '/v1/cluster/policy', { body: { db_conns_auditing: false } })
  ;(store.state.bdbs.get(1) as Obj).db_conns_auditing = true
  isRsError(t, await call('DELETE', '/v1/cluster/auditing/db_conns'), 406, 'cannot_delete_audit_config_when_bdb_enabled')
  ;(store.state.bdbs.get(1) as Obj).db_conns_auditing = false
  const res = await call('DELETE', '/v1/cluster/auditing/db_conns')
  t.equal(res.statusCode, 200)
  t.same((await call('GET', '/v1/cluster/auditing/db_conns')).json(), {})
  t.ok(store.state.events.some(e => e.type === 'db_conns_auditing_config_deleted'))
})

t.test('LDAP: whole-object PUT, masked bind_pass, exclusive fields, DELETE', async t => {
  const { call, store } = await buildTestApp(t)
  const config = { uris: ['ldap://ldap.example.org:389'], bind_dn: 'cn=admin', bind_pass: 'secret', user_dn_template: 'cn=%u,dc=example,dc=org', dn_group_attr: 'MemberOf', control_plane: true }
  const put = await call('PUT', '/v1/cluster/ldap', { body: config })
  t.equal(put.statusCode, 200)
  t.equal(put.body, '', 'status only')
  const got = (await call('GET', '/v1/cluster/ldap', { as: 'user_manager' })).json() as Obj
  t.match(got, { ...config, bind_pass: '***', cache_ttl: 300 })
  t.same(Object.keys(got), [...Object.keys(got)].sort(), 'sorted keys like the example')
  t.notMatch(JSON.stringify(store.state.events), /secret/, 'the password is never logged')
  t.equal((await call('PUT', '/v1/cluster/ldap', { body: { ...got, cache_ttl: 60 } })).statusCode, 200, 'a GET sent back')
  t.equal(store.state.settings.ldap?.bind_pass, 'secret', '"***" keeps the password')
  isRsError(t, await call('PUT', '/v1/cluster/ldap', { body: { ...config, dn_group_query: { base: 'dc=x', filter: 'member=%D', scope: 'subtree' } } }),
    400, 'illegal_fields_combination')
  isRsError(t, await call('PUT', '/v1/cluster/ldap', { body: { control_plane: true, uris: [] } }), 400, 'illegal_fields_combination', 'enabling needs servers')
  isRsError(t, await call('PUT', '/v1/cluster/ldap', { body: { uris: ['http://x'] } }), 400, 'invalid_schema')
  isRsError(t, await call('PUT', '/v1/cluster/ldap', { body: config, as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.equal((await call('DELETE', '/v1/cluster/ldap')).statusCode, 200)
  t.equal((await call('GET', '/v1/cluster/ldap')).json().control_plane, false, 'cleared')
  const id = store.clusterStateId
  t.equal((await call('DELETE', '/v1/cluster/ldap')).statusCode, 200, 'clearing nothing is fine')
  t.equal(store.clusterStateId, id, 'and changes nothing')
})

t.test('settings are saved with --state-file; an older document without them still loads', async t => {
  const path = join(t.testdir(), 'state.json')
  const open = () => buildTestApp(t, { stateFile: path })
  const first = await open()
  t.equal((await first.call('PUT', '/v1/job_scheduler', { body: { node_checks_job_settings: { enabled: false } } })).statusCode, 200)
  t.equal((await first.call('PUT', '/v1/cluster/sso', { body: { issuer: { id: 'urn:idp', login_url: 'https://idp.example.com/sso' }, service: { address: 'https://sso.example.com' } } })).statusCode, 200)
  const second = await open()
  t.equal((await second.call('GET', '/v1/job_scheduler')).json().node_checks_job_settings.enabled, false, 'loaded')
  t.equal((await second.call('GET', '/v1/cluster/sso')).json().service.saml2.acs_url, 'https://sso.example.com/v1/cluster/sso/saml/acs')

  const doc = second.store.exportState() as Obj
  for (const k of ['settings', 'serviceStates', 'certificates']) delete doc.state[k]
  second.store.importState(doc)
  t.same(second.store.state.settings, {}, 'a document of the earlier format loads with no settings')
  doc.state.settings = { cm_settings: 'UTC' }
  t.throws(() => second.store.importState(doc), { code: 'invalid_state_document' })
  doc.state.settings = { unknown_object: {} }
  t.throws(() => second.store.importState(doc), { code: 'invalid_state_document' })
})

t.test('every new part of the state survives export and import', async t => {
  const { call, store } = await buildTestApp(t, { clock: { now: () => Date.parse('2026-03-01T12:00:00Z') } })
  await call('PUT', '/v1/cm_settings', { body: { timezone: 'Europe/Paris' } })
  await call('POST', '/v1/ldap_mappings', { body: { name: 'Ops', dn: 'OU=ops,DC=example,DC=com', role_uids: [2] } })
  await call('PUT', '/_mock/ldap/users/alice', { body: { password: 'pw', groups: ['OU=ops,DC=example,DC=com'] } })
  await call('PUT', '/_mock/ocsp', { body: { responder_url: 'http://ocsp.example.com', cert_status: 'REVOKED', revocation_time: '2026-01-01T00:00:00Z' } })
  await call('PUT', '/v1/ocsp', { body: { ocsp_functionality: true } })
  await call('POST', '/v1/ocsp/test')
  await call('POST', '/v1/local/services', { body: { operation_type: 'stop', services: ['alert_mgr'] } })
  await call('POST', '/v1/cluster/certificates/rotate')
  await call('PUT', '/v1/cluster/ldap', { body: { uris: ['ldap://l:389'], user_dn_template: 'cn=%u', dn_group_attr: 'memberOf', control_plane: true } })
  const login = { headers: { authorization: 'Basic ' + Buffer.from('alice:pw').toString('base64') } }
  t.equal((await call('GET', '/v1/users/role', login)).statusCode, 200, 'an external user')
  const reads = ['/v1/cm_settings', '/v1/ldap_mappings', '/_mock/ldap/users', '/v1/ocsp/status', '/v1/local/services', '/_mock/ocsp', '/v1/users', '/v1/cluster/ldap']
  const before = await Promise.all(reads.map(async r => (await call('GET', r)).json()))
  const doc = JSON.parse(JSON.stringify(store.exportState()))
  await call('POST', '/_mock/reset')
  const imported = await call('PUT', '/_mock/state', { body: doc })
  t.equal(imported.statusCode, 200, imported.body)
  const after = await Promise.all(reads.map(async r => (await call('GET', r)).json()))
  t.same(after, before, 'read back the same after import')
  t.equal(store.state.ldapDirectory.size, 1)
  t.ok(store.state.certificates.ccs_internode_encryption)
})
