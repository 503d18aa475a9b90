// Every request example of the RS reference pages, sent as printed (ids adapted to the fixtures,
// adapt.ts): the status is one the page documents, errors are RS-shaped, and the example
// response's keys are there with their JSON types. A difference must be a stated exception
// (exceptions.ts), and a stated exception must still be a difference. The figures on
// docs/coverage.md and the exception list on docs/differences.md are what this run finds.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { examples, readOnly, runExample, freshMock, renderFigures, type Outcome, type Check } from './run.js'
import { exceptions } from './exceptions.js'
import { adaptations } from './adapt.js'
import { renderExceptions } from './render.js'

// About 25 s alone, over two minutes on a busy machine: 222 requests, most on a fresh mock.
t.setTimeout(300_000)

const CHECKS: Check[] = ['status', 'error', 'keys']
const page = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')
const block = (text: string, name: string) => {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`
  return text.slice(text.indexOf(begin) + begin.length, text.indexOf(`<!-- END GENERATED: ${name} -->`)).trim()
}

t.test('the table of examples', async t => {
  t.ok(examples.length >= 200, `${examples.length} examples`)
  const ids = new Set(examples.map(e => e.id))
  t.equal(ids.size, examples.length, 'ids are unique')
  for (const id of [...Object.keys(exceptions), ...Object.keys(adaptations)]) t.ok(ids.has(id), `${id} names an example`)
  t.ok(examples.every(e => /^(GET|PUT|POST|DELETE|PATCH)$/.test(e.method) && e.path.startsWith('/v')), 'method and path of each')
})

t.test('every documented example', async t => {
  const outcomes: Outcome[] = []
  const shared = await freshMock()
  t.teardown(shared.close)
  for (const ex of examples) {
    await t.test(`${ex.method} ${ex.path} (${ex.id})`, async t => {
      let mock = shared
      if (!readOnly(ex)) {
        mock = await freshMock()
        t.teardown(mock.close)
      }
      const o = await runExample(ex, mock.send)
      outcomes.push(o)
      const stated = exceptions[ex.id]?.checks ?? []
      for (const c of CHECKS) {
        const found = o.problems[c]
        if (found !== undefined && !stated.includes(c)) t.fail(`${o.request} → ${o.status}: ${c}: ${found.join('; ')}`)
        else if (found === undefined && stated.includes(c)) t.fail(`the stated ${c} exception no longer shows: remove it from exceptions.ts (${exceptions[ex.id].reason})`)
        else t.pass(`${c}${found === undefined ? '' : ' (stated exception)'}`)
      }
    })
  }
  t.equal(outcomes.length, examples.length, 'every example was sent')
  t.equal(block(page('coverage.md'), 'examples'), renderFigures(outcomes, exceptions), 'docs/coverage.md has the figures of this run (node scripts/gen-examples.mjs --figures)')
})

t.test('docs/differences.md lists every stated exception', async t => {
  t.equal(block(page('differences.md'), 'example-exceptions'), renderExceptions(exceptions), 'node scripts/gen-examples.mjs --figures')
})

t.test('the judge catches what it is for', async t => {
  // A fake answer per kind of difference: the checks must see each.
  const ex = examples.find(e => e.id === 'users/_index.md#get-user')!
  t.ok(ex !== undefined && ex.response !== undefined, 'the example of GET /v1/users/{uid}')
  const answer = (status: number, body: unknown, contentType = 'application/json') => async () => ({ status, contentType, body: JSON.stringify(body) })
  const mock = await freshMock()
  t.teardown(mock.close)
  const good = JSON.parse((await mock.send('GET', ex.path, { headers: {} })).body)
  t.same((await runExample(ex, answer(200, good))).problems, {}, 'the mock\'s own answer passes')
  t.match((await runExample(ex, answer(500, { error_code: 'x', description: 'y' }))).problems.status, [/not among the documented/])
  t.match((await runExample(ex, answer(404, { error_code: 'user_not_found', description: 'y' }))).problems.status, [/for a valid example/])
  t.match((await runExample(ex, answer(404, { message: 'nope' }))).problems.error, [/not RS-shaped/])
  const { email: _, ...noEmail } = good
  t.match((await runExample(ex, answer(200, noEmail))).problems.keys, ['email: missing'])
  t.match((await runExample(ex, answer(200, { ...good, uid: '1' }))).problems.keys, [/uid: integer documented, string sent/])
  const keys = (await runExample(ex, answer(200, noEmail))).keys
  t.equal(keys.present, keys.documented - 1, 'a missing key counts against the coverage')
})
