// Issue 8: a corpus of bad requests generated from the route table (app.apiRoutes) and each
// route's schemas, across every route. Every case must get a 4xx with exactly {error_code,
// description} (the one sanctioned exception: 505 unsupported_api_version, docs/decisions.md #1), the
// server must keep answering, and the exported state must be byte-identical afterwards.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { Ajv, type SchemaObject } from 'ajv'
import { buildTestApp } from '../helpers/app.js'
import { ADMIN_BASIC, httpRequest, rawExchange, rsErrorProblem, startTestServer } from '../helpers/raw.js'
import { MAX_JSON_DEPTH } from '../../src/http/json-body.js'
import { DEFAULT_BODY_LIMIT } from '../../src/app.js'

type Route = { method: string, url: string, access?: string, schema?: { body?: unknown, querystring?: unknown } }
interface Case { family: string, method: string, url: string, headers?: Record<string, string | string[]>, payload?: string | Buffer }

const T0 = Date.parse('2026-03-01T12:00:00Z')
const BODY_METHODS = new Set(['POST', 'PUT', 'DELETE'])
const OPTIONAL_BODY = new Set(['/v1/users/authorize', '/v1/users/refresh_jwt'])
const HUGE = 100_000
// Routes that take an absent or null body as "no settings" by design (users.ts optionalBody).
const NULL_BODY_OK = new Set(['POST /v1/users/authorize', 'POST /v1/users/refresh_jwt', 'POST /v1/cluster/certificates/rotate'])
// Routes whose empty object is a valid request (nothing to change, a token, a validation report, rotate them all).
const EMPTY_OBJECT_OK = new Set(['POST /v1/users/authorize', 'POST /v1/redis_acls/validate', 'POST /v1/cluster/certificates/rotate'])

const INT_PARAM = ['abc', '-1', '1.5', '1e3', '0x1F', '%00', '%ZZ', '9'.repeat(400), '%201', '%EF%BC%91', '1%2F2', '__proto__', '1;a=b']
const STR_PARAM = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '%ZZ', 'x'.repeat(500), '%C0%AF', '..%2f..%2f', 'a%00b', '%E0%A4%A']
const UNKNOWN_KEYS = ['no_such_field', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '__defineGetter__', 'x'.repeat(HUGE), '', ' name', 'NAME']

/** The route's URL with its parameters filled: integer uids that no object has, `value` elsewhere. */
function fill (url: string, value?: { param: number, text: string }): string {
  let i = 0
  return url.replace(/:\w+(\([^)]*\))?/g, (_, re?: string) => {
    const mine = value !== undefined && value.param === i++
    if (mine) return value.text
    return re?.includes('\\d') === true ? '999999' : 'hostile-probe'
  })
}

function pathCases (r: Route): Case[] {
  const out: Case[] = []
  const params = [...r.url.matchAll(/:\w+(\([^)]*\))?/g)]
  params.forEach((m, param) => {
    for (const text of m[1]?.includes('\\d') === true ? INT_PARAM : STR_PARAM) out.push({ family: 'path parameter', method: r.method, url: fill(r.url, { param, text }) })
  })
  const base = fill(r.url)
  const variants = [
    base + '/', base.replace(/^\/(\w+)\//, '//$1/'), base.replace(/\/([a-z_]+)/, (s) => s.toUpperCase()), `${base};jsessionid=1`,
    `${base}%00`, `${base}/${'x'.repeat(3000)}`, base.replace(/^(\/\w+)\//, '$1%2F')
  ]
  // Not here: `.`/`..` segments (inject, like curl, removes them) and percent-encoded letters
  // (they decode to the same route, as in Envoy): test/access/auth-bypass.test.ts sends both raw.
  for (const url of variants) out.push({ family: 'path variant', method: r.method, url })
  // A long query string on a path that does not exist: handled, not a 414 from a parser.
  out.push({ family: 'long query', method: r.method, url: `${base}/nope?${'q=x&'.repeat(1500)}` })
  out.push({ family: 'long query', method: r.method, url: `${base}/nope?fields=${'a,'.repeat(3000)}&${'%ZZ'.repeat(100)}` })
  return out
}

function headerCases (r: Route): Case[] {
  // The health route answers without credentials by design (Docker HEALTHCHECK).
  if (r.url === '/_mock/health') return []
  const url = fill(r.url)
  const c = (headers: Record<string, string | string[]>, payload?: string): Case => ({ family: 'headers', method: r.method, url, headers, payload })
  const auth = [
    '', 'Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Bearer', 'Bearer a.b.c', 'Digest abc',
    `Basic ${Buffer.from('admin@redis.local:admin\u0001').toString('base64')}`, `Basic ${'A'.repeat(8000)}`, 'JWT eyJhbGciOiJub25lIn0.e30.'
  ].map(authorization => c({ authorization }))
  // The control API checks a Basic password itself: a wrong one would count toward the lockout.
  if (r.access === 'control') return [...auth.filter(k => !String(k.headers?.authorization).startsWith('Basic YWRtaW')), c({ 'x-mock-control-token': 'wrong' }), c({ authorization: 'Bearer wrong-token' })]
  const body = '{}'
  return [
    ...auth,
    ...['text/html', 'application/xml', 'application/json;q=0', 'image/*', 'text/*;q=1'].map(accept => c({ accept })),
    ...['v99', 'abc', '3', '1; drop', r.url.startsWith('/v1/') ? '2' : '1', ''].map(v => c({ 'x-api-version': v })),
    c({ 'x-api-version': ['1', '2'] }),
    ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-seq', 'json']
      .map(type => c({ 'content-type': type }, body))
  ]
}

const deep = (n: number, open: string, close: string) => open.repeat(n) + '1' + close.repeat(n)

function parseCases (r: Route, bodyLimit: number): Case[] {
  if (!BODY_METHODS.has(r.method)) return []
  const url = fill(r.url)
  const c = (payload: string | Buffer, family = 'malformed body'): Case => ({ family, method: r.method, url, payload, headers: { 'content-type': 'application/json' } })
  const texts = ['{"a":', '{', '[1,2', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '{} x', '\u0000', '{"a":1}}', '{"a" 1}', '[}', '"\\x"', '01', '{"a":tru}']
  const out = texts.map(p => c(p))
  // /_mock/, routes without a body schema and the optional token bodies take an empty body as none.
  if (r.access !== 'control' && r.schema?.body !== undefined && !OPTIONAL_BODY.has(r.url)) out.push(c(''))
  out.push(c(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'invalid UTF-8'))
  out.push(c(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')]), 'invalid UTF-8'))
  out.push(c(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0xff]), 'invalid UTF-8'))
  for (const p of ['{"__proto__":{"polluted":1}}', '{"a":{"__proto__":{"x":1}}}', '{"constructor":{"prototype":{"polluted":1}}}', '[{"__proto__":null}]']) out.push(c(p, 'prototype keys'))
  out.push(c(deep(MAX_JSON_DEPTH + 1, '[', ']'), 'deep nesting'), c(deep(100_000, '{"a":', '}'), 'deep nesting'), c(`{"x":${deep(5000, '[', ']')}}`, 'deep nesting'))
  out.push(c(`{"x":"${'a'.repeat(bodyLimit)}"}`, 'body over the limit'))
  return out
}

/** JSON texts of values `schema` refuses (checked against the schema by the caller). */
function wrongValues (schema: SchemaObject): string[] {
  const branches: SchemaObject[] = Array.isArray(schema.anyOf) ? schema.anyOf : [schema]
  const out = new Set<string>(['null', '[]', '{}', '"x"', '1', 'true', '1.5'])
  for (const s of branches) {
    switch (s.type) {
      case 'string':
        out.add('12345')
        if (s.enum !== undefined || s.pattern !== undefined) { out.add('"__not_an_option__"'); out.add(JSON.stringify('x'.repeat(HUGE))) }
        if (s.minLength !== undefined) out.add('""')
        break
      case 'integer':
      case 'number':
        for (const v of ['"1"', '1e300', '-1e300', '9007199254740993', '-9007199254740993', '1e400', '-1e400', '0.000001']) out.add(v)
        if (typeof s.minimum === 'number') out.add(String(s.minimum - 1))
        if (typeof s.maximum === 'number') out.add(String(s.maximum + 1))
        if (s.enum !== undefined) out.add('987654')
        break
      case 'array': {
        const item = s.items !== undefined ? wrongValues(s.items as SchemaObject)[0] : undefined
        if (item !== undefined) { out.add(`[${item}]`); out.add(`[${Array(HUGE / 4).fill(item).join(',')}]`) }
        break
      }
      case 'object':
        if (s.additionalProperties === false) out.add('{"__no_such_key__":1}')
    }
  }
  return [...out]
}

/** Bodies with one field wrong, at every level of nested objects (and array items) down to `depth`. */
function fieldBodies (schema: SchemaObject, depth = 3): Array<{ family: string, text: string }> {
  const props = (schema.properties ?? {}) as Record<string, SchemaObject>
  const out: Array<{ family: string, text: string }> = []
  for (const [key, sub] of Object.entries(props)) {
    const k = JSON.stringify(key)
    for (const v of wrongValues(sub)) out.push({ family: depth === 3 ? 'wrong field type or value' : 'nested field', text: `{${k}:${v}}` })
    const inner: SchemaObject | undefined = sub.type === 'object' ? sub : sub.type === 'array' && (sub.items as SchemaObject | undefined)?.type === 'object' ? sub.items as SchemaObject : undefined
    if (inner !== undefined && depth > 1) {
      for (const n of fieldBodies(inner, depth - 1)) out.push({ family: 'nested field', text: sub.type === 'array' ? `{${k}:[${n.text}]}` : `{${k}:${n.text}}` })
    }
    out.push({ family: 'duplicate key', text: `{${k}:${JSON.stringify(defaultOf(sub))},${k}:{"dup":[]}}` })
  }
  if (schema.additionalProperties === false) {
    for (const key of UNKNOWN_KEYS) out.push({ family: 'unknown field', text: `{${JSON.stringify(key)}:1}` })
  }
  return out
}

const defaultOf = (s: SchemaObject): unknown => s.type === 'string' ? 'a' : s.type === 'boolean' ? true : s.type === 'array' ? [] : s.type === 'object' ? {} : 1

function schemaCases (r: Route, ajv: Ajv): Case[] {
  const out: Case[] = []
  const url = fill(r.url)
  const key = `${r.method} ${r.url}`
  const body = r.schema?.body as SchemaObject | undefined
  if (body !== undefined) {
    const validate = ajv.compile(body)
    const candidates = fieldBodies(body)
    for (const whole of ['[]', '"s"', '1', 'true', '[{}]', 'null']) candidates.push({ family: 'body of the wrong type', text: whole })
    if (Array.isArray(body.required) && body.required.length > 0) candidates.push({ family: 'missing field', text: '{}' })
    for (const { family, text } of candidates) {
      if (text === 'null' && NULL_BODY_OK.has(key)) continue
      // Only bodies the schema itself refuses: the corpus never relies on a lucky 4xx.
      if (validate(JSON.parse(text))) continue
      out.push({ family, method: r.method, url, payload: text, headers: { 'content-type': 'application/json' } })
    }
    // Creating without the fields the store requires (name, email, ...): a semantic refusal.
    if (r.method === 'POST' && !r.url.includes(':') && !EMPTY_OBJECT_OK.has(key) && validate({})) {
      out.push({ family: 'missing field', method: r.method, url, payload: '{}', headers: { 'content-type': 'application/json' } })
    }
  }
  const query = r.schema?.querystring as SchemaObject | undefined
  for (const [name, sub] of Object.entries((query?.properties ?? {}) as Record<string, SchemaObject>)) {
    if (sub.enum === undefined && sub.pattern === undefined) continue
    for (const v of ['__nope__', 'x'.repeat(3000), '%ZZ', '', '1;2']) {
      if (ajv.compile(sub)(v)) continue
      out.push({ family: 'query parameter', method: r.method, url: `${url}?${name}=${encodeURIComponent(v)}` })
    }
    out.push({ family: 'query parameter', method: r.method, url: `${url}?${name}=a&${name}=b` })
  }
  return out
}

t.test('the hostile corpus: every route, every case a clean 4xx, nothing changed', async t => {
  // The default 1 MiB limit: huge strings and arrays reach validation instead of the 413.
  const bodyLimit = DEFAULT_BODY_LIMIT
  const { app, store } = await buildTestApp(t, { clock: { now: () => T0 } })
  const ajv = new Ajv({ strict: false, coerceTypes: false, useDefaults: false, removeAdditional: false })
  const exportState = async () => (await app.inject({ method: 'GET', url: '/_mock/state', headers: { authorization: ADMIN_BASIC } })).body
  const before = await exportState()
  const routes = app.apiRoutes as readonly Route[]
  const codes = new Map<string, number>()
  const failures: string[] = []
  const perRoute = new Map<string, number>()
  const HEALTH = 'GET /_mock/health'
  let cases = 0
  for (const r of routes) {
    const corpus = [...pathCases(r), ...headerCases(r), ...parseCases(r, bodyLimit), ...schemaCases(r, ajv)]
    perRoute.set(`${r.method} ${r.url}`, corpus.length)
    for (const k of corpus) {
      cases++
      const id = store.clusterStateId
      const headers: Record<string, string | string[]> = { authorization: ADMIN_BASIC, ...k.headers }
      const res = await app.inject({ method: k.method as 'GET', url: k.url, headers, ...(k.payload === undefined ? {} : { payload: k.payload }) })
      const what = `${k.family}: ${k.method} ${k.url.slice(0, 100)} ${JSON.stringify(k.headers ?? {}).slice(0, 80)} ${String(k.payload ?? '').slice(0, 60)}`
      const code = (() => { try { return String(res.json().error_code) } catch { return '(none)' } })()
      const problem = rsErrorProblem(res.statusCode, res.headers['content-type'] as string | undefined, res.body,
        s => (s >= 400 && s < 500) || (s === 505 && code === 'unsupported_api_version'))
      if (problem !== undefined) failures.push(`${what} → ${problem}`)
      codes.set(code, (codes.get(code) ?? 0) + 1)
      if (store.clusterStateId !== id) failures.push(`${what} → changed the state (cluster-state-id ${id} → ${store.clusterStateId})`)
      const health = await app.inject({ method: 'GET', url: '/_mock/health' })
      if (health.statusCode !== 200) failures.push(`${what} → the server stopped answering (${health.statusCode})`)
    }
  }
  if (process.env.HOSTILE_DUMP !== undefined) writeFileSync(process.env.HOSTILE_DUMP, failures.join('\n'))
  t.same(failures.slice(0, 40), [], 'every case: a clean RS 4xx, no change, still answering')
  t.equal(failures.length, 0, `${failures.length} failing cases`)
  const after = await exportState()
  const at = [...after].findIndex((ch, i) => ch !== before[i])
  t.ok(after === before, `the exported state is byte-identical after all the rejected requests${at < 0 ? '' : `: differs at ${at}: ${after.slice(at - 80, at + 80)}`}`)
  t.ok(cases >= 1000, `at least 1,000 cases (${cases})`)
  const thin = [...perRoute].filter(([k, n]) => n < 20 && k !== HEALTH)
  t.same(thin, [], 'every route gets at least 20 cases')
  t.ok(codes.size >= 12, 'many distinct error codes')
  t.comment(`hostile corpus: ${cases} cases over ${routes.length} routes, ${codes.size} distinct error codes: ` +
    [...codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', '))
})

t.test('what the parser and the router refuse before any route, over a real socket', async t => {
  const server = await startTestServer(t, ['--body-limit', '4096'])
  const { port, store } = server
  const state = () => JSON.stringify(store.exportState().state)
  const before = state()
  const body = '{"name":"hostile","memory_size":1048576}'
  const bytes = (s: string) => Buffer.from(s, 'latin1')
  const req = (head: string, tail = '') => bytes(`${head}\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\nconnection: close\r\n${tail}\r\n`)
  const corpus: Array<[string, Buffer]> = [
    ['content-length not a number', httpRequest('POST', '/v1/bdbs', { 'content-length': 'abc' }, body)],
    ['content-length negative', httpRequest('POST', '/v1/bdbs', { 'content-length': '-5' }, body)],
    ['two content-lengths', req('POST /v1/bdbs HTTP/1.1', `content-type: application/json\r\ncontent-length: 5\r\ncontent-length: 40\r\n\r\n${body}`)],
    ['content-length and chunked', req('POST /v1/bdbs HTTP/1.1', `content-type: application/json\r\ncontent-length: 40\r\ntransfer-encoding: chunked\r\n\r\n${body}`)],
    ['a bad chunk size', req('POST /v1/bdbs HTTP/1.1', 'content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n')],
    ['content-length shorter than the body', httpRequest('POST', '/v1/bdbs', { 'content-length': '12' }, body)],
    ['a body over --body-limit', httpRequest('POST', '/v1/bdbs', {}, `{"name":"${'a'.repeat(5000)}"}`)],
    ['a header line without a colon', req('GET /v1/bdbs HTTP/1.1', 'this is not a header\r\n')],
    ['a control character in a header value', req('GET /v1/bdbs HTTP/1.1', 'x-thing: a\u0001b\r\n')],
    ['a space in a header name', req('GET /v1/bdbs HTTP/1.1', 'x thing: 1\r\n')],
    ['garbage request line', bytes('GARBAGE\r\n\r\n')],
    ['unknown method', req('FROB /v1/bdbs HTTP/1.1')],
    ['PATCH on a route without it', req('PATCH /v1/bdbs/1 HTTP/1.1')],
    ['HTTP/1.1 spelt wrong', req('GET /v1/bdbs HTPT/1.1')],
    ['raw non-ASCII bytes in the path', Buffer.concat([bytes('GET /v1/bdbs/'), Buffer.from([0xff, 0xc3]), req(' HTTP/1.1')])],
    ['a path of 20 KB', req(`GET /v1/bdbs/${'1'.repeat(20_000)} HTTP/1.1`)],
    ['200 headers of 100 bytes', req('GET /v1/bdbs HTTP/1.1', Array.from({ length: 200 }, (_, i) => `x-h${i}: ${'v'.repeat(90)}\r\n`).join(''))],
    ['a malformed first Authorization, a good second', bytes(`GET /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: Basic !!!\r\nauthorization: ${ADMIN_BASIC}\r\nconnection: close\r\n\r\n`)],
    ['content-type text/plain first, JSON second', req('POST /v1/bdbs HTTP/1.1', `content-type: text/plain\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`)],
    ['x-api-version twice', req('GET /v1/bdbs HTTP/1.1', 'x-api-version: 1\r\nx-api-version: 2\r\n')],
    ['a percent-encoding that is not one', req('GET /v1/bdbs/%E0%A4%A HTTP/1.1')],
    ['an absolute-form URL to another host', req('GET https://evil.example/v1/bdbs/x HTTP/1.1')],
    ['an asterisk-form target', req('OPTIONS * HTTP/1.1')]
  ]
  const codes = new Set<string>()
  for (const [name, raw] of corpus) {
    const res = await rawExchange(port, raw)
    const code = (() => { try { return String(JSON.parse(res.body).error_code) } catch { return '(none)' } })()
    codes.add(code)
    const problem = rsErrorProblem(res.status, res.headers['content-type'], res.body, s => (s >= 400 && s < 500) || (s === 505 && code === 'unsupported_api_version'))
    t.equal(problem, undefined, `${name}: ${res.status} ${code}`)
    const health = await rawExchange(port, httpRequest('GET', '/_mock/health'))
    t.equal(health.status, 200, `${name}: the server still answers`)
  }
  t.ok(state() === before, 'nothing changed')
  t.comment(`socket corpus: ${corpus.length} cases, error codes: ${[...codes].sort().join(', ')}`)
})
