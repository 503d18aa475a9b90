// The Prometheus text exposition format (version 0.0.4): one `# HELP` and `# TYPE` per family,
// then its samples together, as scrapers require; label values escaped, numbers as Go prints them.
//
// A page's text is mostly the same from one scrape to the next: a 100-database cluster is ~25,000
// lines, and only the numbers move. So the renderers' calls (add, histogram) are recorded once as
// a Layout: every line's `name{labels} ` bytes, in the page's order (families together, each after
// its HELP and TYPE), and which value goes after each. A later scrape that makes the same calls,
// same names and same label texts in the same order, only collects the numbers and writes them
// between the stored bytes; the first call that differs (an object added, removed or relabelled)
// makes that scrape record a new layout. Either way the bytes are the same as writing every line.
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

/**
 * A page's recorded calls and the bytes they write, kept from one scrape to the next (render.ts
 * keeps one per page and node). An Exposition given a layout reuses it while the calls match, and
 * records it again when they do not.
 */
export class Layout {
  /** each call: its family name, labels (the object recorded, its keys in order, its text), histogram bounds (undefined: one sample) */
  names: string[] = []
  labels: Labels[] = []
  keys: string[][] = []
  texts: string[] = []
  bounds: Array<readonly number[] | undefined> = []
  /** each line in page order: the bytes before its number (previous line's newline, HELP and TYPE, name and labels) */
  segments: Uint8Array[] = []
  /** each line's index among the values, in call order */
  slots = new Int32Array(0)
  /** bytes of all segments */
  size = 0
}

/** Whether LABELS has the keys KEYS in that order, with the values of RECORDED (so the same text). */
function sameLabels (labels: Labels, keys: readonly string[], recorded: Labels): boolean {
  let i = 0
  for (const k in labels) {
    if (k !== keys[i] || labels[k] !== recorded[k]) return false
    i++
  }
  return i === keys.length
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
  private labels: Labels[] = []
  private keys: string[][] = []
  private texts: string[] = []
  private bounds: Array<readonly number[] | undefined> = []
  /** the numbers, in call order (a histogram's buckets, +Inf, sum and count) */
  private readonly values: number[] = []
  /** the last labels seen and what they matched (replaying) or their keys and text (recording) */
  private lastLabels: Labels | undefined
  private lastMatch: Labels | undefined
  private lastKeys: string[] = []
  private lastText = ''

  constructor (layout?: Layout) {
    this.layout = layout ?? new Layout()
    this.replaying = layout !== undefined && layout.names.length > 0
  }

  /** Declares a family; samples of an undeclared one are dropped (what the catalog lacks stays out). */
  declare (name: string, type: MetricType, help: string): void {
    if (!this.families.has(name)) this.families.set(name, { type, help })
  }

  has (name: string): boolean { return this.families.has(name) }

  /** Whether LABELS write the same text as the recorded labels of call K (an object's labels serve all its ~80 series). */
  private matchLabels (labels: Labels, k: number): boolean {
    const L = this.layout
    const recorded = L.labels[k]
    if (labels === this.lastLabels && recorded === this.lastMatch) return true
    if (!sameLabels(labels, L.keys[k], recorded)) return false
    this.lastLabels = labels
    this.lastMatch = recorded
    return true
  }

  /** Records LABELS: their keys and text, made once per object. */
  private recordLabels (labels: Labels): void {
    if (labels !== this.lastLabels || this.lastMatch !== undefined) {
      const keys: string[] = []
      let text = ''
      for (const k in labels) {
        keys.push(k)
        text += `${text === '' ? '' : ','}${k}="${escape(String(labels[k]))}"`
      }
      this.lastLabels = labels
      this.lastMatch = undefined
      this.lastKeys = keys
      this.lastText = text
    }
    this.labels.push(labels)
    this.keys.push(this.lastKeys)
    this.texts.push(this.lastText)
  }

  /**
   * Whether the call's values follow: it is the layout's next call, or this scrape records (from
   * the first call that differs). False for a family never declared: its samples are dropped.
   */
  private take (name: string, labels: Labels, bounds: readonly number[] | undefined): boolean {
    if (this.replaying) {
      const L = this.layout
      const k = this.calls
      if (L.names[k] === name && L.bounds[k] === bounds && this.matchLabels(labels, k)) {
        this.calls++
        return true
      }
      if (!this.families.has(name)) return false
      this.stopReplaying()
    } else if (!this.families.has(name)) {
      return false
    }
    this.names.push(name)
    this.recordLabels(labels)
    this.bounds.push(bounds)
    this.calls++
    return true
  }

  /** From now on this scrape records: the calls so far are the layout's first ones. */
  private stopReplaying (): void {
    const L = this.layout
    const k = this.calls
    this.replaying = false
    this.lastLabels = undefined
    this.names = L.names.slice(0, k)
    this.labels = L.labels.slice(0, k)
    this.keys = L.keys.slice(0, k)
    this.texts = L.texts.slice(0, k)
    this.bounds = L.bounds.slice(0, k)
  }

  add (name: string, labels: Labels, value: number): void {
    if (this.take(name, labels, undefined)) this.values.push(value)
  }

  /** A histogram's cumulative buckets (bounds ascending, then +Inf), _sum and _count; ROUND applies to each bucket. */
  histogram (name: string, labels: Labels, bounds: readonly number[], cumulative: readonly number[], sum: number, count: number, round?: (x: number) => number): void {
    if (!this.take(name, labels, bounds)) return
    const values = this.values
    for (let i = 0; i < bounds.length; i++) values.push(round === undefined ? cumulative[i] : round(cumulative[i]))
    values.push(count, sum, count)
  }

  /** The answer's bytes; a family without samples is left out, as exporters do. */
  bytes (): Buffer {
    if (this.replaying && this.calls < this.layout.names.length) this.stopReplaying() // the last objects are gone
    if (!this.replaying) this.relayout()
    const { segments, slots, size } = this.layout
    const values = this.values
    const n = segments.length
    const out = Buffer.allocUnsafe(size + n * (NUMBER_MAX + 1))
    let pos = 0
    for (let j = 0; j < n; j++) {
      const s = segments[j]
      out.set(s, pos)
      pos = writeNumber(out, pos + s.length, values[slots[j]])
    }
    if (n > 0) out[pos++] = 10
    return out.subarray(0, pos)
  }

  /** The layout of this scrape's calls: each family's lines together, in declaration order. */
  private relayout (): void {
    const { names, texts, bounds } = this
    const lines = new Map<string, Array<{ prefix: string, slot: number }>>()
    let v = 0
    for (let i = 0; i < names.length; i++) {
      const name = names[i]
      const text = texts[i]
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
    const texts2: string[] = []
    const slots: number[] = []
    for (const [name, f] of this.families) {
      const list = lines.get(name)
      if (list === undefined) continue
      const header = `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`
      for (const [j, line] of list.entries()) {
        texts2.push(`${texts2.length === 0 ? '' : '\n'}${j === 0 ? header : ''}${line.prefix}`)
        slots.push(line.slot)
      }
    }
    const all = Buffer.from(texts2.join(''))
    const segments: Uint8Array[] = []
    let at = 0
    for (const t of texts2) {
      const len = Buffer.byteLength(t)
      segments.push(all.subarray(at, at + len))
      at += len
    }
    const L = this.layout
    L.names = names
    L.labels = this.labels
    L.keys = this.keys
    L.texts = texts
    L.bounds = bounds
    L.segments = segments
    L.slots = Int32Array.from(slots)
    L.size = all.length
  }
}
