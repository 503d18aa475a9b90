// The container HEALTHCHECK: `node dist/healthcheck.js` exits 0 when the mock answers
// GET /_mock/health with 200 on this machine, else 1. Only node:https, so it runs in a
// distroless image with no shell or curl. The port is the one the server wrote to
// RS_MOCK_PORT_FILE (the image sets it): `--port 9600` after the image name is found too.
// Without that file, RS_MOCK_PORT as the server reads it, else 9443.
import { request } from 'node:https'
import { readFileSync } from 'node:fs'

const TIMEOUT_MS = 2000

function fail (why: string): never {
  process.stderr.write(`healthcheck: ${why}\n`)
  process.exit(1)
}

function written (): string | undefined {
  const file = process.env.RS_MOCK_PORT_FILE
  if (file === undefined || file === '') return undefined
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (e) {
    // not written yet (starting) or removed (stopping): the server does not listen
    fail(`${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)} (the server writes its port there once it listens)`)
  }
}

const fromFile = written()
const rawPort = fromFile ?? process.env.RS_MOCK_PORT?.trim()
const port = rawPort === undefined || rawPort === '' ? 9443 : Number(rawPort)
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${fromFile !== undefined ? 'RS_MOCK_PORT_FILE' : 'RS_MOCK_PORT'} ${JSON.stringify(rawPort)} is not a port`)

// A hard stop as well as the socket timeout: nothing may keep the check alive past 2 s.
const deadline = setTimeout(() => fail(`no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS)
deadline.unref()

const req = request({
  host: '127.0.0.1',
  port,
  path: '/_mock/health',
  method: 'GET',
  rejectUnauthorized: false,
  agent: false,
  timeout: TIMEOUT_MS,
  headers: { accept: 'application/json' }
}, res => {
  res.resume()
  if (res.statusCode === 200) {
    clearTimeout(deadline)
    process.exit(0)
  }
  fail(`GET /_mock/health answered ${res.statusCode ?? 'no status'}`)
})
req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)))
req.on('error', (err: NodeJS.ErrnoException) => fail(`https://127.0.0.1:${port}/_mock/health: ${err.code ?? err.message}`))
req.end()
