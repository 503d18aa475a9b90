// Targets and the one printed table.
const MiB = 1 << 20

const fmt = (v, digits = 0) => v === null || v === undefined || Number.isNaN(v)
  ? '–'
  : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0) ? a / b : null
const x = r => r === null ? '–' : `${r.toFixed(2)}×`

export function targets (d) {
  const t = []
  const add = (id, name, measured, ok, shown) => t.push({ id, name, measured, ok: measured === null ? null : ok, shown })
  const listRatio = d.load.list.pairRatio ?? ratio(d.load.list.mock?.rps, d.load.list.fastify?.rps)
  add('list', 'list throughput ≥ 0.85 × bare fastify', listRatio, listRatio >= 0.85, x(listRatio))
  const coldRatio = ratio(d.coldStart.mock, d.coldStart.fastify)
  add('cold', 'cold start ≤ bare fastify', coldRatio, coldRatio <= 1, x(coldRatio))
  const perDb = d.scale.perDbRatio
  add('perDb', `per-database list cost at ${fmt(d.scale.sizes[1])} ≤ 2 × at ${fmt(d.scale.sizes[0])}`, perDb, perDb <= 2, x(perDb))
  const big = d.scale.start[d.scale.sizes[1]] ?? null
  add('start', `start with ${fmt(d.scale.sizes[1])} databases < 1 s`, big, big < 1000, big === null ? '–' : `${fmt(big)} ms`)
  const idle = d.memory.idle.mock ?? null
  // MB as the image size counts it (10^6 bytes): the stricter reading of the target.
  add('rss', 'idle RSS ≤ 70 MB', idle, idle <= 70e6, idle === null ? '–' : `${fmt(idle / 1e6, 1)} MB = ${fmt(idle / MiB, 1)} MiB`)
  const scrape = d.metrics?.scrapeMs ?? null
  add('scrape', `GET /v2 of ${fmt(d.metrics?.scrapeDatabases)} databases ≤ 25 ms`, scrape, scrape <= 25, scrape === null ? '–' : `${fmt(scrape, 1)} ms`)
  const beside = d.metrics?.scrapeRatio ?? ratio(d.metrics?.listWithScrape?.rps, d.metrics?.listWithoutScrape?.rps)
  add('scrapeLoad', 'list throughput with a 1 s scrape ≥ 0.97 × without', beside, beside >= 0.97, x(beside))
  const run = d.docker.runToFirst200Ms ?? null
  add('dockerRun', 'container run → first 200 ≤ 0.5 s', run, run <= 500, run === null ? (d.docker.skipped ?? '–') : `${fmt(run)} ms${typeof d.docker.floorMs === 'number' ? `; the engine's floor ${fmt(d.docker.floorMs)} ms` : ''}`)
  const size = d.docker.imageBytes ?? null
  add('image', 'image ≤ 150 MB', size, size <= 150e6, size === null ? (d.docker.skipped ?? '–') : `${fmt(size / 1e6, 1)} MB`)
  return t
}

const mark = t => t === undefined ? '' : `${t.ok === null ? '?' : t.ok ? '✓' : '✗'} ${t.name} (${t.shown})`

export function table (d) {
  const T = Object.fromEntries(d.targets.map(t => [t.id, t]))
  const rows = []
  const kinds = ['https', 'fastify', 'mock']
  const triple = (label, get, digits = 0, target) => {
    const v = Object.fromEntries(kinds.map(k => [k, get(k)]))
    const r = k => ratio(v.mock, v[k])
    rows.push([label, fmt(v.https, digits), fmt(v.fastify, digits), fmt(v.mock, digits), x(r('https')), x(r('fastify')), mark(target)])
  }
  const mockOnly = (label, value, target) => rows.push([label, '', '', value, '', '', mark(target)])
  const sep = title => rows.push([title, '', '', '', '', '', ''])

  triple(`cold start: spawn → first 200 GET /v1/bdbs (ms, median of ${d.config.coldStarts})`, k => d.coldStart[k], 1, T.cold)
  for (const [key, label] of [['list', 'GET /v1/bdbs?fields=uid,name'], ['get1', 'GET /v1/bdbs/1'], ['cluster', 'GET /v1/cluster'], ['unauth', '401 (unknown user)']]) {
    if (d.load[key] === undefined) continue
    sep(label)
    triple('  throughput (req/s)', k => d.load[key][k]?.rps, 0, key === 'list' ? T.list : undefined)
    const pr = d.load[key].pairRatios
    if (pr) rows.push(['  mock ÷ fastify per round', '', '', '', '', pr.map(r => r.toFixed(2)).join(' '), ''])
    const tr = d.load[key].turnRatios
    if (tr) rows.push([`  mock ÷ fastify per turn (median of ${tr.length})`, '', '', '', '', x(d.load[key].pairRatio), ''])
    const as = key === 'list' ? d.load.list.asStarted : undefined
    if (as !== undefined && as.rps !== undefined) {
      rows.push(['  mock as its command starts by default (req/s, CPU µs per request)', '', '', `${fmt(as.rps)}, ${fmt(as.cpuUs, 1)}`, '', '', ''])
      rows.push(['    ÷ the mock with --no-memory-reducer, per round (median)', '', '', `${as.ratios.map(r => r.toFixed(2)).join(' ')} (${x(as.ratio)})`, '', '', ''])
    }
    triple('  latency p50 (ms)', k => d.load[key][k]?.p50, 1)
    triple('  latency p99 (ms)', k => d.load[key][k]?.p99, 1)
    triple('  server CPU per request (µs)', k => d.load[key][k]?.cpuUs, 1)
  }
  const p = d.load.pairs
  mockOnly('create+delete pairs (pairs/s)', p.supported ? fmt(p.pairsPerSec, 0) : 'n/a (not served)')
  if (p.supported) mockOnly('  pair request latency p50 / p99 (ms)', `${fmt(p.p50)} / ${fmt(p.p99)}`)
  triple('RSS idle after start (MiB)', k => d.memory.idle[k] / MiB, 1, T.rss)
  if (d.memory.idleSteady !== undefined) mockOnly('  RSS idle, mock with --no-memory-reducer (MiB)', fmt(d.memory.idleSteady / MiB, 1))
  triple('RSS after the load (MiB)', k => d.memory.afterLoad[k] / MiB, 1)
  if (p.supported) mockOnly('  RSS after create+delete load (MiB)', fmt(p.rssAfter / MiB, 1))

  const [small, large] = d.scale.sizes
  sep(`scale (mock): ${fmt(small)} vs ${fmt(large)} databases`)
  for (const n of d.scale.sizes) {
    const s = d.scale.byN[n]
    mockOnly(`  ${fmt(n)} dbs: list req/s, p50/p99 ms`, `${fmt(s.list.rps)}, ${fmt(s.list.p50)}/${fmt(s.list.p99)}`)
    mockOnly(`  ${fmt(n)} dbs: GET /v1/bdbs/1 req/s, p50/p99 ms`, `${fmt(s.get1.rps)}, ${fmt(s.get1.p50)}/${fmt(s.get1.p99)}`)
    mockOnly(`  ${fmt(n)} dbs: GET /v1/bdbs/1?fields=uid req/s (fixed cost)`, fmt(s.fixed.rps))
    mockOnly(`  ${fmt(n)} dbs: server CPU per request, list / fixed (µs)`, `${fmt(s.list.cpuUs, 1)} / ${fmt(s.fixed.cpuUs, 1)}`)
    const pairsOf = s.perDbPairs === undefined ? '' : `, median of ${s.perDbPairs.length} pair${s.perDbPairs.length === 1 ? '' : 's'} of loads`
    mockOnly(`  ${fmt(n)} dbs: per-database list cost (µs of server CPU${pairsOf})`, fmt(s.perDbUs, 4))
    mockOnly(`  ${fmt(n)} dbs: start → ready line / first 200 GET /v1/bdbs/1 (ms)`, `${fmt(s.readyMs)} / ${fmt(s.startMs)}`,
      n === large ? T.start : undefined)
    mockOnly(`  ${fmt(n)} dbs: RSS idle / after load (MiB)`, `${fmt(s.rssIdle / MiB, 1)} / ${fmt(s.rssAfter / MiB, 1)}`)
  }
  mockOnly(`  per-database cost ratio ${fmt(large)} ÷ ${fmt(small)}`, x(d.scale.perDbRatio), T.perDb)
  const mt = d.metrics
  if (mt !== undefined) {
    sep('metrics exporter (mock)')
    mockOnly(`  GET /v2 of ${fmt(mt.scrapeDatabases)} databases, kept-alive: median / p99 (ms), bytes`, `${fmt(mt.scrapeMs, 1)} / ${fmt(mt.scrapeP99Ms, 1)}, ${fmt(mt.scrapeBytes)}`, T.scrape)
    mockOnly('  list req/s without / with a 1 s scrape', `${fmt(mt.listWithoutScrape?.rps)} / ${fmt(mt.listWithScrape?.rps)}`, T.scrapeLoad)
    if (mt.scrapeRatios !== undefined) mockOnly('    with ÷ without per round (1 s slices alternated)', mt.scrapeRatios.map(r => r.toFixed(2)).join(' '))
    if (mt.scrapeSliceRatios !== undefined) mockOnly(`    with ÷ without per pair of slices (median of ${mt.scrapeSliceRatios.length})`, x(mt.scrapeRatio))
  }
  const dk = d.docker
  sep('docker')
  mockOnly('  image size (MB)', dk.skipped ? `skipped: ${dk.skipped}` : fmt(dk.imageBytes / 1e6, 1), T.image)
  mockOnly(`  docker run → first 200 (ms${dk.samples ? `, median of ${dk.samples.length}` : ''})`, dk.skipped ? 'skipped' : fmt(dk.runToFirst200Ms), T.dockerRun)
  if (typeof dk.floorMs === 'number') mockOnly(`    the engine's floor: bare node:https from the same image (ms, median of ${dk.floorSamples.length})`, fmt(dk.floorMs))

  const head = ['measure', 'bare https', 'bare fastify', 'mock', 'mock ÷ https', 'mock ÷ fastify', 'target']
  const w = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = r => r.map((c, i) => i === 0 || i === 6 ? c.padEnd(w[i]) : c.padStart(w[i])).join(' | ').trimEnd()
  // A GET answered with errors measures the error path, not the route: say so above the table.
  const failed = ['list', 'get1'].flatMap(key => kinds.filter(k => (d.load[key][k]?.non2xx ?? 0) + (d.load[key][k]?.errors ?? 0) > 0).map(k => `${key} on ${k}`))
  const m = d.machine
  const out = [
    `redis-enterprise-mock benchmark (${d.config.mode}): ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.platform}`,
    `servers ${m.pinning.pinned ? `pinned to CPU ${m.pinning.serverCpu}, ${d.config.loadGenerator ?? 'autocannon'} on CPU ${m.pinning.clientCpu}` : `not pinned (${m.pinning.why})`}; ` +
      `${d.config.rounds} interleaved round(s) × ${d.config.duration} s per load${(d.config.processes ?? 1) > 1 ? ` shared by ${d.config.processes} processes of each server` : ''}, ${d.config.connections} connections; medians over rounds`,
    'servers under load run with node --no-memory-reducer (docs/performance.md); idle RSS is each server as started by default',
    `responses: baselines serve the mock's bytes (${d.bytesMatch ? 'verified identical' : 'MISMATCH: ' + d.bytesMismatch.join(', ')})`,
    ...(failed.length > 0 ? [`WARNING: non-2xx answers or errors under load (${failed.join(', ')}): those rows do not measure the route`] : []),
    '',
    line(head),
    w.map(n => '-'.repeat(n)).join('-|-'),
    ...rows.map(line),
    '',
    'targets:',
    ...d.targets.map(t => `  ${mark(t)}`)
  ]
  return out.join('\n')
}
