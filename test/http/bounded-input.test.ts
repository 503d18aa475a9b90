// Names as the objects pages define them, and free text capped before it reaches the event log.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'
import { MAX_EVENT_TEXT } from '../../src/store/kernel/index.js'
import { MAX_STRING } from '../../src/schemas/common.js'

const db = (name: string) => ({ name, memory_size: 104857600 })

t.test('database names: letters, digits and hyphens, alphanumeric at both ends, at most 63 (docs/decisions.md #20)', async t => {
  const { call } = await buildTestApp(t)
  for (const name of ['a', 'orders-2', 'A1', 'x'.repeat(63)]) t.equal((await call('POST', '/v1/bdbs', { body: db(name) })).statusCode, 200, name)
  for (const name of ['x'.repeat(64), 'x'.repeat(900 * 1024), '-lead', 'trail-', 'under_score', 'dot.ted', 'sp ace', 'ünï']) {
    isRsError(t, await call('POST', '/v1/bdbs', { body: db(name) }), 400, 'invalid_schema', `create ${name.slice(0, 20)}`)
    isRsError(t, await call('PUT', '/v1/bdbs/1', { body: { name } }), 400, 'invalid_schema', `update ${name.slice(0, 20)}`)
  }
  isRsError(t, await call('POST', '/v2/bdbs', { body: { bdb: db('bad_name') } }), 400, 'invalid_schema')
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { name: 'renamed-1' } })).statusCode, 200)
})

t.test('user, role and Redis ACL names are bounded', async t => {
  const { call } = await buildTestApp(t)
  for (const bad of ['a&b', 'a<b', 'a>b', 'a"b', 'x'.repeat(256)]) {
    isRsError(t, await call('POST', '/v1/users', { body: { email: 'n@x.io', name: bad, password: 'pw-n-1' } }), 400, 'invalid_schema', `user ${bad.slice(0, 10)}`)
  }
  const long = 'r'.repeat(256)
  isRsError(t, await call('POST', '/v1/roles', { body: { name: long, management: 'db_viewer' } }), 400, 'invalid_schema')
  isRsError(t, await call('POST', '/v1/redis_acls', { body: { name: long, acl: '+@read' } }), 400, 'invalid_schema')
  t.equal((await call('POST', '/v1/roles', { body: { name: long.slice(1), management: 'db_viewer' } })).statusCode, 200)
  t.equal((await call('POST', '/v1/redis_acls', { body: { name: long.slice(1), acl: '+@read' } })).statusCode, 200)
})

t.test('free text a client sends is capped in the event log', async t => {
  const { call, store } = await buildTestApp(t)
  // as long as the schemas allow (test/string-bounds.test.ts): still longer than an event keeps
  const huge = 'y'.repeat(MAX_STRING)
  t.equal((await call('PUT', '/v1/bdbs/1', { body: { tags: [{ key: 'k', value: 'v' }], data_persistence: 'aof' } })).statusCode, 200)
  t.equal((await call('POST', '/v1/users', { body: { email: `${'e'.repeat(240)}@x.io`, password: 'pw-e-1' } })).statusCode, 200)
  t.equal((await call('PUT', '/v1/cluster', { body: { email_from: huge } })).statusCode, 200)
  const logs = await call('GET', '/v1/logs')
  t.equal(logs.statusCode, 200)
  for (const event of logs.json() as Array<Record<string, unknown>>) {
    for (const v of Object.values(event)) if (typeof v === 'string') t.ok(v.length <= MAX_EVENT_TEXT + 1, `${String(event.type)}: ${v.length} characters`)
  }
  t.ok(logs.body.length < 20_000, `the log stays small: ${logs.body.length} bytes`)
  t.ok(store.state.events.some(e => e.type === 'user_created'))
})
