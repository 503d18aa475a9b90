// The Prometheus text exposition format (version 0.0.4): one `# HELP` and `# TYPE` per family,
// then its samples together, as scrapers require; label values escaped, numbers as Go prints them.
//
// A page's text is mostly the same from one scrape to the next: a 100-database cluster is ~25,000
// lines, and only the numbers move. So the renderers' calls (add, histogram) are recorded once as
// a Layout: every line's `name{labels} ` bytes, in the page's order (families together, each after
// its HELP and TYPE), and which value goes after each. A later scrape that makes the same calls,
// same names and same labels in the same order, only collects the numbers and writes them between
// the stored bytes; the first call that differs (an object added, removed or relabelled) makes
// that scrape record a new layout. Most numbers do not move in a second (~1,000 of 25,000 lines
// change): the lines whose number is the last scrape's are copied from its answer, in runs.
// Either way the bytes are those of writing every line anew.
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

/** the longest text formatValue gives (`-1.2345678901234567e-308`) */
const NUMBER_MAX = 24

/** Writes formatValue(V) at POS (ASCII); integers below 1e15 digit by digit, without a string. */
function writeNumber (out: Buffer, pos: number, v: number): number {
  if (Number.isInteger(v) && v > -1e15 && v < 1e15) {
    if (v < 0) {
      out[pos++] = 45 // '-'
      v = -v
    }
    let digits = 1
    for (let p = 10; p <= v; p *= 10) digits++
    let end = pos + digits
    const next = end
    do {
      const q = Math.floor(v / 10)
      out[--end] = 48 + v - q * 10
      v = q
    } while (v > 0)
    return next
  }
  const s = formatValue(v)
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i)
  return pos
}

interface Family { type: MetricType, help: string }

/** A labels object as recorded: its keys in order, their values, its text (without braces). */
interface Shape { keys: string[], values: Array<string | number>, text: string }

function shapeOf (labels: Labels): Shape {
  const keys: string[] = []
  const values: Array<string | number> = []
  let text = ''
  for (const k in labels) {
    const v = labels[k]
    keys.push(k)
    values.push(v)
    text += `${text === '' ? '' : ','}${k}="${escape(String(v))}"`
  }
  return { keys, values, text }
}

/** Whether LABELS has SHAPE's keys in that order, with its values (so the same text). */
function sameShape (labels: Labels, shape: Shape): boolean {
  const { keys, values } = shape
  let i = 0
  for (const k in labels) {
    if (k !== keys[i] || labels[k] !== values[i]) return false
    i++
  }
  return i === keys.length
}

/**
 * A page's recorded calls and the bytes they write, kept from one scrape to the next (render.ts
 * keeps one per page and node), with the last answer written from it.
 */
export class Layout {
  /** each call: its family name, labels and histogram bounds (undefined: one sample) */
  names: string[] = []
  shapes: Shape[] = []
  bounds: Array<readonly number[] | undefined> = []
  /** values per scrape (a call has one, a histogram its buckets, +Inf, sum and count) */
  count = 0
  /** the bytes before each line's number (previous line's newline, HELP and TYPE, name and
   *  labels), all lines in page order in one buffer; line j's are text[starts[j], starts[j + 1]) */
  text: Buffer = Buffer.alloc(0)
  textStarts = new Int32Array(1)
  /** lines in the page */
  lines = 0
  /** each line's index among the values, in call order */
  slots = new Int32Array(0)
  /** bytes of all lines' text */
  size = 0
  /** the last answer written in this layout, each line's number, and where each line starts in it (then its end) */
  last: Buffer | undefined
  lastValues = new Float64Array(0)
  lastStarts = new Int32Array(0)
  nextStarts = new Int32Array(0)
}

export class Exposition {
  private readonly families = new Map<string, Family>()
  private readonly layout: Layout
  /** still matching the layout's calls (false once a call differs, or without a layout) */
  private replaying: boolean
  /** calls made (their index in the layout while replaying) */
  private calls = 0
  /** this scrape's calls once it records */
  private names: string[] = []
  private shapes: Shape[] = []
  private bounds: Array<readonly number[] | undefined> = []
  /** the numbers, in call order (sized for the layout's, grown when recording) */
  private values: Float64Array
  private count = 0
  /** the last labels object seen and its shape */
  private lastLabels: Labels | undefined
  private lastShape: Shape | undefined

  constructor (layout?: Layout) {
    this.layout = layout ?? new Layout()
    this.replaying = layout !== undefined && layout.names.length > 0
    this.values = new Float64Array(Math.max(this.layout.count, 1024))
  }

  /** Declares a family; samples of an undeclared one are dropped (what the catalog lacks stays out). */
  declare (name: string, type: MetricType, help: string): void {
    if (!this.families.has(name)) this.families.set(name, { type, help })
  }

  has (name: string): boolean { return this.families.has(name) }

  /**
   * Whether the call's values follow: it is the layout's next call, or this scrape records (from
   * the first call that differs). False for a family never declared: its samples are dropped.
   */
  private take (name: string, labels: Labels, bounds: readonly number[] | undefined): boolean {
    if (this.replaying) {
      const L = this.layout
      const k = this.calls
      if (L.names[k] === name && L.bounds[k] === bounds) {
        // an object's labels serve all its series (a shard has ~80): compared once
        const shape = L.shapes[k]
        if (labels === this.lastLabels && shape === this.lastShape) {
          this.calls++
          return true
        }
        if (sameShape(labels, shape)) {
          this.lastLabels = labels
          this.lastShape = shape
          this.calls++
          return true
        }
      }
      if (!this.families.has(name)) return false
      this.stopReplaying()
    } else if (!this.families.has(name)) {
      return false
    }
    if (labels !== this.lastLabels || this.lastShape === undefined) {
      this.lastLabels = labels
      this.lastShape = shapeOf(labels)
    }
    this.names.push(name)
    this.shapes.push(this.lastShape)
    this.bounds.push(bounds)
    this.calls++
    return true
  }

  /** From now on this scrape records: the calls so far are the layout's first ones. */
  private stopReplaying (): void {
    const L = this.layout
    const k = this.calls
    this.replaying = false
    this.lastShape = undefined
    this.names = L.names.slice(0, k)
    this.shapes = L.shapes.slice(0, k)
    this.bounds = L.bounds.slice(0, k)
  }

  private push (v: number): void {
    if (this.count === this.values.length) {
      const more = new Float64Array(this.count * 2)
      more.set(this.values)
      this.values = more
    }
    this.values[this.count++] = v
  }

  add (name: string, labels: Labels, value: number): void {
    if (this.take(name, labels, undefined)) this.push(value)
  }

  /** A histogram's cumulative buckets (bounds ascending, then +Inf), _sum and _count; ROUND applies to each bucket. */
  histogram (name: string, labels: Labels, bounds: readonly number[], cumulative: readonly number[], sum: number, count: number, round?: (x: number) => number): void {
    if (!this.take(name, labels, bounds)) return
    for (let i = 0; i < bounds.length; i++) this.push(round === undefined ? cumulative[i] : round(cumulative[i]))
    this.push(count)
    this.push(sum)
    this.push(count)
  }

  /** The answer's bytes; a family without samples is left out, as exporters do. */
  bytes (): Buffer {
    if (this.replaying && this.calls < this.layout.names.length) this.stopReplaying() // the last objects are gone
    if (!this.replaying) this.relayout()
    const L = this.layout
    const { text, textStarts, slots, last, lastValues, lastStarts } = L
    const starts = L.nextStarts
    const values = this.values
    const n = L.lines
    const out = Buffer.allocUnsafe(L.size + n * (NUMBER_MAX + 1) + 1)
    let pos = 0
    /** the first line of the run of unchanged lines being gathered (-1: none) */
    let run = -1
    for (let j = 0; j < n; j++) {
      const v = values[slots[j]]
      if (last !== undefined && v === lastValues[j]) {
        if (run < 0) run = j
        continue
      }
      if (run >= 0) pos = copyRun(last!, lastStarts, starts, run, j, out, pos)
      run = -1
      starts[j] = pos
      pos += text.copy(out, pos, textStarts[j], textStarts[j + 1])
      pos = writeNumber(out, pos, v)
      lastValues[j] = v
    }
    if (run >= 0) pos = copyRun(last!, lastStarts, starts, run, n, out, pos)
    starts[n] = pos
    if (n > 0) out[pos++] = 10
    const answer = out.subarray(0, pos)
    L.last = answer
    L.nextStarts = lastStarts
    L.lastStarts = starts
    return answer
  }

  /** The layout of this scrape's calls: each family's lines together, in declaration order. */
  private relayout (): void {
    const { names, shapes, bounds } = this
    const lines = new Map<string, Array<{ prefix: string, slot: number }>>()
    let v = 0
    for (let i = 0; i < names.length; i++) {
      const name = names[i]
      const text = shapes[i].text
      const b = bounds[i]
      let list = lines.get(name)
      if (list === undefined) lines.set(name, list = [])
      if (b === undefined) {
        list.push({ prefix: text === '' ? `${name} ` : `${name}{${text}} `, slot: v++ })
        continue
      }
      const open = text === '' ? `${name}_bucket{le="` : `${name}_bucket{${text},le="`
      const braced = text === '' ? '' : `{${text}}`
      for (const bound of b) list.push({ prefix: `${open}${bound}"} `, slot: v++ })
      list.push({ prefix: `${open}+Inf"} `, slot: v++ })
      list.push({ prefix: `${name}_sum${braced} `, slot: v++ })
      list.push({ prefix: `${name}_count${braced} `, slot: v++ })
    }
    const texts: string[] = []
    const slots: number[] = []
    for (const [name, f] of this.families) {
      const list = lines.get(name)
      if (list === undefined) continue
      const header = `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`
      for (const [j, line] of list.entries()) {
        texts.push(`${texts.length === 0 ? '' : '\n'}${j === 0 ? header : ''}${line.prefix}`)
        slots.push(line.slot)
      }
    }
    const all = Buffer.from(texts.join(''))
    const textStarts = new Int32Array(texts.length + 1)
    let at = 0
    for (const [j, t] of texts.entries()) {
      textStarts[j] = at
      at += Buffer.byteLength(t)
    }
    textStarts[texts.length] = at
    const n = texts.length
    const L = this.layout
    L.names = names
    L.shapes = shapes
    L.bounds = bounds
    L.count = v
    L.text = all
    L.textStarts = textStarts
    L.lines = n
    L.slots = Int32Array.from(slots)
    L.size = all.length
    L.last = undefined
    L.lastValues = new Float64Array(n)
    L.lastStarts = new Int32Array(n + 1)
    L.nextStarts = new Int32Array(n + 1)
  }
}

/**
 * Copies lines FROM to TO (excluded) of the last answer LAST to OUT at POS: their numbers are the
 * same, so their bytes are. Their starts in OUT go to STARTS; returns the position after them.
 */
function copyRun (last: Buffer, lastStarts: Int32Array, starts: Int32Array, from: number, to: number, out: Buffer, pos: number): number {
  const a = lastStarts[from]
  const b = lastStarts[to]
  const shift = pos - a
  for (let i = from; i < to; i++) starts[i] = lastStarts[i] + shift
  out.set(last.subarray(a, b), pos)
  return pos + b - a
}
