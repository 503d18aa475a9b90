// Baseline 1: a bare node:https server returning the mock's bytes.
import { createServer } from 'node:https'
import { answer, loadBaseline, readyLine } from './common.mjs'

const b = loadBaseline()
const server = createServer(b.tls, (req, res) => {
  const r = answer(b, req.url, req.headers.authorization)
  res.writeHead(r.status, { ...r.headers, 'content-length': r.body.length })
  res.end(r.body)
})
server.listen(b.port, b.host, () => process.stdout.write(readyLine('bare-https', server.address().port)))
process.on('SIGTERM', () => { server.close(); server.closeAllConnections(); process.exit(0) })
