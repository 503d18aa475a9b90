// The Prometheus text exposition format (version 0.0.4): one `# HELP` and `# TYPE` per family,
// then its samples together, as scrapers require; label values escaped, numbers as Go prints them.
import type { MetricType } from './catalog.js'

export type Labels = Record<string, string | number>

interface Family { type: MetricType, help: string, lines: string[] }

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

export function formatValue (v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

function labelText (labels: Labels): string {
  const parts: string[] = []
  for (const k in labels) parts.push(`${k}="${escape(String(labels[k]))}"`)
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

export class Exposition {
  private readonly families = new Map<string, Family>()

  /** Declares a family; samples of an undeclared one are dropped (what the catalog lacks stays out). */
  declare (name: string, type: MetricType, help: string): void {
    if (!this.families.has(name)) this.families.set(name, { type, help, lines: [] })
  }

  has (name: string): boolean { return this.families.has(name) }

  add (name: string, labels: Labels, value: number): void {
    this.families.get(name)?.lines.push(`${name}${labelText(labels)} ${formatValue(value)}`)
  }

  /** A histogram's cumulative buckets (bounds ascending, then +Inf), _sum and _count. */
  histogram (name: string, labels: Labels, bounds: readonly number[], cumulative: readonly number[], sum: number, count: number): void {
    const f = this.families.get(name)
    if (f === undefined) return
    for (let i = 0; i < bounds.length; i++) f.lines.push(`${name}_bucket${labelText({ ...labels, le: bounds[i] })} ${formatValue(cumulative[i])}`)
    f.lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${formatValue(count)}`)
    f.lines.push(`${name}_sum${labelText(labels)} ${formatValue(sum)}`)
    f.lines.push(`${name}_count${labelText(labels)} ${formatValue(count)}`)
  }

  /** The text; a family without samples is left out, as exporters do. */
  text (): string {
    const out: string[] = []
    for (const [name, f] of this.families) {
      if (f.lines.length === 0) continue
      out.push(`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.type}`, ...f.lines)
    }
    out.push('')
    return out.join('\n')
  }
}
