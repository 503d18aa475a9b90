// Requests at the edge of HTTP that Node answers itself unless told otherwise: CONNECT, an
// Expect other than 100-continue, a Transfer-Encoding other than chunked, a body nobody reads.
import t from 'tap'
import { ADMIN_BASIC, httpRequest, listenTestApp, rawExchange, rsErrorProblem, tlsConnect } from '../helpers/raw.js'

t.test('CONNECT gets 405 method_not_allowed in the RS shape', async t => {
  const { port } = await listenTestApp(t)
  const res = await rawExchange(port, 'CONNECT localhost:9443 HTTP/1.1\r\nhost: localhost:9443\r\n\r\n')
  t.equal(res.status, 405)
  t.equal(rsErrorProblem(res.status, res.headers['content-type'], res.body), undefined, res.raw.slice(0, 200))
  t.equal(JSON.parse(res.body).error_code, 'method_not_allowed')
})

t.test('Expect other than 100-continue gets 417 with an RS error body', async t => {
  const { port } = await listenTestApp(t)
  const res = await rawExchange(port, httpRequest('GET', '/v1/bdbs', { expect: 'something-else' }))
  t.equal(res.status, 417)
  t.equal(rsErrorProblem(res.status, res.headers['content-type'], res.body), undefined, res.raw.slice(0, 200))
  t.equal(JSON.parse(res.body).error_code, 'expectation_failed')
})

t.test('Transfer-Encoding other than chunked: an RS 400, and the connection closes instead of swallowing the next request', async t => {
  const { port } = await listenTestApp(t)
  const socket = await tlsConnect(port)
  const head = (extra: string) => `GET /v1/cluster HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\n${extra}\r\n`
  let raw = ''
  socket.setEncoding('latin1')
  socket.on('data', (c: string) => { raw += c })
  const closed = new Promise<void>(resolve => socket.on('close', () => resolve()))
  socket.on('error', () => {})
  socket.write(head('transfer-encoding: identity\r\n') + head(''))
  await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 3000))])
  socket.destroy()
  const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map(m => Number(m[1]))
  t.equal(statuses[0], 400, raw.slice(0, 300))
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4)
  t.match(body, /"error_code":"(bad_request|invalid_header)"/)
  // Either the second request is answered too (parsed correctly), or the connection closed after the 400.
  t.ok(statuses.length === 2 || /connection: close/i.test(raw.split('\r\n\r\n')[0]), `statuses ${statuses.join(',')}`)
})

t.test('a body on a route that takes none is refused at once, not read to the end', async t => {
  const { port } = await listenTestApp(t, { bodyLimit: 1024 })
  const socket = await tlsConnect(port)
  let raw = ''
  socket.setEncoding('latin1')
  socket.on('data', (c: string) => { raw += c })
  socket.on('error', () => {})
  const closed = new Promise<void>(resolve => socket.on('close', () => resolve()))
  // Announces 400 MB and sends only the first KB: an answer can only come from refusing early.
  socket.write(`GET /v1/bdbs HTTP/1.1\r\nhost: localhost\r\nauthorization: ${ADMIN_BASIC}\r\ncontent-type: application/json\r\ncontent-length: ${400 * 1024 * 1024}\r\n\r\n${'x'.repeat(1024)}`)
  await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 3000))])
  socket.destroy()
  const status = Number(/HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0)
  t.equal(status, 413, raw.slice(0, 300))
  t.match(raw, /"error_code":"request_too_large"/)
})
