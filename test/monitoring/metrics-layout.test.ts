// The exporter's pages reuse their layout from one scrape to the next (src/metrics/exposition.ts):
// whatever changes between two scrapes, a page written into the kept layout is byte for byte the
// page written from scratch. The clock stands still between the two renders, so the numbers are
// the same (counters move with time only) and any difference would be the layout's.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { render, forgetLayouts, type Page } from '../../src/metrics/render.js'
import { Exposition, Layout, formatValue } from '../../src/metrics/exposition.js'

const T0 = Date.parse('2026-03-02T10:00:00.500Z')

t.test('a page in its kept layout is the page written anew', async t => {
  const c = { ms: T0, now: () => c.ms }
  const { call, store } = await buildTestApp(t, { nodes: 3, clock: c, transitionDelayMs: 0 })
  const { MockControl } = await import('../../src/control/index.js')
  const control = new MockControl(store)
  const pages: Array<[Page, number]> = [['v2', 1], ['v1', 1], ['v2-node', 1], ['v2-node', 2], ['v2-node', 3]]
  const check = (step: string): void => {
    store.settle()
    const kept = pages.map(([page, uid]) => render(page, { store, nodeUid: uid }))
    forgetLayouts(store)
    const fresh = pages.map(([page, uid]) => render(page, { store, nodeUid: uid }))
    for (const [i, [page, uid]] of pages.entries()) {
      t.ok(kept[i].length > 0 && kept[i].equals(fresh[i]), `${step}: ${page} of node ${uid}`)
    }
  }
  const steps: Array<[string, () => Promise<unknown> | unknown]> = [
    ['first scrape', () => undefined],
    ['a second later', () => undefined],
    ['traffic', () => call('PUT', '/_mock/bdbs/1/load', { body: { ops_per_sec: 2000, no_of_keys: 500 } })],
    ['renamed and tagged', () => call('PUT', '/v1/bdbs/2', { body: { name: 'renamed-db', tags: [{ key: 'team-x', value: 'a"b\\c' }, { key: 'env', value: 'prod' }] } })],
    ['tags reordered', () => call('PUT', '/v1/bdbs/2', { body: { tags: [{ key: 'env', value: 'prod' }, { key: 'team-x', value: 'a"b\\c' }] } })],
    ['a database created', () => call('POST', '/v1/bdbs', { body: { name: 'new-db', memory_size: 104857600, replication: true, sharding: true, shards_count: 2 } })],
    ['the last database deleted', async () => { await call('DELETE', `/v1/bdbs/${Math.max(...store.state.bdbs.keys())}`) }],
    ['the first database deleted', () => call('DELETE', '/v1/bdbs/1')],
    ['a node down', () => control.setNodeDown(1, true)],
    ['the node up', () => control.setNodeDown(1, false)],
    ['a node partitioned', () => control.setPartitioned(3, true)],
    ['healed', () => control.setPartitioned(3, false)],
    ['nothing', () => undefined]
  ]
  for (const [step, act] of steps) {
    await act()
    store.completePending()
    c.ms += 1000
    check(step)
  }
})

t.test('a layout is reused while the calls match, and redone from the first that does not', async t => {
  const layout = new Layout()
  type Calls = Array<[string, Record<string, string | number>, number]>
  /** the page of CALLS, written into LAID (the kept layout) or from scratch */
  const write = (calls: Calls, laid?: Layout): string => {
    const out = new Exposition(laid)
    out.declare('a', 'gauge', 'A')
    out.declare('b', 'counter', 'B\nwith a line')
    out.declare('h', 'histogram', 'H')
    for (const [name, labels, value] of calls) out.add(name, labels, value)
    out.histogram('h', { x: '1' }, [1, 5], [0.5, 2], 3.25, 4)
    return out.bytes().toString()
  }
  const page = (calls: Calls): string => write(calls, layout)
  const fresh = (calls: Calls): string => write(calls)
  const runs: Array<Array<[string, Record<string, string | number>, number]>> = [
    [['a', { k: 'v' }, 1], ['b', {}, 2.5], ['a', { k: 'w' }, -3], ['undeclared', { k: 'v' }, 9]],
    [['a', { k: 'v' }, 10], ['b', {}, 0.1], ['a', { k: 'w' }, -0], ['undeclared', { k: 'v' }, 9]],
    [['a', { k: 'v' }, NaN], ['b', {}, Infinity], ['a', { k: 'w' }, 1e21], ['a', { k: 'x"y' }, 123456789012345]],
    [['a', { k: 'v', j: 1 }, 1], ['b', {}, 2]],
    [['a', { j: 1, k: 'v' }, 1], ['b', {}, 2]],
    [['a', { j: '1', k: 'v' }, 1]],
    []
  ]
  for (const calls of runs) t.equal(page(calls), fresh(calls))
  t.equal(fresh(runs[0]), '# HELP a A\n# TYPE a gauge\na{k="v"} 1\na{k="w"} -3\n# HELP b B\\nwith a line\n# TYPE b counter\nb 2.5\n# HELP h H\n# TYPE h histogram\nh_bucket{x="1",le="1"} 0.5\nh_bucket{x="1",le="5"} 2\nh_bucket{x="1",le="+Inf"} 4\nh_sum{x="1"} 3.25\nh_count{x="1"} 4\n')
})

t.test('numbers are written as formatValue writes them', async t => {
  const numbers = [0, -0, 1, -1, 9, 10, 99, 100, 12345, -12345, 999_999_999_999_999, 1e15, -1e15, 1e15 + 2, 2 ** 53, 1e21, 1e-7,
    0.001, 0.5, -0.25, 1.005, 123.456, 2.5e-5, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity]
  let seed = 1
  const random = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
  for (let i = 0; i < 2000; i++) {
    const scale = 10 ** Math.floor(random() * 18)
    numbers.push(Math.round(random() * scale), -Math.round(random() * scale), Math.round(random() * scale * 1000) / 1000, random() * scale)
  }
  const out = new Exposition()
  out.declare('n', 'gauge', 'N')
  for (const v of numbers) out.add('n', {}, v)
  const lines = out.bytes().toString().split('\n').slice(2, -1)
  t.same(lines, numbers.map(v => `n ${formatValue(v)}`))
})

t.test('a page over the keep limit is written anew each scrape, and its layout is not kept', async t => {
  const { keepLayout, keptLayoutBytes } = await import('../../src/metrics/render.js')
  const c = { ms: T0, now: () => c.ms }
  const { store } = await buildTestApp(t, { clock: c, transitionDelayMs: 0 })
  const first = render('v2', { store, nodeUid: 1 })
  t.ok(keptLayoutBytes(store) > 0, 'under the limit: kept')
  const kept = keptLayoutBytes(store)
  const saved = keepLayout.maxBytes
  t.teardown(() => { keepLayout.maxBytes = saved })
  forgetLayouts(store)
  keepLayout.maxBytes = kept - 1
  const again = render('v2', { store, nodeUid: 1 })
  t.equal(keptLayoutBytes(store), 0, 'over the limit: not kept')
  t.ok(again.equals(first), 'the same bytes')
  t.ok(render('v2', { store, nodeUid: 1 }).equals(first), 'and again, written anew')
})
