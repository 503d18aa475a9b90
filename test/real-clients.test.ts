// Requests real clients send that the mock used to refuse or answer unlike RS.
import t from 'tap'
import { buildTestApp, isRsError } from './helpers/app.js'

const json = { 'content-type': 'application/json' }

t.test('an empty body with a JSON content type is no body on routes that take none or an optional one', async t => {
  const { call } = await buildTestApp(t)
  t.equal((await call('POST', '/v1/users', { body: { email: 'gone@x.io', password: 'pw-gone-1' } })).statusCode, 200)
  const users = (await call('GET', '/v1/users')).json() as Array<{ uid: number, email: string }>
  const uid = users.find(u => u.email === 'gone@x.io')!.uid
  const del = await call('DELETE', `/v1/users/${uid}`, { body: '', headers: json })
  t.equal(del.statusCode, 200, 'DELETE /v1/users/{uid}')
  t.match(del.json(), { action_uid: String })
  const flush = await call('PUT', '/v1/bdbs/1/flush', { body: '', headers: json })
  t.equal(flush.statusCode, 200, 'PUT /v1/bdbs/{uid}/flush')
  const token = await call('POST', '/v1/users/authorize', { body: '', headers: json })
  t.equal(token.statusCode, 200, 'POST /v1/users/authorize')
  t.match(token.json(), { access_token: String })
  const drop = await call('DELETE', '/v1/bdbs/1', { body: '', headers: json })
  t.equal(drop.statusCode, 200, 'DELETE /v1/bdbs/{uid}')
  // A body that is required stays required, and a broken one stays broken.
  isRsError(t, await call('POST', '/v1/bdbs', { body: '', headers: json }), 400, 'invalid_json')
  isRsError(t, await call('DELETE', '/v1/bdbs/2', { body: '{"x":', headers: json }), 400, 'invalid_json')
})
