// --port-file: the command writes the port it listens on (however it was given), and the Docker
// HEALTHCHECK (dist/healthcheck.js) finds the server through it (`docker run IMAGE --port 9600`).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LOCAL, spawnCli } from '../helpers/cli.js'

const healthcheck = fileURLToPath(new URL('../../dist/healthcheck.js', import.meta.url))
const check = (env: Record<string, string>) => spawnSync(process.execPath, [healthcheck], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 10_000 })

t.test('the port file holds the port listened on; the health check reads it; gone at exit', async t => {
  const dir = t.testdir()
  const file = join(dir, 'port')
  // --port 0 stands for any port given on the command line: only the file knows which
  const server = spawnCli([...LOCAL, '--certs-dir', join(dir, 'certs'), '--port-file', file])
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = await server.ready
  t.equal(readFileSync(file, 'utf8'), `${port}\n`)
  const ok = check({ RS_MOCK_PORT_FILE: file, RS_MOCK_PORT: '1' })
  t.equal(ok.status, 0, `healthy through the file (RS_MOCK_PORT is ignored then): ${ok.stderr}`)
  const wrong = check({ RS_MOCK_PORT: '1' })
  t.equal(wrong.status, 1, 'without the file, RS_MOCK_PORT as before')
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  t.notOk(existsSync(file), 'removed when the server stops')
  const gone = check({ RS_MOCK_PORT_FILE: file })
  t.equal(gone.status, 1, 'no file: unhealthy')
  t.match(gone.stderr, /^healthcheck: .*port: ENOENT \(the server writes its port there once it listens\)\n$/)
})

t.test('a port file that cannot be written: one sentence, exit 2', async t => {
  const dir = t.testdir()
  const server = spawnCli([...LOCAL, '--certs-dir', join(dir, 'certs'), '--port-file', join(dir, 'missing', 'port')])
  server.ready.catch(() => {})
  t.equal((await server.exited).code, 2)
  t.match(server.stderr(), /^redis-enterprise-mock: Cannot write --port-file .*missing\/port: ENOENT/)
})
