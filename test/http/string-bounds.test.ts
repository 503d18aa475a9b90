// Every string a request body may hold is bounded (maxLength, or an enum of known values): walks
// the body schema of every route, RS and control, and names any string without a bound. Query
// strings and path parameters are bounded by the request line's size limit (16 KiB) instead.
import t from 'tap'
import fastify from 'fastify'
import routes from '../../src/routes/index.js'
import controlRoutes, { MockControl } from '../../src/control/index.js'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { MAX_STRING } from '../../src/schemas/common.js'
import { buildTestApp, isRsError } from '../helpers/app.js'

type Schema = Record<string, unknown>

/** The paths of string schemas under `s` that have neither maxLength nor enum/const. */
function unbounded (s: unknown, path: string, out: string[]): string[] {
  if (s === null || typeof s !== 'object') return out
  const schema = s as Schema
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes('string') && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) out.push(path)
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      for (const [name, sub] of Object.entries(value as Schema)) unbounded(sub, `${path}.${name}`, out)
    } else if (typeof value === 'object') {
      unbounded(value, `${path}/${key}`, out)
    }
  }
  return out
}

t.test('no request body schema has an unbounded string', async t => {
  const store = createStore(loadSeed(defaultFixturesDir))
  const app = fastify()
  const found: string[] = []
  let bodies = 0
  app.addHook('onRoute', route => {
    const body = (route.schema as Schema | undefined)?.body
    if (body === undefined) return
    bodies++
    unbounded(body, `${String(route.method)} ${route.url}`, found)
  })
  await app.register(routes, { store })
  await app.register(controlRoutes, { store, control: new MockControl(store) })
  await app.ready()
  t.ok(bodies > 50, `${bodies} body schemas walked`)
  t.same([...new Set(found)], [], 'every string has a maxLength or an enum')
  await app.close()
})

t.test('the fields a megabyte once went into are refused with 400 invalid_schema, the others at the general cap', async t => {
  const { call, store } = await buildTestApp(t)
  const big = 'a'.repeat(MAX_STRING + 1)
  const before = JSON.stringify([...store.state.users.values()].map(r => r.user))
  const cases: Array<[string, string, object]> = [
    ['POST', '/v1/ldap_mappings', { name: 'x'.repeat(256), dn: 'cn=a', role_uids: [4] }],
    ['POST', '/v1/ldap_mappings', { name: 'm', dn: 'cn=' + 'a'.repeat(1024), role_uids: [4] }],
    ['POST', '/v1/users', { email: `${'a'.repeat(250)}@x.example`, password: 'Pa55word!', name: 'n' }],
    ['PUT', '/v1/bdbs/1', { authentication_sasl_uname: 'u'.repeat(256) }],
    ['PUT', '/v1/nodes/1', { rack_id: 'r'.repeat(256) }],
    ['PUT', '/v1/cluster/ldap', { uris: [`ldap://${'h'.repeat(2048)}`] }],
    ['PUT', '/v1/bdbs/1', { module_list: [{ module_name: 'search', module_args: big }] }],
    ['PUT', '/v1/cluster', { email_from: big }]
  ]
  for (const [method, url, body] of cases) {
    const res = await call(method as 'PUT', url, { body })
    isRsError(t, res, 400, 'invalid_schema', `${method} ${url} ${Object.keys(body).join(',')}`)
    t.match(res.json().description, /more than \d+ characters/, 'refused for its length')
  }
  t.equal(JSON.stringify([...store.state.users.values()].map(r => r.user)), before)
})
