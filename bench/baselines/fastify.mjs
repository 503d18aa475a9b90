// Baseline 2: a bare fastify server (no plugins, no logger) with one route returning the mock's bytes.
import Fastify from 'fastify'
import { answer, loadBaseline, readyLine } from './common.mjs'

const b = loadBaseline()
const app = Fastify({ https: b.tls })
app.get('/v1/*', (req, reply) => {
  const r = answer(b, req.url, req.headers.authorization)
  reply.code(r.status).headers(r.headers).send(r.body)
})
await app.listen({ port: b.port, host: b.host })
process.stdout.write(readyLine('bare-fastify', app.server.address().port))
process.on('SIGTERM', () => { app.server.closeAllConnections(); process.exit(0) })
