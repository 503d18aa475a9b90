// OCSP status and test against the responder the control API declares; SSO configuration and
// SAML metadata; the node's services following services_configuration.
import t from 'tap'
import { generate } from 'selfsigned'
import { buildTestApp, isRsError } from '../helpers/app.js'

const idpXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:sso:example:idp">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/saml"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
const b64 = (s: string) => Buffer.from(s).toString('base64')

t.test('OCSP: no responder, then a declared one; the status is cached only while OCSP is on', async t => {
  const { call, store } = await buildTestApp(t, { clock: { now: () => Date.parse('2026-03-01T12:00:00Z') } })
  isRsError(t, await call('POST', '/v1/ocsp/test'), 500, 'no_responder_url')
  t.same((await call('GET', '/v1/ocsp/status')).json(), {})
  isRsError(t, await call('PUT', '/v1/ocsp', { body: { ocsp_functionality: true } }), 400, 'no_responder_url')

  t.equal((await call('PUT', '/_mock/ocsp', { body: { responder_url: 'http://ocsp.example.com', cert_status: 'GOOD' } })).statusCode, 200)
  t.equal((await call('GET', '/v1/ocsp')).json().responder_url, 'http://ocsp.example.com', 'the proxy certificate\'s responder')
  const tested = await call('POST', '/v1/ocsp/test')
  t.equal(tested.statusCode, 200)
  t.same(tested.json(), {
    responder_url: 'http://ocsp.example.com',
    cert_status: 'GOOD',
    produced_at: 'Sun, 01 Mar 2026 12:00:00 GMT',
    this_update: 'Sun, 01 Mar 2026 12:00:00 GMT',
    next_update: 'Sun, 01 Mar 2026 13:00:00 GMT',
    revocation_time: ''
  })
  t.same((await call('GET', '/v1/ocsp/status')).json(), {}, 'not cached while OCSP is off')

  t.equal((await call('PUT', '/v1/ocsp', { body: { ocsp_functionality: true, query_frequency: 600 } })).statusCode, 200)
  await call('PUT', '/_mock/ocsp', { body: { cert_status: 'REVOKED', revocation_time: '2026-02-28T08:00:00Z', responder_url: 'http://ocsp.example.com' } })
  const revoked = (await call('POST', '/v1/ocsp/test')).json()
  t.match(revoked, { cert_status: 'REVOKED', revocation_time: 'Sat, 28 Feb 2026 08:00:00 GMT', next_update: 'Sun, 01 Mar 2026 12:10:00 GMT' })
  t.same((await call('GET', '/v1/ocsp/status')).json(), revoked, 'cached')
  isRsError(t, await call('GET', '/v1/ocsp/status', { as: 'cluster_member' }), 403, 'insufficient_permissions')
  t.ok(store.state.events.some(e => e.type === 'ocsp_status_updated' && e.cert_status === 'REVOKED'))
  isRsError(t, await call('PUT', '/_mock/ocsp', { body: { cert_status: 'FINE' } }), 400, 'invalid_schema')
  await call('POST', '/_mock/reset')
  t.same((await call('GET', '/v1/ocsp/status')).json(), {}, 'reset')
})

t.test('SSO: enabling needs the issuer and the sso_service certificate; SP and IdP metadata', async t => {
  const { call, store } = await buildTestApp(t)
  const enable = { control_plane: true, issuer: { id: 'urn:sso:example:idp', login_url: 'https://idp.example.com/sso/saml' } }
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: { control_plane: true } }), 400, 'missing_param')
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: enable }), 406, 'missing_certificate')
  isRsError(t, await call('GET', '/v1/cluster/sso/saml/metadata/sp'), 406, 'missing_certificate')
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: { protocol: 'oidc' } }), 400, 'invalid_schema')
  // docs/decisions.md #56: without SSO on too, a configuration needs its issuer
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: { control_plane: false, protocol: 'saml2' } }), 400, 'missing_param')
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: { service: { address: 'https://cm.example.com:8443' } } }), 400, 'missing_param')
  isRsError(t, await call('PUT', '/v1/cluster/sso', { body: { issuer: { id: 'urn:sso:example:idp' } } }), 400, 'missing_param')
  const example = { // the page's example, as printed
    control_plane: false,
    protocol: 'saml2',
    enforce_control_plane: false,
    issuer: { id: 'urn:sso:example:idp', login_url: 'https://idp.example.com/sso/saml', logout_url: 'https://idp.example.com/sso/slo' },
    service: { address: 'https://hostname:port' }
  }
  t.equal((await call('PUT', '/v1/cluster/sso', { body: example })).statusCode, 200)
  t.equal((await call('PUT', '/v1/cluster/sso', { body: { enforce_control_plane: true } })).statusCode, 200, 'a later partial update keeps the issuer')
  t.equal((await call('DELETE', '/v1/cluster/sso')).statusCode, 200)

  const pems = await generate([{ name: 'commonName', value: 'sp.local' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' })
  t.equal((await call('PUT', '/v1/cluster/certificates', { body: { certificates: [{ name: 'sso_service', certificate: pems.cert, key: pems.private }] } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/cluster/sso', { body: { ...enable, service: { address: 'https://cm.example.com:8443' } } })).statusCode, 200)
  const sso = (await call('GET', '/v1/cluster/sso', { as: 'db_viewer' })).json()
  t.same(sso.service, {
    address: 'https://cm.example.com:8443',
    saml2: { entity_id: 'https://cm.example.com:8443/sp', acs_url: 'https://cm.example.com:8443/v1/cluster/sso/saml/acs', slo_url: 'https://cm.example.com:8443/v1/cluster/sso/saml/slo' }
  })
  t.match(sso, { control_plane: true, enforce_control_plane: false, protocol: 'saml2', issuer: enable.issuer })

  const sp = await call('GET', '/v1/cluster/sso/saml/metadata/sp')
  t.equal(sp.statusCode, 200)
  t.match(sp.headers['content-type'], /^application\/xml/)
  t.match(sp.body, /<md:EntityDescriptor [^>]*entityID="https:\/\/cm.example.com:8443\/sp"/)
  t.match(sp.body, /Location="https:\/\/cm.example.com:8443\/v1\/cluster\/sso\/saml\/acs"/)
  t.ok(sp.body.includes(pems.cert.split('\n')[1]), 'the service certificate inside')

  isRsError(t, await call('POST', '/v1/cluster/sso/saml/metadata/idp', { body: { idp_metadata: 'not base64 !' } }), 400, 'saml_metadata_parsing_error')
  isRsError(t, await call('POST', '/v1/cluster/sso/saml/metadata/idp', { body: { idp_metadata: b64('<md:EntityDescriptor entityID="x"/>') } }), 400, 'saml_metadata_validation_error')
  const imported = await call('POST', '/v1/cluster/sso/saml/metadata/idp', { body: { idp_metadata: b64(idpXml) } })
  t.equal(imported.statusCode, 200)
  t.same(imported.json().issuer, { id: 'urn:sso:example:idp', login_url: 'https://idp.example.com/sso/saml', logout_url: 'https://idp.example.com/sso/slo', metadata: b64(idpXml) })
  t.same((await call('GET', '/v1/cluster/sso')).json().issuer, imported.json().issuer, 'read back')
  isRsError(t, await call('DELETE', '/v1/cluster/sso', { as: 'user_manager' }), 403, 'insufficient_permissions')
  t.equal((await call('DELETE', '/v1/cluster/sso')).statusCode, 200)
  t.match((await call('GET', '/v1/cluster/sso')).json(), { control_plane: false, issuer: { id: '' } })
  t.ok(store.state.events.some(e => e.type === 'sso_config_deleted'))
})

t.test('services: services_configuration drives them; stop, start and restart operate them', async t => {
  let now = Date.parse('2026-03-01T12:00:00Z')
  const { call, store } = await buildTestApp(t, { clock: { now: () => now }, transitionDelayMs: 100 })
  const services = async () => (await call('GET', '/v1/local/services')).json()
  const first = await services()
  t.match(first.cm_server, { status: 'RUNNING', start_time: String(store.state.cluster.created_time), uptime: /^\d+ days?, \d+:\d\d:\d\d$|^\d+:\d\d:\d\d$/ })
  t.equal(first.stats_archiver.status, 'STOPPED', 'disabled by default')
  t.equal(first.ccs.status, 'RUNNING', 'core processes too')

  t.equal((await call('PUT', '/v1/cluster/services_configuration', { body: { cm_server: { operating_mode: 'disabled' }, stats_archiver: { operating_mode: 'enabled' } } })).statusCode, 200)
  const after = await services()
  t.equal(after.cm_server.status, 'STOPPED', 'disabled: stopped')
  t.same(after.stats_archiver, { start_time: '2026-03-01T12:00:00Z', status: 'RUNNING', uptime: '0:00:00' }, 'enabled: started now')

  now += 3_723_000
  t.equal((await services()).stats_archiver.uptime, '1:02:03', 'uptime follows the clock')
  const answer = await call('POST', '/v1/local/services', { body: { operation_type: 'restart', services: ['alert_mgr', 'no_such_service'] } })
  t.same(answer.json(), { alert_mgr: true, no_such_service: false, metrics_exporter: true }, 'the exporter restarts along, as the page\'s example shows')
  t.equal((await services()).alert_mgr.status, 'RESTARTING')
  t.equal((await services()).metrics_exporter.status, 'RESTARTING')
  now += 200
  t.equal((await services()).alert_mgr.status, 'RUNNING', 'running after the transition delay')
  t.equal((await call('POST', '/v1/services', { body: { operation_type: 'stop', services: ['mdns_server'] } })).statusCode, 200)
  t.equal((await services()).mdns_server.status, 'STOPPED')
  t.equal((await call('GET', '/v1/cluster/services_configuration')).json().mdns_server.operating_mode, 'enabled', 'the configuration is not changed by an operation')
  isRsError(t, await call('POST', '/v1/services', { body: { operation_type: 'pause', services: ['mdns_server'] } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/services', { body: { operation_type: 'stop', services: ['mdns_server'] }, as: 'cluster_member' }), 403, 'insufficient_permissions')
  await call('POST', '/_mock/reset')
  t.equal((await services()).mdns_server.status, 'RUNNING', 'reset')
})
