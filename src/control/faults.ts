// Fault injection: rules matched on method, path and user that answer an RS error, add
// latency, drop the connection or hang. `times` and a seeded `probability` keep runs
// reproducible: each rule draws from its own PRNG, seeded by `seed` (default: the rule id).
import { globToRegExp } from './journal.js'
import { badRequest, faultNotFound, invalidSchema, tooManyFaults } from '../base/errors.js'

/** Fault rules that may be active at once unless told otherwise (--max-faults). */
export const DEFAULT_MAX_FAULTS = 100

export interface FaultAction {
  /** answer this status (400-599) with an RS error body */
  status?: number
  error_code?: string
  description?: string
  /** wait this long first (alone: then the request goes on normally) */
  latency_ms?: number
  /** destroy the connection without an answer */
  drop?: boolean
  /** never answer (until the client gives up or the server closes) */
  hang?: boolean
}

export interface FaultRuleInput {
  /** GET, POST, ... or `*`; absent: any */
  method?: string
  /** glob on the path without the query: `*` within a segment, `**` across; absent: any */
  path?: string
  /** a regular expression on the path instead of `path` */
  path_regex?: string
  /** the login of the request's Basic Authorization header */
  user?: string
  action: FaultAction
  /** apply to the first N matching requests only */
  times?: number
  /** apply to each matching request with this probability (0-1), drawn from a seeded PRNG */
  probability?: number
  seed?: number
}

export interface FaultRule extends FaultRuleInput {
  id: number
  /** matching requests seen so far */
  matched: number
  /** requests the action was applied to */
  applied: number
}

interface Active { rule: FaultRule, path?: RegExp, random: () => number }

/** mulberry32: tiny, fast, and the same sequence for the same seed on every platform. */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private rules: Active[] = []
  private nextId = 1

  constructor (readonly max: number) {}

  /** Active rules: 0 lets every request skip matching. */
  get size (): number { return this.rules.length }

  add (input: FaultRuleInput): FaultRule {
    if (this.rules.length >= this.max) throw tooManyFaults(this.max)
    const a = input.action
    const kinds = [a.status !== undefined, a.drop === true, a.hang === true].filter(Boolean).length
    if (kinds > 1) throw invalidSchema('A fault action has at most one of status, drop and hang')
    if (kinds === 0 && a.latency_ms === undefined) throw invalidSchema('A fault action needs status, latency_ms, drop or hang')
    if (input.path !== undefined && input.path_regex !== undefined) throw invalidSchema('Give path or path_regex, not both')
    let path: RegExp | undefined
    try {
      path = input.path_regex !== undefined ? new RegExp(input.path_regex) : input.path !== undefined ? globToRegExp(input.path) : undefined
    } catch (e) {
      throw badRequest(`path_regex is not a regular expression: ${(e as Error).message}`)
    }
    const id = this.nextId++
    const rule: FaultRule = { id, ...structuredClone(input), matched: 0, applied: 0 }
    if (rule.method !== undefined) rule.method = rule.method.toUpperCase()
    this.rules.push({ rule, path, random: mulberry32(input.seed ?? id) })
    return structuredClone(rule)
  }

  list (): FaultRule[] { return this.rules.map(r => structuredClone(r.rule)) }

  get (id: number): FaultRule {
    const found = this.rules.find(r => r.rule.id === id)
    if (found === undefined) throw faultNotFound(id)
    return structuredClone(found.rule)
  }

  remove (id: number): FaultRule {
    const rule = this.get(id)
    this.rules = this.rules.filter(r => r.rule.id !== id)
    return rule
  }

  clear (): number {
    const n = this.rules.length
    this.rules = []
    return n
  }

  /** The first rule that applies to this request, counted; undefined when none does. */
  match (method: string, path: string, user: string | null): FaultRule | undefined {
    for (const { rule, path: re, random } of this.rules) {
      if (rule.times !== undefined && rule.applied >= rule.times) continue
      if (rule.method !== undefined && rule.method !== '*' && rule.method !== method) continue
      if (re !== undefined && !re.test(path)) continue
      if (rule.user !== undefined && rule.user !== user) continue
      rule.matched++
      if (rule.probability !== undefined && random() >= rule.probability) continue
      rule.applied++
      return rule
    }
    return undefined
  }
}
