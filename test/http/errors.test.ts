// fastify's own errors leave in the RS shape too (docs/decisions.md #2, #7, #9).
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const echo = {
  beforeReady (app: import('fastify').FastifyInstance) {
    app.post('/v1/test-echo', {
      schema: { body: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } }
    }, async req => req.body)
    app.get('/v1/test-crash', async () => { throw new Error('boom: internal detail') })
  },
  bodyLimit: 1024
}

t.test('malformed and oversized bodies', async t => {
  const { call } = await buildTestApp(t, echo)
  const json = { 'content-type': 'application/json' }
  t.same((await call('POST', '/v1/test-echo', { body: '{"n": 1}', headers: json })).json(), { n: 1 })
  isRsError(t, await call('POST', '/v1/test-echo', { body: '{"n": ', headers: json }), 400, 'invalid_json')
  isRsError(t, await call('POST', '/v1/test-echo', { body: '{"n": "1"}', headers: json }), 400, 'invalid_schema', 'no type coercion')
  const unknown = await call('POST', '/v1/test-echo', { body: '{"m": 1}', headers: json })
  isRsError(t, unknown, 400, 'invalid_schema')
  t.match(unknown.json().description, /'m'/, 'names the field')
  isRsError(t, await call('POST', '/v1/test-echo', { body: JSON.stringify({ pad: 'x'.repeat(2000) }), headers: json }), 413, 'request_too_large')
  t.equal((await call('POST', '/v1/test-echo', { body: '{"n": 1}', headers: { 'content-type': 'application/json; charset=utf-8' } })).statusCode, 200, 'a charset parameter is fine')
})

t.test('a handler crash is a 500 in the RS shape without internals', async t => {
  const { call } = await buildTestApp(t, echo)
  const res = await call('GET', '/v1/test-crash')
  isRsError(t, res, 500, 'internal_error')
  t.notMatch(res.body, /boom/, 'no internal message leaks')
})
