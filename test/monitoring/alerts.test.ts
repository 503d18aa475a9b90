// /v1/*/alerts: names and shapes as captured, enabled from the settings, evaluation, updates.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const T0 = Date.parse('2026-03-02T10:00:00Z')
const clock = () => { const c = { ms: T0, now: () => c.ms }; return c }

const CAPTURED_NAMES = [
  'cluster_ca_cert_about_to_expire', 'cluster_certs_about_to_expire', 'cluster_even_node_count', 'cluster_flash_overcommit',
  'cluster_inconsistent_rl_sw', 'cluster_internal_bdb', 'cluster_license_about_to_expire', 'cluster_multiple_nodes_down',
  'cluster_ocsp_query_failed', 'cluster_ocsp_status_revoked', 'cluster_ram_overcommit', 'cluster_too_few_nodes_for_replication'
]

t.test('cluster alerts: the captured names; alert_settings decide enabled', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  const alerts = (await call('GET', '/v1/cluster/alerts')).json()
  t.same(Object.keys(alerts), CAPTURED_NAMES)
  t.same(Object.entries(alerts).filter(([, a]: [string, any]) => a.enabled).map(([n]) => n),
    ['cluster_ca_cert_about_to_expire', 'cluster_certs_about_to_expire', 'cluster_license_about_to_expire',
      'cluster_ocsp_query_failed', 'cluster_ocsp_status_revoked'], 'enabled exactly where the settings enable it')
  t.same(alerts.cluster_even_node_count, {
    change_time: '2026-01-05T09:00:00Z', change_value: { node_count: 1, state: true }, enabled: false, severity: 'WARNING', state: true
  }, 'a one-node cluster: on, WARNING, though disabled (as captured)')
  t.match(alerts.cluster_ca_cert_about_to_expire, { change_value: { global_threshold: '90', state: false }, severity: 'INFO' })

  const settings = store.state.cluster.alert_settings as Record<string, any>
  settings.cluster_ca_cert_about_to_expire = { enabled: false, threshold: '30' }
  settings.cluster_even_node_count = true
  const after = (await call('GET', '/v1/cluster/alerts')).json()
  t.match(after.cluster_ca_cert_about_to_expire, { enabled: false, change_value: { global_threshold: '30' } })
  t.equal(after.cluster_even_node_count.enabled, true)

  t.same((await call('GET', '/v1/cluster/alerts/cluster_even_node_count')).json(), after.cluster_even_node_count)
  isRsError(t, await call('GET', '/v1/cluster/alerts/no_such_alert'), 404, 'alert_not_found')
})

t.test('cluster alerts follow the state', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  t.equal((await call('GET', '/v1/cluster/alerts/cluster_ram_overcommit')).json().change_value.bdbs_committed_ram,
    1073741824 + 2 * 2147483648 + 4294967296, 'replicated databases count twice')
  store.state.nodes.get(1)!.total_memory = 1073741824
  t.match((await call('GET', '/v1/cluster/alerts/cluster_ram_overcommit')).json(), { state: true, severity: 'WARNING' })
  store.state.license!.expiration_date = '2026-03-05T00:00:00Z'
  t.equal((await call('GET', '/v1/cluster/alerts/cluster_license_about_to_expire')).json().state, true, 'expires within 7 days')
})

t.test('node alerts: keyed by uid string, 404s', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  const all = (await call('GET', '/v1/nodes/alerts')).json()
  t.same(Object.keys(all), ['1'])
  t.same((await call('GET', '/v1/nodes/alerts/1')).json(), all['1'])
  t.match(all['1'].node_persistent_storage, { enabled: true, change_value: { global_threshold: '70', state: false } })
  t.equal(all['1'].node_cpu_utilization.enabled, false, 'not in alert_settings: disabled')
  t.same((await call('GET', '/v1/nodes/alerts/1/node_failed')).json(), all['1'].node_failed)
  isRsError(t, await call('GET', '/v1/nodes/alerts/7'), 404, 'node_not_found')
  isRsError(t, await call('GET', '/v1/nodes/alerts/1/no_such_alert'), 404, 'alert_not_found')
})

t.test('bdb alerts: POST enables and sets thresholds, dry_run changes nothing', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  const before = (await call('GET', '/v1/bdbs/alerts/1')).json()
  t.same(Object.keys(before), ['bdb_backup_delayed', 'bdb_high_latency', 'bdb_high_syncer_lag', 'bdb_high_throughput', 'bdb_low_throughput', 'bdb_size'])
  t.same(Object.keys(before.bdb_size), ['change_time', 'change_value', 'enabled', 'severity', 'state', 'threshold'])
  t.match(before.bdb_size, { enabled: false, state: false, threshold: '80' })
  t.same(Object.keys((await call('GET', '/v1/bdbs/alerts')).json()), ['1', '2', '3'])

  const id = store.clusterStateId
  const dry = await call('POST', '/v1/bdbs/alerts/1?dry_run', { body: { bdb_size: { enabled: true, threshold: '0' } } })
  t.equal(dry.statusCode, 200)
  t.match(dry.json().bdb_size, { enabled: true, state: true, threshold: '0', severity: 'WARNING' })
  t.equal(store.clusterStateId, id, 'dry_run: no change')
  t.equal((await call('GET', '/v1/bdbs/alerts/1/bdb_size')).json().enabled, false)

  const res = await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_size: { enabled: true, threshold: '0' }, bdb_low_throughput: { enabled: true } } })
  t.equal(res.statusCode, 200)
  t.match(res.json().bdb_size, { enabled: true, state: true, change_value: { state: true, threshold: '0' } })
  t.type(res.json().bdb_size.change_value.memory_util, 'number')
  t.match(res.json().bdb_low_throughput, { enabled: true, state: true, threshold: '1' }, 'an idle database is below 1 op/s')
  t.ok(store.clusterStateId > id)
  store.health.setLoad(1, { ops_per_sec: 50 })
  t.equal((await call('GET', '/v1/bdbs/alerts/1/bdb_low_throughput')).json().state, false, 'traffic clears it')

  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_size: { threshold: 'high' } } }), 406, 'invalid_threshold')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_size: { threshold: '120' } } }), 406, 'invalid_threshold')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_size: { enabled: true, threshold: '' } } }), 406, 'invalid_threshold',
    'an enabled alert needs a threshold')
  // The page's example, as printed: an empty threshold on a disabled alert is fine.
  const example = await call('POST', '/v1/bdbs/alerts/1', {
    body: {
      bdb_size: { threshold: '80', enabled: true },
      bdb_high_syncer_lag: { threshold: '', enabled: false },
      bdb_low_throughput: { threshold: '1', enabled: true },
      bdb_high_latency: { threshold: '3000', enabled: true },
      bdb_high_throughput: { threshold: '1', enabled: true },
      bdb_backup_delayed: { threshold: '1800', enabled: true }
    }
  })
  t.equal(example.statusCode, 200)
  t.match(example.json().bdb_high_syncer_lag, { enabled: false, threshold: '' })
  t.match(example.json().bdb_high_latency, { enabled: true, threshold: '3000' })
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_high_syncer_lag: { enabled: true } } }), 406, 'invalid_threshold',
    'enabling it later needs a threshold too')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_nonsense: { enabled: true } } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: { bdb_size: { enabled: 'yes' } } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/99', { body: {} }), 404, 'bdb_not_found')
  isRsError(t, await call('GET', '/v1/bdbs/alerts/1/nope'), 404, 'alert_not_found')
  isRsError(t, await call('POST', '/v1/bdbs/alerts/1', { body: {}, as: 'db_viewer' }), 403, 'insufficient_permissions')
  t.equal((await call('POST', '/v1/bdbs/alerts/2', { body: {}, as: 'db_member' })).statusCode, 200)
})

t.test('alerts carry their measure as the pages show: memory_util on a database, cpu_util and global_threshold on a node', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  const size = (await call('GET', '/v1/bdbs/alerts/1/bdb_size')).json()
  t.equal(size.enabled, false)
  t.type(size.change_value.memory_util, 'number', 'the measure shows on a disabled alert too')
  t.equal(size.state, false, 'but does not raise it')
  const cpu = (await call('GET', '/v1/nodes/alerts/1/node_cpu_utilization')).json()
  t.type(cpu.change_value.cpu_util, 'number')
  t.equal(cpu.change_value.global_threshold, '80', 'the default threshold')
  const stats = (await call('GET', '/v1/nodes/stats/last/1?interval=1sec')).json()['1']
  t.ok(Math.abs(cpu.change_value.cpu_util - (stats.cpu_user + stats.cpu_system) * 100) < 1, 'cpu_util is the node stats\' user + system CPU, in %')
})

t.test('ignore_settings evaluates disabled threshold alerts', async t => {
  const { call, store } = await buildTestApp(t, { clock: clock() })
  store.health.setHealth(2, { lag_ms: 30_000 })
  t.equal((await call('GET', '/v1/bdbs/alerts/2/bdb_high_syncer_lag')).json().state, false, 'disabled: not evaluated')
  const a = (await call('GET', '/v1/bdbs/alerts/2/bdb_high_syncer_lag?ignore_settings=true')).json()
  t.match(a, { enabled: false, state: true, change_value: { lag: 30, threshold: '10' } })
  isRsError(t, await call('GET', '/v1/bdbs/alerts?ignore_settings=maybe'), 400, 'invalid_schema')
})

t.test('a test can raise and clear any alert', async t => {
  const c = clock()
  const { call, store } = await buildTestApp(t, { clock: c })
  c.ms += 5000
  store.alerts.raise('node', 1, 'node_memory', { state: true, severity: 'CRITICAL', change_value: { memory_util: 97.5 } })
  t.same((await call('GET', '/v1/nodes/alerts/1/node_memory')).json(), {
    change_time: '2026-03-02T10:00:05Z', change_value: { memory_util: 97.5, state: true }, enabled: false, severity: 'CRITICAL', state: true
  })
  store.alerts.raise('bdb', 3, 'bdb_backup_delayed', { state: true })
  t.match((await call('GET', '/v1/bdbs/alerts/3/bdb_backup_delayed')).json(), { state: true, severity: 'WARNING', threshold: '1800' })
  store.alerts.raise('cluster', null, 'cluster_multiple_nodes_down', { state: true })
  t.equal((await call('GET', '/v1/cluster/alerts')).json().cluster_multiple_nodes_down.state, true)
  store.alerts.raise('node', 1, 'node_memory', { state: false })
  t.equal((await call('GET', '/v1/nodes/alerts/1/node_memory')).json().state, false, 'cleared')
  t.throws(() => store.alerts.raise('cluster', null, 'not_an_alert', { state: true }), { code: 'alert_not_found' })
})

t.test('permissions', async t => {
  const { call } = await buildTestApp(t, { clock: clock() })
  t.equal((await call('GET', '/v1/cluster/alerts', { as: 'db_viewer' })).statusCode, 200)
  isRsError(t, await call('GET', '/v1/cluster/alerts', { as: 'none' }), 403, 'insufficient_permissions')
  isRsError(t, await call('GET', '/v1/bdbs/alerts/1', { as: 'none' }), 403, 'insufficient_permissions')
})
