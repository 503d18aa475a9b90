// The switch of the real-cluster tests, tested on a second mock: a real process on a free port,
// reached over HTTPS as a real cluster would be. Needs `npm run build` (dist/cli.js).
import t from 'tap'
import { join } from 'node:path'
import { realClusterTarget, targetProblem } from '../helpers/real-cluster.js'
import { spawnCli, LOCAL } from '../helpers/cli.js'
import { realClusterSuite, realExamples } from './suite.js'

const login = { RS_TEST_USER: 'admin@redis.local', RS_TEST_PASSWORD: 'admin' }

t.test('without RS_TEST_URL the marked tests skip', async t => {
  t.equal(realClusterTarget({}), undefined)
  t.equal(realClusterTarget({ RS_TEST_URL: '', ...login }), undefined)
  t.match(targetProblem({}), /RS_TEST_URL is not set/)
})

t.test('incomplete settings are refused, not half used', async t => {
  t.match(targetProblem({ RS_TEST_URL: 'http://rs.example:9443', ...login }), /must be https:\/\/host:port/)
  t.match(targetProblem({ RS_TEST_URL: 'https://rs.example:9443/v1', ...login }), /must be https:\/\/host:port/)
  t.match(targetProblem({ RS_TEST_URL: 'https://rs.example:9443', RS_TEST_USER: 'a' }), /RS_TEST_PASSWORD must be set/)
  t.equal(targetProblem({ RS_TEST_URL: 'https://rs.example:9443/', ...login }), undefined)
  t.throws(() => realClusterTarget({ RS_TEST_URL: 'https://rs.example:9443' }), /RS_TEST_USER and RS_TEST_PASSWORD/)
})

t.test('pointed at a second mock', async t => {
  const certs = join(t.testdir(), 'certs')
  const mock = spawnCli([...LOCAL, '--certs-dir', certs])
  t.teardown(() => { mock.child.kill() })
  const { port } = await mock.ready
  const url = `https://127.0.0.1:${port}`

  t.test('the certificate is checked unless told otherwise', async t => {
    const strict = realClusterTarget({ RS_TEST_URL: url, ...login })!
    t.teardown(strict.close)
    await t.rejects(strict.send('GET', '/v1/cluster', { headers: {} }), /self[- ]signed/i, 'a self-signed certificate is refused')
    const trusting = realClusterTarget({ RS_TEST_URL: url, ...login, RS_TEST_CA: join(certs, 'cert.pem') })!
    t.teardown(trusting.close)
    t.equal((await trusting.send('GET', '/v1/cluster', { headers: {} })).status, 200, 'RS_TEST_CA trusts it')
  })

  t.test('the marked tests pass', async t => {
    const target = realClusterTarget({ RS_TEST_URL: `${url}/`, ...login, RS_TEST_INSECURE: '1' })!
    t.teardown(target.close)
    t.ok(realExamples.every(ex => ex.method === 'GET'), 'only read-only examples go to a real cluster')
    await realClusterSuite(t, target)
  })

  t.test('a difference on the target fails them', async t => {
    // The same suite against a mock told to answer one documented example wrongly.
    const target = realClusterTarget({ RS_TEST_URL: url, ...login, RS_TEST_INSECURE: '1' })!
    t.teardown(target.close)
    const fault = await target.send('POST', '/_mock/faults', { headers: { 'content-type': 'application/json' }, body: { method: 'GET', path: '/v1/cluster', action: { status: 418, error_code: 'teapot', description: 'a fault' }, times: 1 } })
    t.equal(fault.status, 200, fault.body)
    const ex = realExamples.find(e => e.path === '/v1/cluster')!
    const { runExample } = await import('../examples/run.js')
    const o = await runExample(ex, target.send)
    t.equal(o.status, 418)
    t.match(o.problems.status, [/418 is not among the documented 200/])
  })
})
