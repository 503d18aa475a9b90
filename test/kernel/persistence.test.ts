// --state-file: load at start, every change durable before its answer, corrupt files refused
// and left alone, failed writes rolled back; and the SIGKILL-in-a-burst test on the real CLI.
import t, { type Test } from 'tap'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { join } from 'node:path'
import { buildApp } from '../../src/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile, writeFileDurably } from '../../src/persistence.js'
import { restoreInto } from '../../src/store/kernel/index.js'
import { buildTestApp, isRsError, ADMIN } from '../helpers/app.js'
import { LOCAL, spawnCli } from '../helpers/cli.js'

const seed = loadSeed(defaultFixturesDir)
const json = (res: { json(): unknown }) => res.json() as any

async function appWithFile (t: Test, path: string) {
  const store = createStore(seed)
  const file = attachStateFile(store, path)
  const app = await buildApp({ store })
  t.teardown(() => app.close())
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object) =>
    app.inject({ method, url, headers: { authorization: ADMIN }, ...(body === undefined ? {} : { payload: body }) })
  return { store, file, app, call }
}

const onDisk = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
const diskBdbNames = (path: string): string[] => onDisk(path).state.bdbs.$map.map(([, b]: [number, { name: string }]) => b.name)

t.test('a missing file starts from the fixtures and is created; each change is on disk before the answer', async t => {
  const path = join(t.testdir(), 'sub', 'state.json')
  const { file, call } = await appWithFile(t, path)
  t.equal(file.loaded, false)
  t.equal(onDisk(path).format, 'redis-enterprise-mock/state')
  const res = await call('POST', '/v1/bdbs', { name: 'durable', memory_size: 104857600 })
  t.equal(res.statusCode, 200)
  t.ok(diskBdbNames(path).includes('durable'), 'written when the response arrives')
  t.equal(onDisk(path).state.clusterStateId, Number(res.headers['cluster-state-id']))

  const again = await appWithFile(t, path)
  t.equal(again.file.loaded, true)
  t.equal(json(await again.call('GET', `/v1/bdbs/${json(res).uid}`)).name, 'durable', 'loaded at start')
  t.equal(again.store.clusterStateId, onDisk(path).state.clusterStateId)
})

t.test('a corrupt, foreign or unreadable file stops start-up and is left as it is', async t => {
  const dir = t.testdir({ 'torn.json': '{"format":"redis-enterprise-mock/state","vers', 'other.json': '{"hello":1}', 'adir.json': {} })
  for (const [name, re] of [['torn.json', /not valid JSON.*left as it is/], ['other.json', /not a state document: "format" must be/], ['adir.json', /Cannot read the state file .*EISDIR/]] as const) {
    const path = join(dir, name)
    const before = name === 'adir.json' ? '' : readFileSync(path, 'utf8')
    t.throws(() => attachStateFile(createStore(seed), path), { name: 'ConfigError', message: re }, name)
    if (name !== 'adir.json') t.equal(readFileSync(path, 'utf8'), before, `${name} untouched`)
  }
})

t.test('a change that cannot be written is undone and answered 500 state_write_failed', async t => {
  const dir = t.testdir()
  const sub = join(dir, 'sub')
  const path = join(sub, 'state.json')
  const { store, call } = await appWithFile(t, path)
  const id = store.clusterStateId
  // Root ignores permissions: make the directory a file so every write fails with ENOTDIR.
  rmSync(sub, { recursive: true })
  writeFileSync(sub, 'not a directory')
  const res = await call('POST', '/v1/bdbs', { name: 'lost', memory_size: 104857600 })
  isRsError(t, res, 500, 'state_write_failed')
  t.match(json(res).description, /ENOTDIR/)
  t.equal(store.clusterStateId, id, 'cluster-state-id not moved')
  t.same(json(await call('GET', '/v1/bdbs?fields=name')).map((b: { name: string }) => b.name), ['cache', 'sessions', 'catalog'], 'memory did not run ahead')
  t.equal(store.core.pendingJobs, 0, 'the transition it scheduled went with it')
  isRsError(t, await call('POST', '/_mock/reset'), 500, 'state_write_failed')
  isRsError(t, await call('POST', '/_mock/scenario', { name: 'empty-cluster' }), 500, 'state_write_failed')
  t.equal(store.state.bdbs.size, 3, 'the scenario was not loaded')
  isRsError(t, await call('POST', '/_mock/cluster/leave'), 500, 'state_write_failed')
  t.equal(store.inCluster, true)

  rmSync(sub)
  mkdirSync(sub)
  const ok = await call('POST', '/v1/bdbs', { name: 'kept', memory_size: 104857600 })
  t.equal(ok.statusCode, 200, 'writes again once the disk is back')
  t.same(diskBdbNames(path), ['cache', 'sessions', 'catalog', 'kept'])
  await call('POST', '/_mock/reset')
  t.equal(store.state.bdbs.size, 3, 'reset still goes to the default start, not the refused scenario')

  // The file replaced by a directory: the rename fails; no temp file is left behind.
  rmSync(path)
  mkdirSync(path)
  isRsError(t, await call('POST', '/_mock/cluster/leave'), 500, 'state_write_failed')
  t.same(readdirSync(sub), ['state.json'], 'temp file cleaned up')
})

t.test('a transition started before a refused write still completes (its job is in the saved queue)', async t => {
  const dir = t.testdir()
  const sub = join(dir, 'sub')
  const path = join(sub, 'state.json')
  let now = Date.parse('2026-06-01T00:00:00Z')
  const app = await buildTestApp(t, { clock: { now: () => now }, transitionDelayMs: 1000, stateFile: path })
  const call = (method: 'GET' | 'POST', url: string, body?: object) => app.call(method, url, { body })
  const created = json(await call('POST', '/v1/bdbs', { name: 'slow', memory_size: 104857600 }))
  t.equal(created.status, 'pending')
  const keysBefore = Object.keys(json(await call('GET', `/v1/bdbs/${created.uid}`)))
  rmSync(sub, { recursive: true })
  writeFileSync(sub, 'not a directory')
  isRsError(t, await call('POST', '/v1/bdbs', { name: 'refused', memory_size: 104857600 }), 500, 'state_write_failed')
  now += 2000
  const read = await call('GET', `/v1/bdbs/${created.uid}`)
  t.equal(read.statusCode, 200, 'a read is answered while its due completion cannot be saved')
  t.equal(json(read).status, 'pending', 'the completion waits for the disk')
  t.same(Object.keys(json(read)), keysBefore, 'the rolled-back object keeps its key order')
  rmSync(sub)
  mkdirSync(sub)
  t.equal(json(await call('GET', `/v1/bdbs/${created.uid}`)).status, 'active', 'completes once the disk is back')
  t.equal(onDisk(path).state.bdbs.$map.find(([uid]: [number]) => uid === created.uid)[1].status, 'active', 'and is saved')
})

t.test('restoreInto keeps the identity of objects that still exist', async t => {
  const bdb = { uid: 1, name: 'a', tags: [1, 2] }
  const target: Record<string, unknown> = { m: new Map<number, object>([[1, bdb], [2, { uid: 2 }]]), n: 1, gone: true }
  restoreInto(target, { m: new Map([[2, { uid: 2 }], [1, { uid: 1, name: 'b', tags: [3] }]]), n: 2 })
  t.equal((target.m as Map<number, unknown>).get(1), bdb, 'same object')
  t.same(bdb, { uid: 1, name: 'b', tags: [3] })
  t.same([...(target.m as Map<number, unknown>).keys()], [2, 1], 'map order follows the snapshot')
  t.same(Object.keys(target), ['m', 'n'])
})

t.test('writeFileDurably replaces the file whole', async t => {
  const path = join(t.testdir(), 'f.json')
  writeFileDurably(path, 'one')
  writeFileDurably(path, 'two')
  t.equal(readFileSync(path, 'utf8'), 'two')
})

function post (agent: Agent, port: number, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, rejectUnauthorized: false, auth: 'admin@redis.local:admin', headers: { 'content-type': 'application/json' } }, res => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

function getJson (port: number, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, auth: 'admin@redis.local:admin' }, res => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve(JSON.parse(text)))
    }).on('error', reject).end()
  })
}

t.test('SIGKILL in the middle of a burst of writes loses no acknowledged write', async t => {
  const dir = t.testdir()
  const stateFile = join(dir, 'state.json')
  const certs = join(dir, 'certs')
  const first = spawnCli([...LOCAL, '--state-file', stateFile, '--certs-dir', certs])
  const { port } = await first.ready
  t.teardown(() => { first.child.kill('SIGKILL') })
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  const acknowledged: string[] = []
  let sent = 0
  const exited = new Promise<void>(resolve => first.child.on('exit', () => resolve()))
  // Eight writers in parallel; the kill comes from inside the burst once 60 are acknowledged.
  const started = performance.now()
  const writer = async (): Promise<void> => {
    while (sent < 400) {
      const name = `burst-${sent++}`
      let status: number
      try {
        status = await post(agent, port, '/v1/bdbs', { name, memory_size: 1048576 })
      } catch {
        return // the connection died with the server
      }
      if (status === 200) acknowledged.push(name)
      if (acknowledged.length === 60) first.child.kill('SIGKILL')
    }
  }
  await Promise.all(Array.from({ length: 8 }, writer))
  await exited
  agent.destroy()
  const took = performance.now() - started
  t.ok(acknowledged.length >= 60, `${acknowledged.length} writes acknowledged before the kill (${sent} sent)`)
  t.comment(`burst: ${acknowledged.length} acknowledged POST /v1/bdbs in ${Math.round(took)} ms (${(took / acknowledged.length).toFixed(1)} ms each, 8 in flight)`)

  const doc = onDisk(stateFile) // parses: never torn
  const second = spawnCli([...LOCAL, '--state-file', stateFile, '--certs-dir', certs])
  const { port: port2 } = await second.ready
  t.teardown(() => { second.child.kill('SIGKILL') })
  const names = new Set((await getJson(port2, '/v1/bdbs?fields=name')).map((b: { name: string }) => b.name))
  const missing = acknowledged.filter(n => !names.has(n))
  t.same(missing, [], 'every acknowledged write is there after the restart')
  t.equal(names.size, doc.state.bdbs.$map.length, 'the server serves what the file holds')
  t.comment(`${names.size - 3 - acknowledged.length} unacknowledged writes also made it (allowed)`)
})
