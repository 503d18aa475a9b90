#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --json]`: bare node:https vs bare fastify vs redis-enterprise-mock,
// same bytes over HTTPS with Basic auth, interleaved rounds, one table (or JSON) with the targets.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BAD_AUTH, PASSWORD, ROOT, STEADY, USER, call, coldStart, command, cpuMs, median, perDatabasePairs, pinning, rotate, rss, sleep, start, stop } from './lib/proc.mjs'
import { scaleFixtures } from './lib/fixtures.mjs'
import { load as autocannonLoad, pairs } from './lib/load.mjs'
import { wrkLoad, wrkVersion } from './lib/wrk.mjs'
import { measureDocker } from './lib/docker.mjs'
import { scrapeEverySecond, scrapeTimes } from './lib/metrics.mjs'
import { table, targets } from './lib/report.mjs'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'json-out': { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    'cold-starts': { type: 'string' },
    processes: { type: 'string' },
    docker: { type: 'boolean' },
    'no-build': { type: 'boolean', default: false },
    'no-docker': { type: 'boolean', default: false },
    autocannon: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false }
  }
})
if (args.help) {
  console.log(`npm run bench -- [--quick] [--json] [--json-out FILE] [--rounds N] [--duration S] [--cold-starts N] [--processes N] [--no-docker | --docker] [--no-build] [--autocannon]
  full:    ${'5 s per load, 4 interleaved rounds, 3 processes per server, 10 cold starts, 100 vs 10,000 databases, docker when an engine answers'}
  --quick: 1 s per load, 1 round, 1 process per server, 3 cold starts, 100 vs 1,000 databases, no docker (unless --docker)
  loads run with wrk (one thread, 50 connections) when it is installed; --autocannon, or no wrk, uses autocannon`)
  process.exit(0)
}
const quick = args.quick
const config = {
  mode: quick ? 'quick' : 'full',
  duration: Number(args.duration ?? (quick ? 1 : 5)),
  rounds: Number(args.rounds ?? (quick ? 1 : 4)),
  coldStarts: Number(args['cold-starts'] ?? (quick ? 3 : 10)),
  // Processes of each server the rounds load in turn: two processes of one build differ by
  // ~10% in throughput through a whole run (docs/performance.md, "One process is one sample").
  processes: Math.max(1, Math.round(Number(args.processes ?? (quick ? 1 : 3)))),
  connections: 50,
  sizes: quick ? [100, 1000] : [100, 10_000],
  dockerRuns: quick ? 1 : 3,
  docker: args['no-docker'] ? false : args.docker ?? !quick
}
const log = msg => process.stderr.write(`[bench] ${msg}\n`)
// The load generator: wrk in its own process when installed (what an outside measurement runs),
// else autocannon in this one. Either runs on the client CPU (this process's, inherited by wrk).
const wrk = args.autocannon ? null : wrkVersion()
config.loadGenerator = wrk === null ? 'autocannon' : Number.isInteger(config.duration) ? `wrk ${wrk}` : `wrk ${wrk} for whole seconds, autocannon for the ${config.duration} s loads`
// wrk counts whole seconds only: a shorter or fractional load (--duration 0.5) runs with autocannon.
const load = (port, path, o) => wrk !== null && Number.isInteger(o.duration) && o.duration >= 1 ? wrkLoad(port, path, o) : autocannonLoad(port, path, o)

// ---- the built command: rebuild when dist/ is missing or older than src/ ------------------------
function newest (dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}
function ensureBuilt () {
  let built = 0
  try { built = statSync(join(ROOT, 'dist/cli.js')).mtimeMs } catch {}
  if (args['no-build']) return log('build: skipped (--no-build)')
  if (built > newest(join(ROOT, 'src'))) return log('build: dist/ is newer than src/, not rebuilding')
  log('build: dist/ is missing or older than src/: npm run build')
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status === 0) return
  if (built === 0) throw new Error(`npm run build failed and there is no dist/:\n${r.stdout}${r.stderr}`)
  log(`build: npm run build failed (tsc errors in src/?); benchmarking the existing dist/\n${r.stdout.split('\n').slice(-6).join('\n')}`)
}

// ---- the bytes the baselines serve: the mock's own ------------------------------------------------
const PATHS = { full: '/v1/bdbs', list: '/v1/bdbs?fields=uid,name', get1: '/v1/bdbs/1', cluster: '/v1/cluster' }
// The scale runs' fixed cost: the same front door and handler as the list, one tiny object.
const FIXED_PATH = '/v1/bdbs/1?fields=uid'
const DROP = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])
const canned = res => ({
  status: res.status,
  headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => !DROP.has(k))),
  body: res.body.toString('base64')
})

async function captureResponses (port) {
  const routes = {}
  for (const path of Object.values(PATHS)) {
    const res = await call(port, path)
    if (res.status !== 200) throw new Error(`the mock answered ${res.status} to GET ${path}`)
    routes[path] = canned(res)
  }
  const denied = await call(port, PATHS.list, { authorization: BAD_AUTH })
  if (denied.status !== 401) throw new Error(`the mock answered ${denied.status} to an unknown login`)
  return { user: USER, password: PASSWORD, routes, unauthorized: canned(denied) }
}

/** Does this build serve POST /v1/bdbs + DELETE /v1/bdbs/<uid>? (404/405 while it is being written) */
async function pairsServed (port) {
  const res = await call(port, '/v1/bdbs', { method: 'POST', body: JSON.stringify({ name: 'bench-probe', memory_size: 104857600 }) })
  if (res.status === 404 || res.status === 405) return { served: false, why: `POST /v1/bdbs answered ${res.status}` }
  if (res.status !== 200) return { served: false, why: `POST /v1/bdbs answered ${res.status}: ${res.body.toString().slice(0, 200)}` }
  const uid = JSON.parse(res.body).uid
  for (let i = 0; i < 50; i++) {
    await sleep(50)
    const del = await call(port, `/v1/bdbs/${uid}`, { method: 'DELETE' })
    if (del.status === 200) return { served: true }
    if (del.status !== 409) return { served: false, why: `DELETE /v1/bdbs/${uid} answered ${del.status}` }
  }
  return { served: false, why: `DELETE /v1/bdbs/${uid} stayed 409` }
}

async function verifyBytes (servers, doc) {
  const bad = []
  for (const [name, s] of Object.entries(servers)) {
    for (const [path, want] of Object.entries(doc.routes)) {
      const got = await call(s.port, path)
      if (got.status !== want.status || got.body.toString('base64') !== want.body) bad.push(`${name} ${path}`)
    }
    const denied = await call(s.port, PATHS.list, { authorization: BAD_AUTH })
    if (denied.status !== 401 || denied.body.toString('base64') !== doc.unauthorized.body) bad.push(`${name} 401`)
  }
  return bad
}

async function main () {
  const cpuList = cpus()
  const pin = pinning(cpuList.length)
  const machine = { cpus: cpuList.length, cpuModel: cpuList[0]?.model.trim() ?? '?', node: process.version, platform: `${platform()} ${release()}`, pinning: pin }
  log(`${machine.cpus} CPUs, Node ${machine.node}; ${pin.pinned ? 'servers on CPU 0, load on CPU 1' : `no pinning (${pin.why})`}; load: ${config.loadGenerator}`)
  ensureBuilt()

  const work = mkdtempSync(join(tmpdir(), 'rs-mock-bench-'))
  const cleanup = new Set()
  try {
    const certsDir = join(ROOT, 'certs')
    const responses = join(work, 'responses.json')
    const prefix = pin.prefix
    const argvOf = (kind, fixtures, nodeFlags) => command(kind, { certsDir, responses, fixtures, nodeFlags })

    // A first mock start writes the certificate (if certs/ has none) and gives the bytes to copy.
    log('capturing the mock\'s responses')
    const first = await start(argvOf('mock'), { prefix })
    const doc = await captureResponses(first.port)
    writeFileSync(responses, JSON.stringify(doc))
    const pairProbe = await pairsServed(first.port)
    await stop(first)
    log(pairProbe.served ? 'create+delete: served' : `create+delete: n/a (${pairProbe.why})`)

    const fixturesFor = Object.fromEntries(config.sizes.map(n => [n, scaleFixtures(join(ROOT, 'fixtures/default'), join(work, `fixtures-${n}`), n)]))

    // ---- cold starts, interleaved: the three servers and the mock at both scale sizes ----------------
    const kinds = ['https', 'fastify', 'mock']
    const startKinds = [...kinds, ...config.sizes.map(n => `mock@${n}`)]
    const starts = Object.fromEntries(startKinds.map(k => [k, { ms: [], readyMs: [] }]))
    for (let i = 0; i < config.coldStarts; i++) {
      for (const k of rotate(startKinds, i)) {
        const [kind, n] = k.split('@')
        const r = await coldStart(argvOf(kind, n && fixturesFor[n]), { prefix, path: n ? PATHS.get1 : PATHS.full })
        await stop(r.server)
        starts[k].ms.push(r.ms)
        starts[k].readyMs.push(r.readyMs)
      }
      log(`cold starts ${i + 1}/${config.coldStarts}`)
    }

    // ---- long-running servers --------------------------------------------------------------------------
    // config.processes of each kind; the first gives the idle RSS and carries the scrape's runs
    const group = Object.fromEntries(kinds.map(k => [k, []]))
    for (let i = 0; i < config.processes; i++) {
      for (const k of kinds) { const s = await start(argvOf(k, undefined, STEADY), { prefix }); group[k].push(s); cleanup.add(s) }
    }
    const servers = Object.fromEntries(kinds.map(k => [k, group[k][0]]))
    const everyLoaded = kinds.flatMap(k => group[k])
    // the mock as its command starts by default: its idle RSS, and the list's last rows
    const asStarted = await start(argvOf('mock'), { prefix })
    cleanup.add(asStarted)
    const scaled = {}
    for (const n of config.sizes) { scaled[n] = await start(argvOf('mock', fixturesFor[n], STEADY), { prefix }); cleanup.add(scaled[n]) }
    for (const s of [...everyLoaded, asStarted, ...Object.values(scaled)]) await call(s.port, PATHS.get1)
    await sleep(1000)
    // Idle RSS as each server starts by default (the mock's from the mock started without the flag;
    // with it, it is the same at this point: V8's reducer would come ~8 s after start).
    const idle = { ...Object.fromEntries(kinds.map(k => [k, rss(servers[k].pid)])), mock: rss(asStarted.pid) }
    const idleSteady = rss(servers.mock.pid)
    const scaledIdle = Object.fromEntries(config.sizes.map(n => [n, rss(scaled[n].pid)]))
    // The exporter loads its code on the first scrape: warmed after the idle RSS (an idle mock
    // nobody scrapes) and before the loads (a Prometheus that has been scraping all along).
    for (const s of [...group.mock, ...Object.values(scaled)]) if (s.metricsPort !== undefined) await call(s.metricsPort, '/v2', { authorization: null })
    const mismatch = await verifyBytes(Object.fromEntries(kinds.flatMap(k => group[k].map((s, i) => [`${k}#${i + 1}`, s]))), doc)

    const scenarios = { list: { path: PATHS.list }, get1: { path: PATHS.get1 }, cluster: { path: PATHS.cluster }, unauth: { path: PATHS.list, authorization: BAD_AUTH } }
    const runs = Object.fromEntries(Object.keys(scenarios).map(s => [s, Object.fromEntries(kinds.map(k => [k, []]))]))
    // mock ÷ fastify of every turn of every round, per scenario
    const turnRatios = Object.fromEntries(Object.keys(scenarios).map(s => [s, []]))
    const scaleRuns = Object.fromEntries(config.sizes.map(n => [n, { list: [], get1: [], fixed: [] }]))
    const pairRuns = []
    let pairRss = null
    // the list with a Prometheus-like 1 s scrape of the same mock's exporter running, and without
    const scrapeRuns = { with: [], without: [], slices: [] }
    const opts = { connections: config.connections, duration: config.duration }
    // A load on SERVER, with the server's own CPU time per request (µs): what the request cost the
    // server, whether or not the load generator kept it busy (large answers are client-bound).
    /** Server CPU MS over TOTAL requests as µs per request (null without /proc or requests). */
    const usPer = (ms, total) => ms === null || total === 0 ? null : ms * 1000 / total
    const measured = async (server, path, extra = {}) => {
      const before = cpuMs(server.pid)
      const r = await load(server.port, path, { ...opts, ...extra })
      const after = cpuMs(server.pid)
      return { ...r, cpuUs: usPer(before === null || after === null ? null : after - before, r.total) }
    }
    /** Loads of SECONDS in all (their own server CPU in `cpuMs`) as one result. */
    const combine = (parts, seconds) => {
      const total = parts.reduce((a, x) => a + x.total, 0)
      const cpu = parts.some(x => x.cpuMs === null) ? null : parts.reduce((a, x) => a + x.cpuMs, 0)
      return {
        rps: total / seconds,
        p50: median(parts.map(x => x.p50)),
        p99: Math.max(...parts.map(x => x.p99)),
        total,
        non2xx: parts.reduce((a, x) => a + x.non2xx, 0),
        errors: parts.reduce((a, x) => a + x.errors, 0),
        cpuUs: usPer(cpu, total)
      }
    }
    /**
     * One round of a scenario in turns: each turn loads one process of every kind, one after the
     * other (the kinds' order and which process goes first rotating with ROUND and the turn), the
     * load's duration shared among a kind's processes (for wrk in whole seconds, at least 1 each).
     * One result per kind, and mock ÷ fastify of each turn (two loads of the same few seconds).
     */
    const measuredRound = async (round, path, extra = {}) => {
      const n = config.processes
      const each = n === 1 || wrk === null ? opts.duration / n : Math.max(1, Math.round(opts.duration / n))
      const parts = Object.fromEntries(kinds.map(k => [k, []]))
      for (let i = 0; i < n; i++) {
        for (const k of rotate(kinds, round + i)) {
          const s = group[k][(round + i) % n]
          const before = cpuMs(s.pid)
          const r = await load(s.port, path, { ...opts, ...extra, duration: each })
          const after = cpuMs(s.pid)
          parts[k].push({ ...r, cpuMs: before === null || after === null ? null : after - before })
        }
      }
      return {
        byKind: Object.fromEntries(kinds.map(k => [k, combine(parts[k], each * n)])),
        turns: parts.mock.map((m, i) => m.total / parts.fastify[i].total)
      }
    }
    /**
     * VARIANTS (a path, and optionally `around`: started before the variant's slice, its `stop()`
     * after) measured in turn, SLICES times each, in slices of the load's duration, the order
     * rotating by slice and starting where ROUND puts it (with an odd number of slices, which
     * variant goes first more often alternates between rounds): one result per variant.
     */
    const alternated = async (server, variants, slices, round) => {
      const parts = variants.map(() => [])
      for (let i = 0; i < slices; i++) {
        for (const j of rotate(variants.map((_, k) => k), i + round)) {
          const aside = variants[j].around?.()
          const before = cpuMs(server.pid)
          const r = await load(server.port, variants[j].path, { ...opts, duration: opts.duration / slices })
          const after = cpuMs(server.pid)
          aside?.stop()
          parts[j].push({ ...r, cpuMs: before === null || after === null ? null : after - before })
        }
      }
      // each slice's requests and server CPU per request too: slice i of every variant ran next
      // to the others' slice i
      return parts.map(p => ({ ...combine(p, opts.duration), slices: p.map(x => x.total), sliceCpuUs: p.map(x => usPer(x.cpuMs, x.total)) }))
    }
    // A warm-up load of every scenario on every server (not counted): JIT and TLS session state
    // would otherwise weigh on whichever server the first round measures first.
    for (const [name, sc] of Object.entries(scenarios)) {
      for (const s of everyLoaded) await load(s.port, sc.path, { ...opts, duration: 1, authorization: sc.authorization })
      log(`warm-up: ${name}`)
    }
    // the mock as started by default: the same loads as the others (its code sees the same mix of
    // routes), reported for the list
    for (const sc of Object.values(scenarios)) await load(asStarted.port, sc.path, { ...opts, duration: 1, authorization: sc.authorization })
    const asStartedRuns = []
    for (let r = 0; r < config.rounds; r++) {
      for (const [name, sc] of Object.entries(scenarios)) {
        const { byKind, turns } = await measuredRound(r, sc.path, { authorization: sc.authorization })
        for (const k of kinds) {
          runs[name][k].push(byKind[k])
          log(`round ${r + 1}/${config.rounds}: ${name} on ${k}: ${Math.round(byKind[k].rps)} req/s`)
        }
        turnRatios[name].push(...turns)
        const byDefault = await measured(asStarted, sc.path, { authorization: sc.authorization })
        if (name === 'list') asStartedRuns.push(byDefault)
        log(`round ${r + 1}/${config.rounds}: ${name} on the mock as started by default: ${Math.round(byDefault.rps)} req/s`)
      }
      for (const n of rotate(config.sizes, r)) {
        scaleRuns[n].get1.push(await measured(scaled[n], PATHS.get1))
        // At the small size the list costs only a few µs more than the fixed request: two whole
        // loads in a row differ by as much with the machine's drift. There the two alternate in
        // 1 s slices of the same total time, so that drift falls on both alike. (Not at the large
        // size: a slice opens its connections anew, and with ~1,700 answers a second their TLS
        // handshakes would weigh on the list alone.)
        const slices = n === config.sizes[0] ? Math.max(1, Math.round(config.duration)) : 1
        const [list, fixed] = await alternated(scaled[n], [{ path: PATHS.list }, { path: FIXED_PATH }], slices, r)
        scaleRuns[n].list.push(list)
        scaleRuns[n].fixed.push(fixed)
        for (const name of ['list', 'get1', 'fixed']) log(`round ${r + 1}/${config.rounds}: ${name} with ${n} dbs: ${Math.round(scaleRuns[n][name].at(-1).rps)} req/s`)
      }
      if (servers.mock.metricsPort !== undefined) {
        // With and without the scrape alternate in 1 s slices of the same total time, as the
        // small scale's list does: two whole loads in a row differ by more than the scrape costs.
        const port = servers.mock.metricsPort
        const [without, withScrape] = await alternated(servers.mock, [{ path: PATHS.list }, { path: PATHS.list, around: () => scrapeEverySecond(port) }], Math.max(1, Math.round(config.duration)), r)
        scrapeRuns.without.push(without)
        scrapeRuns.with.push(withScrape)
        scrapeRuns.slices.push(...withScrape.slices.map((w, i) => w / without.slices[i]))
        log(`round ${r + 1}/${config.rounds}: list without / with a 1 s scrape: ${Math.round(without.rps)} / ${Math.round(withScrape.rps)} req/s`)
      }
      if (pairProbe.served) {
        // A fresh mock per round: the create/delete churn must not change what the GETs above list.
        const m = await start(argvOf('mock'), { prefix })
        cleanup.add(m)
        pairRuns.push(await pairs(m.port, opts))
        pairRss = rss(m.pid)
        await stop(m)
        cleanup.delete(m)
        log(`round ${r + 1}/${config.rounds}: create+delete: ${Math.round(pairRuns.at(-1).pairsPerSec)} pairs/s`)
      }
    }
    // GET /v2 of the smaller scale's cluster (100 databases), as Prometheus scrapes: one kept-alive connection
    const hundred = scaled[config.sizes[0]]
    const scrapeSample = hundred.metricsPort === undefined ? null : await scrapeTimes(hundred.metricsPort, { count: quick ? 20 : 50 })
    if (scrapeSample !== null) log(`GET /v2 with ${config.sizes[0]} databases: median ${median(scrapeSample.ms).toFixed(1)} ms, ${scrapeSample.bytes} bytes`)
    const afterLoad = Object.fromEntries(kinds.map(k => [k, rss(servers[k].pid)]))
    const asStartedAfter = rss(asStarted.pid)
    const scaledAfter = Object.fromEntries(config.sizes.map(n => [n, rss(scaled[n].pid)]))
    for (const s of cleanup) await stop(s)
    cleanup.clear()

    const docker = config.docker
      ? await measureDocker({ runs: config.dockerRuns, pinned: pin.pinned, log })
      : { skipped: quick ? 'not in --quick (add --docker)' : '--no-docker' }

    // ---- medians and the data document ------------------------------------------------------------------
    const med = list => list.length === 0
      ? null
      : { rps: median(list.map(x => x.rps)), p50: median(list.map(x => x.p50)), p99: median(list.map(x => x.p99)), cpuUs: median(list.map(x => x.cpuUs)), non2xx: list.reduce((a, x) => a + x.non2xx, 0), errors: list.reduce((a, x) => a + x.errors, 0) }
    const loadOut = Object.fromEntries(Object.keys(scenarios).map(s => [s, Object.fromEntries(kinds.map(k => [k, med(runs[s][k])]))]))
    // mock ÷ fastify per round, printed; the target is the median of the turns' ratios (a mock
    // process and a fastify one loaded in the same turn): drift between turns falls on both
    // sides of each ratio alike, and one turn the machine hits hard is one of 12, not one of 4.
    for (const s of Object.keys(scenarios)) {
      loadOut[s].pairRatios = runs[s].mock.map((m, r) => m.rps / runs[s].fastify[r].rps)
      loadOut[s].turnRatios = turnRatios[s]
      loadOut[s].pairRatio = median(turnRatios[s])
    }
    // the mock as started by default against the same mock with the reducer off, per round
    loadOut.list.asStarted = { ...med(asStartedRuns), ratios: asStartedRuns.map((a, r) => a.rps / runs.list.mock[r].rps) }
    loadOut.list.asStarted.ratio = median(loadOut.list.asStarted.ratios)
    loadOut.pairs = pairProbe.served
      ? { supported: true, pairsPerSec: median(pairRuns.map(p => p.pairsPerSec)), p50: median(pairRuns.map(p => p.p50)), p99: median(pairRuns.map(p => p.p99)), rssAfter: pairRss, statuses: pairRuns.map(p => p.statuses) }
      : { supported: false, why: pairProbe.why }
    const byN = {}
    for (const n of config.sizes) {
      const list = med(scaleRuns[n].list)
      const get1 = med(scaleRuns[n].get1)
      const fixed = med(scaleRuns[n].fixed)
      // The list's extra server CPU per request over GET /v1/bdbs/1?fields=uid (same front door,
      // one tiny object), divided by N, is the cost per database: the fixed cost of a request is
      // taken out at both sizes. Per pair of neighbouring slices (the two alternate: ~20 pairs at
      // the small size, one a round at the large), the median of all pairs, as the scrape's
      // target does: a stretch the machine hits hard weighs as one pair of ~20, not as a round of 4.
      // Server CPU, not 1/throughput: with 10,000 databases the answer is ~280 KB and the load
      // generator, decrypting it on one core, is the bottleneck. Without /proc: 1/throughput.
      const perPair = perDatabasePairs(scaleRuns[n].list, scaleRuns[n].fixed, n, opts.duration)
      const perDbUs = median(perPair)
      byN[n] = { list, get1, fixed, perDbUs, perDbPairs: perPair, startMs: median(starts[`mock@${n}`].ms), readyMs: median(starts[`mock@${n}`].readyMs), rssIdle: scaledIdle[n], rssAfter: scaledAfter[n] }
    }
    const [small, large] = config.sizes
    // with ÷ without per round (the two alternated within it), the median of those
    const scrapeRatios = scrapeRuns.with.map((w, r) => w.rps / scrapeRuns.without[r].rps)
    const data = {
      machine,
      config,
      bytesMatch: mismatch.length === 0,
      bytesMismatch: mismatch,
      coldStart: Object.fromEntries(kinds.map(k => [k, median(starts[k].ms)])),
      coldStartSamples: starts,
      load: loadOut,
      memory: { idle, afterLoad, idleSteady, asStartedAfter },
      scale: {
        sizes: config.sizes,
        byN,
        start: Object.fromEntries(config.sizes.map(n => [n, byN[n].startMs])),
        perDbRatio: byN[small].perDbUs > 0 ? byN[large].perDbUs / byN[small].perDbUs : null
      },
      docker,
      metrics: {
        scrapeMs: scrapeSample === null ? null : median(scrapeSample.ms),
        scrapeP99Ms: scrapeSample === null ? null : [...scrapeSample.ms].sort((a, b) => a - b)[Math.ceil(scrapeSample.ms.length * 0.99) - 1],
        scrapeBytes: scrapeSample?.bytes ?? null,
        scrapeDatabases: config.sizes[0],
        listWithScrape: med(scrapeRuns.with),
        listWithoutScrape: med(scrapeRuns.without),
        scrapeRatios,
        // the target: with ÷ without of each pair of neighbouring slices, the median of all pairs
        // (a round the machine hit hard weighs as one pair in ~20, not as one round in four)
        scrapeSliceRatios: scrapeRuns.slices,
        scrapeRatio: median(scrapeRuns.slices)
      }
    }
    data.targets = targets(data)
    if (args['json-out']) writeFileSync(args['json-out'], JSON.stringify(data, null, 2) + '\n')
    process.stdout.write(args.json ? JSON.stringify(data, null, 2) + '\n' : table(data) + '\n')
  } finally {
    for (const s of cleanup) await stop(s)
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch(e => {
  process.stderr.write(`bench failed: ${e.stack ?? e}\n`)
  process.exitCode = 1
})
