// Sync-source alerts of databases, and the cluster alerts that follow certificates and OCSP.
import t from 'tap'
import { generate } from 'selfsigned'
import { buildTestApp, isRsError } from './helpers/app.js'

t.test('replica and crdt sources alerts', async t => {
  const { call, store } = await buildTestApp(t)
  t.same((await call('GET', '/v1/bdbs/replica_sources/alerts')).json(), { 1: {}, 2: {}, 3: {} }, 'no sources, no alerts')
  const bdb = store.state.bdbs.get(1) as unknown as Record<string, unknown>
  bdb.replica_sources = [
    { uri: 'redis://a:1', status: 'in-sync', lag: 2, last_update: '2026-03-01T10:00:00Z' },
    { uri: 'redis://b:1', status: 'out-of-sync', lag: 30, last_error: 'Connection refused', last_update: '2026-03-01T11:00:00Z' }
  ]
  const all = (await call('GET', '/v1/bdbs/replica_sources/alerts/1')).json()
  t.same(Object.keys(all), ['1', '2'], 'by source id')
  t.same(all['1'].replica_src_high_syncer_lag, {
    change_time: '2026-03-01T10:00:00Z', change_value: { lag: 2, state: false }, enabled: false, severity: 'INFO', state: false, threshold: '10'
  })
  t.match(all['2'], {
    replica_src_high_syncer_lag: { state: true, severity: 'WARNING', change_value: { lag: 30 } },
    replica_src_syncer_connection_error: { state: true, change_value: { last_error: 'Connection refused' } },
    replica_src_syncer_general_error: { state: false }
  })
  t.same((await call('GET', '/v1/bdbs/replica_sources/alerts/1/2', { as: 'db_viewer' })).json(), all['2'])
  t.same((await call('GET', '/v1/bdbs/replica_sources/alerts/1/2/replica_src_syncer_connection_error')).json(), all['2'].replica_src_syncer_connection_error)
  store.state.cluster.alert_settings = { ...(store.state.cluster.alert_settings as object), bdb_replica_src_high_syncer_lag: { enabled: true, threshold: '60' } }
  t.match((await call('GET', '/v1/bdbs/replica_sources/alerts/1/2/replica_src_high_syncer_lag')).json(), { enabled: true, threshold: '60', state: false }, 'the cluster setting applies')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/1/9'), 404, 'replica_src_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/1/1/__proto__'), 404, 'alert_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/replica_sources/alerts/99'), 404, 'bdb_not_found')
  t.same((await call('GET', '/v1/bdbs/crdt_sources/alerts/1')).json(), {})
  isRsError(t, await call('GET', '/v1/bdbs/crdt_sources/alerts', { as: 'none' }), 403, 'insufficient_permissions')
})

t.test('cluster alerts follow the certificates and the OCSP status', async t => {
  const { call } = await buildTestApp(t)
  const alert = async (name: string) => (await call('GET', `/v1/cluster/alerts/${name}`)).json()
  t.match(await alert('cluster_certs_about_to_expire'), { state: false, change_value: { certs_about_to_expire: [] } })
  const now = Date.now()
  const soon = await generate([{ name: 'commonName', value: 'soon.local' }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date(now - 86_400_000), notAfterDate: new Date(now + 10 * 86_400_000)
  })
  await call('PUT', '/v1/cluster/certificates', { body: { certificates: [{ name: 'syncer', certificate: soon.cert, key: soon.private }] } })
  t.match(await alert('cluster_certs_about_to_expire'), { state: true, change_value: { certs_about_to_expire: ['syncer'] } }, 'within 45 days')

  t.match(await alert('cluster_ocsp_status_revoked'), { state: false })
  await call('PUT', '/_mock/ocsp', { body: { responder_url: 'http://ocsp.example.com', cert_status: 'REVOKED' } })
  await call('PUT', '/v1/ocsp', { body: { ocsp_functionality: true } })
  await call('POST', '/v1/ocsp/test')
  t.match(await alert('cluster_ocsp_status_revoked'), { state: true }, 'the cached status is revoked')
})
