// `npm run bench -- --quick` runs end to end and prints its table. No timing is asserted: the
// numbers depend on the machine (the benchmark itself is a separate command, not a test).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Half a minute of benchmarking on a busy machine: longer than tap's per-file default.
t.setTimeout(300_000)

// the quick run's data document, for the report's rows that need a Docker engine
const work = mkdtempSync(join(tmpdir(), 'bench-smoke-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const jsonOut = join(work, 'bench.json')

t.test('bench --quick prints the table and the targets', { timeout: 240_000 }, async t => {
  // --no-build: `npm test` built dist/ already; --no-docker: no engine is needed here.
  const r = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--no-docker', '--no-build', '--duration', '0.5', '--cold-starts', '1', '--processes', '2', '--json-out', jsonOut], {
    cwd: root, encoding: 'utf8', timeout: 230_000
  })
  t.equal(r.status, 0, `exit 0\n${r.stderr.split('\n').slice(-15).join('\n')}`)
  t.match(r.stdout, /^redis-enterprise-mock benchmark \(quick\):/m, 'the header names the machine')
  t.match(r.stdout, /\| bare https \| bare fastify \|\s+mock \| mock ÷ https \| mock ÷ fastify \| target/, 'one table, three servers')
  t.match(r.stdout, /GET \/v1\/bdbs\?fields=uid,name/)
  t.match(r.stdout, /verified identical/, 'the baselines serve the mock\'s own bytes')
  // each load shared by two processes of each server, every one of them checked for the same bytes
  t.match(r.stdout, /× 0\.5 s per load shared by 2 processes of each server,/)
  // the target's ratio: the median over the turns, one turn a process of each server
  t.match(r.stdout, /mock ÷ fastify per turn \(median of 2\)\s+\|\s+\|\s+\|\s+\|\s+\|\s+[\d.]+×/)
  t.match(r.stdout, /^targets:$/m)
  t.match(r.stdout, /list throughput ≥ 0\.85 × bare fastify/)
  // Linux: the servers' own CPU time per request, a number in every column of the list rows.
  if (process.platform === 'linux') t.match(r.stdout, /server CPU per request \(µs\)\s+\|\s+[\d.,]+ \|\s+[\d.,]+ \|\s+[\d.,]+ \|/)
  // the per-database cost: the median over pairs of neighbouring loads (one a round at 0.5 s loads)
  t.match(r.stdout, /100 dbs: per-database list cost \(µs of server CPU, median of 1 pair of loads\)\s+\|\s+\|\s+\|\s+-?[\d.]+ \|/)
  // the loads run with V8's memory reducer off on every server; the mock as started by default beside them
  t.match(r.stdout, /servers under load run with node --no-memory-reducer/)
  t.match(r.stdout, /mock as its command starts by default \(req\/s, CPU µs per request\)\s+\|\s+\|\s+\|\s+[\d,]+, /)
  t.match(r.stdout, /RSS idle, mock with --no-memory-reducer \(MiB\)\s+\|\s+\|\s+\|\s+[\d.]+ \|/)
  // the list with and without a 1 s scrape, alternated within each round: the rounds' ratios
  t.match(r.stdout, /with ÷ without per round \(1 s slices alternated\)\s+\|\s+\|\s+\|\s+[\d.]+ /)
  // the target: the median over the pairs of neighbouring slices (one pair a round at --quick's one slice)
  t.match(r.stdout, /with ÷ without per pair of slices \(median of 1\)\s+\|\s+\|\s+\|\s+[\d.]+×/)
  t.match(r.stdout, /list throughput with a 1 s scrape ≥ 0\.97 × without \([\d.]+×\)/)
  t.notMatch(r.stdout, /WARNING: non-2xx/, 'the GETs were answered 200: the table measures the routes, not a refusal')
})

t.test('the Docker rows: the run beside the engine\'s floor, the floor left out when it was not measured', async t => {
  const reportModule: string = '../../bench/lib/report.mjs' // plain JS of the bench, without types
  type Doc = Record<string, unknown> & { docker: Record<string, unknown>, targets?: unknown }
  const { table, targets } = await import(reportModule) as { table: (d: Doc) => string, targets: (d: Doc) => unknown }
  const d = JSON.parse(readFileSync(jsonOut, 'utf8')) as Doc
  const print = (docker: Record<string, unknown>): string => {
    const doc: Doc = { ...d, docker }
    doc.targets = targets(doc)
    return table(doc)
  }
  const measured = { engine: 'test', imageBytes: 142e6, buildSeconds: 1, runToFirst200Ms: 513, samples: [513, 525, 500], cpuset: true }
  const withFloor = print({ ...measured, floorMs: 353, floorSamples: [364, 353, 334] })
  t.match(withFloor, /docker run → first 200 \(ms, median of 3\)\s+\|\s+\|\s+\|\s+513 \|/)
  t.match(withFloor, /the engine's floor: bare node:https from the same image \(ms, median of 3\)\s+\|\s+\|\s+\|\s+353 \|/)
  t.match(withFloor, /✗ container run → first 200 ≤ 0\.5 s \(513 ms; the engine's floor 353 ms\)/, 'the target stays absolute: the floor is shown, not subtracted')
  const without = print({ ...measured, runToFirst200Ms: 480, floorMs: null, floorSamples: [] })
  t.notMatch(without, /the engine's floor/, 'a floor not measured prints no row and no figure')
  t.match(without, /✓ container run → first 200 ≤ 0\.5 s \(480 ms\)/)
})

t.test('the per-database cost: one figure per pair of neighbouring slices, so one bad stretch is one pair of many', async t => {
  const procModule: string = '../../bench/lib/proc.mjs' // plain JS of the bench, without types
  type Run = { slices: number[], sliceCpuUs: Array<number | null> }
  const { perDatabasePairs, median } = await import(procModule) as { perDatabasePairs: (l: Run[], f: Run[], n: number, s: number) => number[], median: (xs: number[]) => number }
  // two rounds of five 1 s slices at 100 databases: the list costs 2 µs more than the fixed
  // request, except in the one slice of the fixed request the machine hit (60 µs)
  const list = [{ slices: [30000, 30000, 30000, 30000, 30000], sliceCpuUs: [32, 32, 32, 32, 32] }, { slices: [30000, 30000, 30000, 30000, 30000], sliceCpuUs: [32, 33, 32, 32, 32] }]
  const fixed = [{ slices: [31000, 31000, 31000, 31000, 31000], sliceCpuUs: [30, 30, 60, 30, 30] }, { slices: [31000, 31000, 31000, 31000, 31000], sliceCpuUs: [30, 30, 30, 30, 30] }]
  const pairs = perDatabasePairs(list, fixed, 100, 5)
  t.equal(pairs.length, 10, 'a pair per slice of every round')
  t.equal(Number(pairs[2].toFixed(4)), -0.28, 'the hit slice gives one pair off the mark')
  t.equal(Number(pairs[6].toFixed(4)), 0.03)
  t.equal(Number(median(pairs).toFixed(4)), 0.02, 'the median of the pairs is the list\'s cost per database')
  // without /proc (no CPU figures): 1/throughput of each slice, in µs per request
  const noCpu = (r: Run): Run => ({ ...r, sliceCpuUs: r.sliceCpuUs.map(() => null) })
  const byRate = perDatabasePairs([noCpu({ slices: [20000], sliceCpuUs: [0] })], [noCpu({ slices: [25000], sliceCpuUs: [0] })], 100, 1)
  t.same(byRate.map(x => Number(x.toFixed(4))), [0.1], '(50 − 40 µs per request) ÷ 100 databases')
})

t.test('a wrk load sends the admin\'s login unless told otherwise (wrk installed only)', { skip: spawnSync('wrk', ['--version']).error ? 'no wrk here' : false }, async t => {
  const wrkModule: string = '../../bench/lib/wrk.mjs' // plain JS of the bench, without types
  const { wrkLoad } = await import(wrkModule) as { wrkLoad: (port: number, path: string, o: object) => Promise<{ total: number, non2xx: number }> }
  const { startMock } = await import('../../src/library.js')
  const mock = await startMock({ port: 0, host: '127.0.0.1' })
  t.teardown(() => mock.close())
  const port = Number(new URL(mock.url).port)
  const ok = await wrkLoad(port, '/v1/bdbs/1', { connections: 2, duration: 1 })
  t.ok(ok.total > 0, `requests made (${ok.total})`)
  t.equal(ok.non2xx, 0, 'every one authenticated')
  const refused = await wrkLoad(port, '/v1/bdbs/1', { connections: 2, duration: 1, authorization: null })
  t.equal(refused.non2xx, refused.total, 'without a login: every one refused')
})
