// The Prometheus text exposition format (version 0.0.4): one `# HELP` and `# TYPE` per family,
// then its samples together, as scrapers require; label values escaped, numbers as Go prints them.
// Samples are written as bytes into one growing buffer per family, not built as strings: a
// 100-database cluster is ~25,000 lines, and strings that size kept the collector busy longer than
// the rendering itself (docs/performance.md).
import type { MetricType } from './catalog.js'

export type Labels = Record<string, string | number>

const SPECIAL = /[\\"\n]/
const escape = (v: string): string => SPECIAL.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

export function formatValue (v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

// An object's labels serve all its metrics (a shard has ~80): their text is made once per object.
const texts = new WeakMap<Labels, string>()

/** `k="v",k="v"`, without braces. */
function labelText (labels: Labels): string {
  let text = texts.get(labels)
  if (text === undefined) {
    text = ''
    for (const k in labels) text += `${text === '' ? '' : ','}${k}="${escape(String(labels[k]))}"`
    texts.set(labels, text)
  }
  return text
}

/** Bytes appended to a buffer that doubles when full. */
class Sink {
  buf = Buffer.allocUnsafe(1024)
  len = 0

  write (s: string): void {
    const need = this.len + s.length * 3
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2))
      this.buf.copy(next, 0, 0, this.len)
      this.buf = next
    }
    this.len += this.buf.write(s, this.len)
  }
}

interface Family { type: MetricType, help: string, sink?: Sink }

export class Exposition {
  private readonly families = new Map<string, Family>()

  /** Declares a family; samples of an undeclared one are dropped (what the catalog lacks stays out). */
  declare (name: string, type: MetricType, help: string): void {
    if (!this.families.has(name)) this.families.set(name, { type, help })
  }

  has (name: string): boolean { return this.families.has(name) }

  private sink (name: string): Sink | undefined {
    const f = this.families.get(name)
    if (f === undefined) return undefined
    return (f.sink ??= new Sink())
  }

  // one write per line: each Buffer.write is a native call, and a line is a few short strings
  add (name: string, labels: Labels, value: number): void {
    const s = this.sink(name)
    if (s === undefined) return
    const text = labelText(labels)
    s.write(text === '' ? `${name} ${formatValue(value)}\n` : `${name}{${text}} ${formatValue(value)}\n`)
  }

  /** A histogram's cumulative buckets (bounds ascending, then +Inf), _sum and _count. */
  histogram (name: string, labels: Labels, bounds: readonly number[], cumulative: readonly number[], sum: number, count: number): void {
    const s = this.sink(name)
    if (s === undefined) return
    const text = labelText(labels)
    const open = text === '' ? `${name}_bucket{le="` : `${name}_bucket{${text},le="`
    const braced = text === '' ? '' : `{${text}}`
    let out = ''
    for (let i = 0; i < bounds.length; i++) out += `${open}${bounds[i]}"} ${formatValue(cumulative[i])}\n`
    s.write(`${out}${open}+Inf"} ${formatValue(count)}\n${name}_sum${braced} ${formatValue(sum)}\n${name}_count${braced} ${formatValue(count)}\n`)
  }

  /** The answer's bytes; a family without samples is left out, as exporters do. */
  bytes (): Buffer {
    const parts: Buffer[] = []
    for (const [name, f] of this.families) {
      if (f.sink === undefined) continue
      parts.push(Buffer.from(`# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`), f.sink.buf.subarray(0, f.sink.len))
    }
    return Buffer.concat(parts)
  }
}
