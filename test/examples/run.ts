// Sends the documented request examples (examples.json, written by scripts/gen-examples.mjs) to
// a target and judges each answer against its page: the status is one the page lists (a success
// for a valid example), an error body is RS-shaped, and the keys of the page's example response
// are there with the same JSON types (a capture of RS 8.0 in test/shapes/ wins where it disagrees).
import { readFileSync } from 'node:fs'
import { shape as captured, jsonType, type Shape } from '../helpers/shapes.js'
import { adaptations } from './adapt.js'
import type { Send } from './send.js'
import { buildApp } from '../../src/app.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { ADMIN } from '../helpers/app.js'

const seed = loadSeed(defaultFixturesDir)

export interface Example {
  id: string
  endpoint?: string
  method: string
  path: string
  headers: Record<string, string>
  body?: unknown
  bodyText?: string
  statuses: number[]
  errorCodes: string[]
  response?: Shape
  responseText?: string
}

export const examples = JSON.parse(readFileSync(new URL('examples.json', import.meta.url), 'utf8')) as Example[]

export type { Answer, Send } from './send.js'

/** What went wrong, by kind; an example with no problems passed every check. */
export type Check = 'status' | 'error' | 'keys'
export interface Outcome {
  id: string
  request: string
  status: number
  problems: Partial<Record<Check, string[]>>
  keys: { documented: number, present: number }
  /** the answer's body, for the messages */
  body: string
}

// The captures of RS 8.0 that answer the same request as an example: where the page's example
// and the capture disagree about a key, the capture is what RS sends.
const capturesByEndpoint: Record<string, { file: string, list?: boolean, key?: string }> = {
  'GET /v1/cluster': { file: 'cluster.json' },
  'GET /v1/nodes': { file: 'node_single.json', list: true },
  'GET /v1/nodes/{uid}': { file: 'node_single.json' },
  'GET /v1/license': { file: 'license.json' },
  'GET /v1/ocsp': { file: 'ocsp.json' },
  'GET /v1/bootstrap': { file: 'bootstrap_status.json' },
  'GET /v1/modules': { file: 'modules_list.json', list: true },
  'GET /v1/bdbs': { file: 'bdb_single.json', list: true },
  'GET /v1/bdbs/{uid}': { file: 'bdb_single.json' },
  'GET /v1/shards': { file: 'shards_list.json', list: true },
  'GET /v1/shards/{uid}': { file: 'shards_list.json' },
  'GET /v1/actions': { file: 'actions_list.json' },
  'GET /v1/users': { file: 'user_single.json', list: true },
  'GET /v1/users/{uid}': { file: 'user_single.json' },
  'GET /v1/proxies': { file: 'proxies_list.json', list: true },
  'GET /v1/cluster/alerts': { file: 'cluster_alerts.json' },
  'GET /v1/cluster/alerts/{alert}': { file: 'cluster_alerts.json', key: 'cluster_too_few_nodes_for_replication' },
  'GET /v1/cluster/stats': { file: 'cluster_stats.json' },
  'GET /v1/nodes/stats': { file: 'nodes_stats.json', list: true },
  'GET /v1/nodes/stats/{uid}': { file: 'nodes_stats.json' },
  'GET /v1/bdbs/stats': { file: 'bdbs_stats.json', list: true },
  'GET /v1/bdbs/stats/{uid}': { file: 'bdbs_stats.json' }
}

const numeric = new Set(['integer', 'number'])

/** The page's example shape, with the capture's word where they disagree. */
export function expectedShape (ex: Example): Shape | undefined {
  if (ex.response === undefined) return undefined
  const cap = ex.endpoint === undefined ? undefined : capturesByEndpoint[ex.endpoint]
  if (cap === undefined) return ex.response
  let c = captured(cap.file)
  if (cap.key !== undefined) c = (c as Record<string, Shape>)[cap.key]
  return overrule(ex.response, cap.list === true ? [c] : c)
}

function overrule (doc: Shape, cap: Shape): Shape | undefined {
  // A captured null accepts any value ('null' checks nothing): RS sends null there, the page a value.
  if (typeof cap === 'string') return typeof doc === 'string' ? cap : doc
  if (Array.isArray(doc)) return Array.isArray(cap) && doc.length > 0 && cap.length > 0 ? [overrule(doc[0], cap[0]) ?? doc[0]] : doc
  if (typeof doc !== 'object' || Array.isArray(cap)) return doc
  const out: Record<string, Shape> = {}
  for (const [k, s] of Object.entries(doc)) {
    if (!(k in cap)) continue // RS 8.0 does not send it
    const o = overrule(s, cap[k])
    if (o !== undefined) out[k] = o
  }
  return out
}

/** The documented key paths and their problems in `value`; `[]` stands for the elements of an array. */
export function keyProblems (value: unknown, want: Shape, path = ''): { documented: number, missing: string[] } {
  if (typeof want === 'string') {
    const got = jsonType(value)
    const ok = want === 'null' || got === want || (numeric.has(want) && numeric.has(got)) || value === undefined
    return { documented: 0, missing: ok ? [] : [`${path || '(body)'}: ${want} documented, ${got} sent`] }
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(value)) return { documented: 0, missing: [`${path || '(body)'}: array documented, ${jsonType(value)} sent`] }
    if (want.length === 0 || value.length === 0) return { documented: 0, missing: [] }
    // An element documents keys that some element of the answer must have.
    let best: { documented: number, missing: string[] } | undefined
    for (const el of value) {
      const r = keyProblems(el, want[0], `${path}[]`)
      if (best === undefined || r.missing.length < best.missing.length) best = r
      if (r.missing.length === 0) break
    }
    return best!
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { documented: 0, missing: [`${path || '(body)'}: object documented, ${jsonType(value)} sent`] }
  const obj = value as Record<string, unknown>
  const out = { documented: 0, missing: [] as string[] }
  for (const [k, s] of Object.entries(want)) {
    const p = path === '' ? k : `${path}.${k}`
    out.documented++
    if (!(k in obj)) { out.missing.push(`${p}: missing`); continue }
    const r = keyProblems(obj[k], s, p)
    out.documented += r.documented
    out.missing.push(...r.missing)
  }
  return out
}

const success = (s: number) => s >= 200 && s < 300

/** Sends one example (adapted to the target's ids) and judges the answer. */
export async function runExample (ex: Example, send: Send): Promise<Outcome> {
  const a = adaptations[ex.id] ?? {}
  const vars = a.setup === undefined ? {} : await a.setup(send)
  const fill = (s: string) => s.replace(/%(\w+)%/g, (m, k: string) => vars[k] ?? m)
  const path = fill(a.path ?? ex.path)
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(a.headers ?? {})) headers[k] = fill(v)
  for (const [k, v] of Object.entries(ex.headers)) {
    // Host names the page's cluster: the client sends the target's own.
    if (/^(accept|content-type)$/i.test(k) && /^[a-z]+\/[a-z-]+$/.test(v)) headers[k.toLowerCase()] = v
  }
  const rawBody = a.body !== undefined ? a.body : ex.body
  const body = rawBody === undefined ? undefined : JSON.parse(fill(JSON.stringify(rawBody))) as unknown
  const method = a.method ?? ex.method
  const res = await send(method, path, { headers, ...(body === undefined ? {} : { body }) })
  const problems: Outcome['problems'] = {}
  const add = (c: Check, p: string) => { (problems[c] ??= []).push(p) }
  const documented = ex.statuses.length > 0 ? ex.statuses : [200]
  if (!documented.includes(res.status)) add('status', `${res.status} is not among the documented ${documented.join(', ')}`)
  else if (!success(res.status) && a.expect?.status !== res.status) add('status', `${res.status} for a valid example`)
  else if (success(res.status) && a.expect !== undefined) add('status', `${res.status}, where ${a.expect.status} was expected: ${a.expect.why}`)
  let json: unknown
  try { json = JSON.parse(res.body) } catch { json = undefined }
  if (!success(res.status)) {
    const keys = json !== null && typeof json === 'object' ? Object.keys(json).sort().join(',') : ''
    // Bootstrap reports its errors as a bootstrap status (docs/rs-api-notes.md).
    const shaped = keys === 'description,error_code' || (path.startsWith('/v1/bootstrap') && /error_code/.test(keys))
    if (!/^application\/json/.test(res.contentType) || !shaped) add('error', `the error body is not RS-shaped: ${res.body.slice(0, 120)}`)
    else if (ex.errorCodes.length > 0 && res.status < 500 && !ex.errorCodes.includes((json as { error_code: string }).error_code)) add('error', `error_code ${(json as { error_code: string }).error_code} is not among the documented ${ex.errorCodes.join(', ')}`)
  }
  const want = expectedShape(ex)
  let keys = { documented: 0, present: 0 }
  if (want !== undefined && success(res.status)) {
    const r = json === undefined ? { documented: 1, missing: ['(body): not JSON'] } : keyProblems(json, want)
    // A key sent with another JSON type does not count as present; a body of the wrong kind has none.
    const whole = r.missing.some(m => m.startsWith('(body)'))
    keys = whole ? { documented: Math.max(1, r.documented), present: 0 } : { documented: r.documented, present: r.documented - r.missing.length }
    for (const m of r.missing) add('keys', m)
  }
  return { id: ex.id, request: `${method} ${path}`, status: res.status, problems, keys, body: res.body }
}

/** A fresh mock in this process (default fixtures, transitions at once), reached through inject. */
export async function freshMock (): Promise<{ send: Send, close: () => Promise<void> }> {
  const store = createStore(seed, { transitionDelayMs: 0 })
  const app = await buildApp({ store })
  await app.ready()
  const send: Send = async (method, path, { headers, body }) => {
    const res = await app.inject({ method: method as 'GET', url: path, headers: { authorization: ADMIN, ...headers }, ...(body === undefined ? {} : { payload: body as object }) })
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body }
  }
  return { send, close: () => app.close() }
}

/** Examples that change nothing and need no setup: they can share a mock, or go to a real cluster. */
export const readOnly = (ex: Example) => ex.method === 'GET' && adaptations[ex.id]?.setup === undefined

/** Every example: the read-only ones on one mock, each of the others on a fresh one. */
export async function runAll (): Promise<Outcome[]> {
  const shared = await freshMock()
  const out: Outcome[] = []
  try {
    for (const ex of examples) {
      if (readOnly(ex)) { out.push(await runExample(ex, shared.send)); continue }
      const own = await freshMock()
      try { out.push(await runExample(ex, own.send)) } finally { await own.close() }
    }
  } finally { await shared.close() }
  return out
}

/** The figures block of docs/coverage.md. */
export function renderFigures (outcomes: Outcome[], excepted: Record<string, { checks: Check[] }>): string {
  const statusOk = outcomes.filter(o => o.problems.status === undefined).length
  const fitted = outcomes.filter(o => o.problems.status === undefined && adaptations[o.id]?.expect !== undefined).length
  const errorOk = outcomes.filter(o => o.problems.error === undefined).length
  const documented = outcomes.reduce((n, o) => n + o.keys.documented, 0)
  const present = outcomes.reduce((n, o) => n + o.keys.present, 0)
  const clean = outcomes.filter(o => Object.keys(o.problems).length === 0).length
  const pct = (a: number, b: number) => `${(100 * a / b).toFixed(1)} %`
  return [
    '| figure | value |',
    '|---|---|',
    `| examples sent | ${outcomes.length} |`,
    `| status as documented | ${statusOk} of ${outcomes.length} (${pct(statusOk, outcomes.length)}) |`,
    `| of those, an error the page documents for the state the example finds (\`test/examples/adapt.ts\`) | ${fitted} |`,
    `| error bodies as documented | ${errorOk} of ${outcomes.length} |`,
    `| documented response keys present with their JSON type | ${present} of ${documented} (${pct(present, documented)}) |`,
    `| examples with no difference | ${clean} of ${outcomes.length} |`,
    `| stated exceptions ([differences](differences.md#documented-examples-answered-otherwise)) | ${Object.keys(excepted).length} |`
  ].join('\n')
}
