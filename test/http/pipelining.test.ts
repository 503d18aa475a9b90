// Pipelined requests followed by a malformed one, in one write: every request read before the
// bad one is answered, in order, then the 400, then the connection closes.
import t from 'tap'
import { httpRequest, listenTestApp, parseResponse, tlsConnect, type RawResponse } from '../helpers/raw.js'

/** Writes BYTES at once and collects every response until the server closes the connection. */
async function exchangeAll (port: number, bytes: Buffer): Promise<RawResponse[]> {
  const socket = await tlsConnect(port)
  const raw = await new Promise<string>(resolve => {
    let got = ''
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => { got += c })
    socket.on('close', () => resolve(got))
    socket.on('error', () => {})
    socket.write(bytes)
  })
  const out: RawResponse[] = []
  let rest = raw
  for (let r = parseResponse(rest); r !== undefined; r = parseResponse(rest)) {
    out.push(r)
    const head = rest.indexOf('\r\n\r\n') + 4
    rest = rest.slice(head + Buffer.byteLength(r.body))
  }
  return out
}

const keepAlive = { connection: 'keep-alive' }
const BAD = Buffer.from('NOT A REQUEST\r\n\r\n')

t.test('a POST then a malformed request: the POST is answered 200, then 400', async t => {
  const { port, store } = await listenTestApp(t)
  const body = JSON.stringify({ email: 'piped@example.com', password: 'Pa55word!', name: 'piped', role_uids: [4] })
  const answers = await exchangeAll(port, Buffer.concat([httpRequest('POST', '/v1/users', keepAlive, body), BAD]))
  t.same(answers.map(a => a.status), [200, 400])
  t.equal(JSON.parse(answers[0].body).email, 'piped@example.com')
  t.equal(JSON.parse(answers[1].body).error_code, 'bad_request')
  t.ok([...store.state.users.values()].some(r => r.user.email === 'piped@example.com'), 'applied, and said so')
})

t.test('three requests then a malformed one: three answers in order, then the 400', async t => {
  const { port } = await listenTestApp(t)
  const answers = await exchangeAll(port, Buffer.concat([
    httpRequest('GET', '/v1/cluster', keepAlive),
    httpRequest('GET', '/v1/nodes/1', keepAlive),
    httpRequest('GET', '/v1/bdbs/9999', keepAlive),
    BAD
  ]))
  t.same(answers.map(a => a.status), [200, 200, 404, 400])
  t.equal(JSON.parse(answers[1].body).uid, 1)
})
