// Stats, alerts and proxies against the shapes of the captured RS 8.0 responses: key sets,
// key order and JSON types (test/shapes/*.json). A float metric that happens to be whole is
// written 0 / 1434144 by JSON.stringify: the same JSON number as 0.0, so "number" admits it.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { shape, shapeProblems, type Shape } from '../helpers/shapes.js'

const T0 = Date.parse('2026-03-02T10:00:00.500Z')
type Json = Record<string, any>
const sampleShape = (s: Shape): Shape => ((s as Json).intervals as Shape[])[0]

t.test('time series match cluster_stats, nodes_stats and bdbs_stats', async t => {
  const { call } = await buildTestApp(t, { clock: { now: () => T0 } })
  t.same(shapeProblems((await call('GET', '/v1/cluster/stats')).json(), shape('cluster_stats.json'), ''), [])
  t.same(shapeProblems((await call('GET', '/v1/nodes/stats')).json(), [shape('nodes_stats.json')], ''), [])
  t.same(shapeProblems((await call('GET', '/v1/bdbs/stats')).json(), [shape('bdbs_stats.json')], ''), [])
  for (const interval of ['1sec', '15min', '1week']) {
    t.same(shapeProblems((await call('GET', `/v1/bdbs/stats/2?interval=${interval}`)).json(), shape('bdbs_stats.json'), ''), [], interval)
  }
})

t.test('/last samples have the shape of a captured sample', async t => {
  const { call } = await buildTestApp(t, { clock: { now: () => T0 } })
  t.same(shapeProblems((await call('GET', '/v1/cluster/stats/last')).json(), sampleShape(shape('cluster_stats.json')), ''), [])
  const nodes = (await call('GET', '/v1/nodes/stats/last')).json()
  t.same(shapeProblems(nodes['1'], sampleShape(shape('nodes_stats.json')), ''), [])
  const bdbs = (await call('GET', '/v1/bdbs/stats/last')).json()
  for (const uid of ['1', '2', '3']) t.same(shapeProblems(bdbs[uid], sampleShape(shape('bdbs_stats.json')), uid), [], `bdb ${uid}`)
})

t.test('with traffic a database adds only the four latencies, in sorted place', async t => {
  const { call, store } = await buildTestApp(t, { clock: { now: () => T0 } })
  store.health.setLoad(1, { ops_per_sec: 3000 })
  const base = sampleShape(shape('bdbs_stats.json')) as Json
  const withLatency: Json = Object.fromEntries(Object.entries({
    ...base, avg_latency: 'number', avg_other_latency: 'number', avg_read_latency: 'number', avg_write_latency: 'number'
  }).sort(([a], [b]) => a < b ? -1 : 1))
  const sample = (await call('GET', '/v1/bdbs/stats/last/1')).json()['1']
  t.same(shapeProblems(sample, withLatency, ''), [])
  t.type(sample.avg_latency, 'number')
})

t.test('cluster alerts match cluster_alerts', async t => {
  const { call } = await buildTestApp(t)
  t.same(shapeProblems((await call('GET', '/v1/cluster/alerts')).json(), shape('cluster_alerts.json'), ''), [])
})

t.test('node and bdb alerts have the captured alert object shape', async t => {
  const { call } = await buildTestApp(t)
  const alert = { change_time: 'string', change_value: 'object', enabled: 'boolean', severity: 'string', state: 'boolean' }
  const node = (await call('GET', '/v1/nodes/alerts/1')).json()
  for (const [name, a] of Object.entries(node)) t.same(shapeProblems({ ...(a as Json), change_value: {} }, alert, name), [])
  const bdb = (await call('GET', '/v1/bdbs/alerts/1')).json()
  for (const [name, a] of Object.entries(bdb)) {
    t.same(shapeProblems({ ...(a as Json), change_value: {} }, { ...alert, threshold: 'string' }, name), [], `${name}: plus its threshold`)
  }
})

t.test('proxies match proxies_list', async t => {
  const { call } = await buildTestApp(t)
  t.same(shapeProblems((await call('GET', '/v1/proxies')).json(), [shape('proxies_list.json')], ''), [])
  t.same(shapeProblems((await call('GET', '/v1/proxies/1')).json(), shape('proxies_list.json'), ''), [])
})
