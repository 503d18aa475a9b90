// `node scripts/gen-metrics.mjs DIR`: writes src/metrics/catalog.ts, the metric table of the
// exporter, from RS's published metrics pages in DIR (prometheus-metrics-v2.md,
// prometheus-metrics-v1.md and prometheus-metrics-transition-plan.md, as on the RS docs site).
// Every name, type, unit, section and documented condition ("returned only when there is
// traffic") comes from the pages; the exporter decides the values. `--check` writes nothing and
// exits 1 when the file is not what this would write.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args, positionals } = parseArgs({ options: { check: { type: 'boolean' } }, allowPositionals: true })
if (positionals.length !== 1) {
  process.stderr.write('usage: node scripts/gen-metrics.mjs [--check] DIR (the directory of the RS metrics pages)\n')
  process.exit(2)
}
const dir = positionals[0]
const out = join(root, 'src', 'metrics', 'catalog.ts')

const clean = cell => cell.replace(/<span[^>]*>/g, '').replace(/<\/span>/g, '').replace(/<br \/>/g, ' ').replace(/<sup>.*?<\/sup>/g, '').replace(/\s+/g, ' ').trim()

/** The rows of every table of a page, each with the `## ` section it sits in. */
function tables (file) {
  const rows = []
  let section = ''
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).replace(/ metrics$/i, '').trim().toLowerCase()
    if (!line.startsWith('|') || /^\|\s*:?-+/.test(line)) continue
    const cells = line.slice(1, line.lastIndexOf('|')).split(' | ').map(c => c.replace(/^\s*\|?\s*|\s*\|?\s*$/g, ''))
    if (/^(Metric|V1(&nbsp;| )metric)$/.test(clean(cells[0]))) continue
    rows.push({ section, cells })
  }
  return rows
}

/** What the description says about when the metric appears. */
function conditions (help) {
  const only = []
  if (/only when there is traffic/i.test(help)) only.push('traffic')
  if (/only when BigRedis is enabled|Only for databases with Auto Tiering/i.test(help)) only.push('bigredis')
  if (/appears only if (its value is larger than 0|`\w+` fields exist)/.test(help)) only.push('positive')
  return only
}

const v2 = []
const v2Names = new Set()
for (const { section, cells } of tables('prometheus-metrics-v2.md')) {
  const [rawName, type, unit, rawHelp] = cells
  const help = clean(rawHelp)
  const named = clean(rawName)
  const name = named.replace(/\{.*$/, '')
  // "generation{node=<node_uid>}" and "Labels: shard_uid, role" name labels of their own
  const labels = [...(named.match(/\{(.*)\}/)?.[1] ?? '').matchAll(/(\w+)=/g)].map(m => m[1])
  for (const l of /Labels: ([\w, ]+)/.exec(help)?.[1].split(',') ?? []) labels.push(l.trim())
  const only = conditions(help)
  if (/tnote/.test(rawHelp)) only.push('search')
  // the _bucket rows repeat their histogram: the family is the name without the suffix
  if (name.endsWith('_bucket') && v2Names.has(name.slice(0, -7))) continue
  v2Names.add(name)
  v2.push({ name, type, unit: unit === '—' ? '' : unit, section, help: help.replace(/ p99\.9 example:.*$/, ''), labels, only })
}

const v1 = []
for (const { section, cells } of tables('prometheus-metrics-v1.md')) {
  const help = clean(cells[1])
  v1.push({ name: clean(cells[0]), section, help, only: conditions(help) })
}

// v2 names the PromQL of the transition table and of the v2 page's own examples uses that the v2
// table does not list (db_memory_limit_bytes, node_cpu_seconds_total, ...): dashboards query them.
const FUNCTIONS = new Set(['sum', 'avg', 'max', 'min', 'count', 'by', 'on', 'rate', 'irate', 'increase', 'bool', 'histogram_quantile', 'label_replace', 'max_over_time', 'group_left', 'without'])
const referenced = new Map()
// the transition table's column is all PromQL; the v2 descriptions also quote prose (`n_accepted / N`)
const queries = [
  ...tables('prometheus-metrics-transition-plan.md').map(r => [r.cells[1], false]),
  ...tables('prometheus-metrics-v2.md').map(r => [r.cells[3], true])
]
for (const [cell, prose] of queries) {
  for (const [, expr] of clean(cell).matchAll(/`([^`]+)`/g)) {
    if (prose && !expr.includes('(')) continue
    const plain = expr.replace(/\{[^}]*\}/g, '{}').replace(/\b(by|on)\s*\([^)]*\)/g, '').replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '[]')
    for (const m of plain.matchAll(/(?<![$\w])([a-zA-Z_][a-zA-Z0-9_]*)(\s*\{\}|\s*\[\])?/g)) {
      let name = m[1]
      if (FUNCTIONS.has(name) || !name.includes('_')) continue
      const histogram = /_(bucket|sum|count)$/.test(name) && name.includes('histogram')
      if (histogram) name = name.replace(/_(bucket|sum|count)$/, '')
      if (v2Names.has(name) || v1.some(r => r.name === name)) continue
      const counted = histogram ? 'histogram' : new RegExp(`rate\\(\\s*${name}\\b`).test(plain) || name.endsWith('_total') ? 'counter' : 'gauge'
      const seen = referenced.get(name)
      if (seen === undefined || (seen.type === 'gauge' && counted !== 'gauge')) referenced.set(name, { name, type: counted })
    }
  }
}

// TypeScript literals in the project's style (single quotes, spaced braces): the file passes lint
const literal = v => Array.isArray(v)
  ? `[${v.map(literal).join(', ')}]`
  : typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v)
const rows = list => list.map(r => `  { ${Object.entries(r).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`).join(',\n')
const text = `// Generated by scripts/gen-metrics.mjs from RS's Prometheus metrics pages (v2, v1 and the v1 → v2
// transition table): do not edit. \`only\` is the page's own condition for a metric to appear.
export type MetricType = 'counter' | 'gauge' | 'histogram'
export type Condition = 'traffic' | 'bigredis' | 'positive' | 'search'

export interface V2Metric { name: string, type: MetricType, unit: string, section: string, help: string, labels: string[], only: Condition[] }
export interface V1Metric { name: string, section: string, help: string, only: Condition[] }
export interface ReferencedMetric { name: string, type: MetricType }

export const V2_METRICS: readonly V2Metric[] = [
${rows(v2)}
]

export const V1_METRICS: readonly V1Metric[] = [
${rows(v1)}
]

/** v2 names the pages' PromQL queries (transition table, v2 examples) that the v2 table does not list */
export const V2_REFERENCED: readonly ReferencedMetric[] = [
${rows([...referenced.values()].sort((a, b) => a.name.localeCompare(b.name)))}
]
`

if (args.check) {
  let current = ''
  try { current = readFileSync(out, 'utf8') } catch {}
  if (current !== text) {
    process.stderr.write('src/metrics/catalog.ts is not what scripts/gen-metrics.mjs writes: run it\n')
    process.exit(1)
  }
} else {
  writeFileSync(out, text)
  process.stdout.write(`src/metrics/catalog.ts: ${v2.length} v2 metrics, ${v1.length} v1 metrics, ${referenced.size} more v2 names the pages' PromQL queries\n`)
}
