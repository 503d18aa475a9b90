// The Store's own methods are what routes, control, persistence and the library use: the
// change counter, the clock, the transitions and their timing, change and reset events.
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { createMock } from '../../src/library.js'

const seed = loadSeed(defaultFixturesDir)

t.test('changed(), generation and change events', async t => {
  const store = createStore(seed)
  const id = store.clusterStateId
  const generation = store.generation
  let changes = 0
  let resets = 0
  store.onChange(() => { changes++ })
  store.onReset(() => { resets++ })
  store.changed()
  t.equal(store.clusterStateId, id + 1)
  t.equal(store.generation, generation + 1)
  t.equal(changes, 1)
  store.reset()
  t.equal(resets, 1, 'a reset swaps the state')
  t.equal(changes, 2, '... and counts as one change')
  t.ok(store.generation > generation + 1)
})

t.test('transitions: timing, settle and completePending on the store\'s clock', async t => {
  const clock = { ms: Date.parse('2026-03-01T10:00:00Z'), now () { return this.ms } }
  const store = createStore(seed, { clock })
  t.equal(store.transitionDelayMs, 100)
  store.transitionDelayMs = 1000
  t.equal(store.transitionDelayMs, 1000)
  t.equal(store.now(), clock.ms)
  t.equal(store.nowIso(), '2026-03-01T10:00:00Z')
  store.bdbs.create({ name: 'facade', memory_size: 104857600 })
  t.equal(store.pendingTransitions, 1, 'the new database waits for its transition')
  clock.ms += 999
  store.settle()
  t.equal(store.pendingTransitions, 1, 'not due yet')
  clock.ms += 1
  store.settle()
  t.equal(store.pendingTransitions, 0, 'due: done')
  store.bdbs.create({ name: 'facade-2', memory_size: 104857600 })
  t.equal(store.completePending(), 1)
  t.equal(store.pendingTransitions, 0)
})

t.test('loadState is quiet, restoreState puts content back in place', async t => {
  const store = createStore(seed)
  const doc = store.exportState()
  store.changed()
  const id = store.clusterStateId
  let changes = 0
  store.onChange(() => { changes++ })
  store.loadState(doc)
  t.equal(changes, 0, 'loading a state file is not a change')
  t.equal(store.clusterStateId, doc.state.clusterStateId)
  const bdb = store.bdbs.get(1)
  bdb.name = 'edited'
  store.restoreState(doc)
  t.equal(store.bdbs.get(1), bdb, 'the same object')
  t.not(bdb.name, 'edited')
  t.not(id, 0)
})

t.test('the library handle announces direct edits', async t => {
  const mock = await createMock()
  t.teardown(() => mock.close())
  const name = async () => (await mock.inject({ method: 'GET', url: '/v1/bdbs/1?fields=name' })).json().name
  const before = await name()
  mock.store.state.bdbs.get(1)!.name = 'edited'
  t.equal(await name(), before, 'not announced: the cached answer')
  mock.changed()
  t.equal(await name(), 'edited')
})

t.test('fixture files read as UTF-8 whether or not they are ASCII', async t => {
  const { cpSync, readFileSync, writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const dir = join(t.testdir(), 'fixtures')
  cpSync(defaultFixturesDir, dir, { recursive: true })
  const bdbs = JSON.parse(readFileSync(join(dir, 'bdbs.json'), 'utf8')) as Array<Record<string, unknown>>
  bdbs[0].name = 'café-ünïcode-数据库'
  writeFileSync(join(dir, 'bdbs.json'), JSON.stringify(bdbs))
  const { loadSeedSource } = await import('../../src/fixtures.js')
  const source = loadSeedSource(dir)
  t.equal((source.first.bdbs as Array<{ name: string }>)[0].name, 'café-ünïcode-数据库', 'non-ASCII text decoded as UTF-8')
  t.equal((source.fresh().bdbs as Array<{ name: string }>)[0].name, 'café-ünïcode-数据库', 'and again on reset')
  t.same(loadSeed(defaultFixturesDir).bdbs, JSON.parse(readFileSync(join(defaultFixturesDir, 'bdbs.json'), 'utf8')), 'an ASCII file: the same objects')
})
