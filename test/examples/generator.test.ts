// scripts/gen-examples.mjs on a small requests page: what it takes from each section.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('../../scripts/gen-examples.mjs', import.meta.url))
const run = (...args: string[]) => new Promise<{ code: number, stderr: string }>(resolve => {
  execFile(process.execPath, [script, ...args], { timeout: 30_000 }, (error, _out, stderr) =>
    resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr }))
})

const fence = '```'
const page = `---
Title: Widget requests
---

| Method | Path | Description |
|--------|------|-------------|
| [GET](#get-widget) | \`/v1/widgets/{uid}\` | Get a widget |

## Get widget {#get-widget}

${fence}sh
GET /v1/widgets/{int: uid}
${fence}

### Request {#get-request}

#### Example HTTP requests

${fence}sh
GET /v1/widgets/1
${fence}

${'\t'}GET /v1/widgets/1?fields=name

#### Headers

| Key | Value | Description |
|-----|-------|-------------|
| Host | cnm.cluster.fqdn | Domain name |
| Accept | application/json | Accepted media type |

### Response {#get-response}

${fence}json
{
    "uid": 1,
    "name": "w",
    "ratio": 0.5,
    "tags": ["a"],
    "spec": { "size": 2, "..." },
    "// additional fields..."
}
${fence}

### Error codes {#get-error-codes}

| Code | Description |
|------|-------------|
| widget_broken | It broke. |

### Status codes {#get-status-codes}

| Code | Description |
|------|-------------|
| [200 OK](http://www.w3.org/) | No error |
| [404 Not Found](http://www.w3.org/) | No such widget |

## Update widget {#put-widget}

${fence}sh
PUT /v1/widgets/{int: uid}
${fence}

### Request {#put-request}

#### Example HTTP request

${fence}sh
PUT /v1/widgets/1
${fence}

#### Example JSON body

${fence}json
{
  "name": "new", // a comment
  "size": <size>
}
${fence}

### Response {#put-response}

No body.
`

t.test('a page becomes a table of examples', async t => {
  const dir = t.testdir({ requests: { widgets: {} } })
  mkdirSync(join(dir, 'requests', 'widgets'), { recursive: true })
  writeFileSync(join(dir, 'requests', 'widgets', '_index.md'), page)
  const out = join(dir, 'examples.json')
  const res = await run(join(dir, 'requests'), '--out', out)
  t.equal(res.code, 0, res.stderr)
  const table = JSON.parse(readFileSync(out, 'utf8'))
  t.same(table.map((e: { id: string }) => e.id), ['widgets/_index.md#get-widget/1', 'widgets/_index.md#get-widget/2', 'widgets/_index.md#put-widget'])
  const [a, b, c] = table
  t.same([a.method, a.path, a.endpoint], ['GET', '/v1/widgets/1', 'GET /v1/widgets/{uid}'])
  t.equal(b.path, '/v1/widgets/1?fields=name', 'an indented example line counts')
  t.same(a.headers, { Host: 'cnm.cluster.fqdn', Accept: 'application/json' })
  t.same(a.statuses, [200, 404])
  t.same(a.errorCodes, ['widget_broken'])
  t.same(a.response, { uid: 'integer', name: 'string', ratio: 'number', tags: ['string'], spec: { size: 'integer' } }, 'keys and JSON types; "..." and comments dropped')
  t.equal(c.bodyText, '{\n  "name": "new", // a comment\n  "size": <size>\n}', 'a body that is not JSON is kept as printed')
  t.notOk('body' in c)
  t.same(c.statuses, [], 'no status table')

  t.equal((await run(join(dir, 'requests'), '--out', out, '--check')).code, 0, '--check: current')
  writeFileSync(out, '[]\n')
  const stale = await run(join(dir, 'requests'), '--out', out, '--check')
  t.equal(stale.code, 1)
  t.match(stale.stderr, /out of date/)
  t.equal(readFileSync(out, 'utf8'), '[]\n', '--check writes nothing')
})

t.test('without the pages, the table in the repository is used', async t => {
  const res = await run(join(t.testdir(), 'nowhere'), '--out', join(t.testdir(), 'missing.json'))
  t.equal(res.code, 1)
  t.match(res.stderr, /no reference pages/)
})
