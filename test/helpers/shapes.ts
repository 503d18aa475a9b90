// Compares a value with a captured response's shape (test/shapes/*.json: key -> JSON type,
// derived from the captured RS 8.0 responses of the reference, which tests never read).
import { readFileSync } from 'node:fs'

export type Shape = string | Shape[] | { [key: string]: Shape }

const shapeDir = new URL('../shapes/', import.meta.url)

export const shape = (file: string): Shape => JSON.parse(readFileSync(new URL(file, shapeDir), 'utf8')) as Shape

export function jsonType (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/**
 * Differences between a value and a captured shape. A "number" key was a float in the capture
 * (JSON.parse turns 0.0 into 0, so integers are accepted there); "object" is a captured `{}`
 * whose content is unknown; an array shape lists the element shapes seen, one must match.
 * `nullable` names paths that were null in the capture but legitimately hold a value here.
 */
export function shapeProblems (value: unknown, want: Shape, path: string, nullable: ReadonlySet<string> = new Set()): string[] {
  const got = jsonType(value)
  if (typeof want === 'string') {
    if (got === want || (want === 'number' && got === 'integer')) return []
    if (want === 'null' && nullable.has(path) && got !== 'object' && got !== 'array') return []
    return [`${path}: expected ${want}, got ${got}`]
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(value)) return [`${path}: expected array, got ${got}`]
    const out: string[] = []
    value.forEach((el, i) => {
      const tries = want.map(alt => shapeProblems(el, alt, `${path}[]`, nullable))
      if (!tries.some(p => p.length === 0)) out.push(`${path}[${i}]: matches no captured element (${tries.map(p => p[0]).join('; ')})`)
    })
    return out
  }
  if (got !== 'object') return [`${path}: expected object, got ${got}`]
  const obj = value as Record<string, unknown>
  const wantKeys = Object.keys(want)
  const gotKeys = Object.keys(obj)
  const missing = wantKeys.filter(k => !(k in obj))
  const extra = gotKeys.filter(k => !(k in want))
  const out: string[] = []
  if (missing.length > 0) out.push(`${path}: missing ${missing.join(', ')}`)
  if (extra.length > 0) out.push(`${path}: unexpected ${extra.join(', ')}`)
  if (missing.length === 0 && extra.length === 0 && wantKeys.join() !== gotKeys.join()) out.push(`${path}: key order differs from the capture`)
  for (const k of wantKeys) {
    if (k in obj) out.push(...shapeProblems(obj[k], want[k], path === '' ? k : `${path}.${k}`, nullable))
  }
  return out
}
