// POST /v1/bdbs/{uid}/command without --redis (docs/decisions.md #58): the commands the state can
// answer, in RS's JSON form; every other command refused with a clear error.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

t.test('PING, ECHO, DBSIZE, INFO and TIME are answered from the state', async t => {
  const c = { ms: Date.parse('2026-03-01T12:00:00Z'), now: () => c.ms }
  const { call, store } = await buildTestApp(t, { clock: c })
  const command = (command: string, args: unknown[] = [], as?: string) =>
    call('POST', '/v1/bdbs/1/command', { body: { command, args }, ...(as === undefined ? {} : { as: as as 'admin' }) })
  t.same((await command('PING')).json(), { response: true }, 'the Java admin client\'s readiness check')
  t.same((await command('ping', ['hello'])).json(), { response: 'hello' }, 'any case; a message is echoed')
  t.same((await command('ECHO', ['x'])).json(), { response: 'x' })
  store.health.setLoad(1, { no_of_keys: 1234 })
  t.same((await command('DBSIZE')).json(), { response: 1234 }, 'the keys the test set')
  const info = (await command('INFO')).json().response as string
  t.match(info, /redis_version:\S+\r\n/)
  t.match(info, /maxmemory:\d+\r\n/)
  t.same((await command('TIME')).json(), { response: [String(c.ms / 1000), '0'] })
  t.equal((await command('PING', [], 'db_member')).statusCode, 200, 'a database writer may')

  isRsError(t, await command('SET', ['k', 'v']), 400, 'command_not_supported')
  isRsError(t, await command('SHUTDOWN'), 400, 'command_not_allowed')
  isRsError(t, await command('BLPOP', ['l', 0]), 400, 'command_not_allowed')
  isRsError(t, await command('ECHO'), 400, 'command_failed')
  isRsError(t, await command('PING', [], 'db_viewer'), 403, 'insufficient_permissions')
  isRsError(t, await call('POST', '/v1/bdbs/9/command', { body: { command: 'PING' } }), 404, 'bdb_not_found')
  for (const body of [{}, { command: '' }, { command: 'PING', args: [{}] }, { command: 'PING', extra: 1 }, { command: 'PI NG' }]) {
    isRsError(t, await call('POST', '/v1/bdbs/1/command', { body }), 400, 'invalid_schema', JSON.stringify(body))
  }
  const created = (await call('POST', '/v1/bdbs', { body: { name: 'new', memory_size: 1e8 } })).json()
  isRsError(t, await call('POST', `/v1/bdbs/${String(created.uid)}/command`, { body: { command: 'PING' } }), 409, 'busy', 'not before it is created')
})
