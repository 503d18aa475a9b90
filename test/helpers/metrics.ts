// Reading the exporter's Prometheus text in tests: series with their labels, and each family's TYPE.
import type { Store } from '../../src/store/index.js'
import { render, type Page } from '../../src/metrics/render.js'

export interface Series { name: string, labels: Record<string, string>, value: number }
export interface Parsed { series: Series[], types: Map<string, string> }

export function parseExposition (text: string): Parsed {
  const series: Series[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type !== null) { types.set(type[1], type[2]); continue }
    if (line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`not an exposition line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2]
    series.push({ name: m[1], labels, value: m[4] === '+Inf' ? Infinity : Number(m[4]) })
  }
  return { series, types }
}

export const scrape = (store: Store, page: Page = 'v2', nodeUid = 1, pem?: string): Parsed => parseExposition(render(page, { store, nodeUid, pem }).toString())

/** The series NAME whose labels include MATCH. */
export const pick = (p: Parsed, name: string, match: Record<string, string> = {}): Series[] =>
  p.series.filter(s => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))

/** The one value of NAME with MATCH (throws when there is not exactly one). */
export function one (p: Parsed, name: string, match: Record<string, string> = {}): number {
  const found = pick(p, name, match)
  if (found.length !== 1) throw new Error(`${found.length} series ${name} ${JSON.stringify(match)}`)
  return found[0].value
}

export const sum = (p: Parsed, name: string, match: Record<string, string> = {}): number =>
  pick(p, name, match).reduce((a, s) => a + s.value, 0)
