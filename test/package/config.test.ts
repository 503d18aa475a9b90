import t from 'tap'
import { ConfigError, helpText, loadConfig, optionSpecs, type Config } from '../../src/config.js'

const load = (argv: string[], env: Record<string, string> = {}) => loadConfig(argv, env) as Config

t.test('defaults', async t => {
  const c = load([])
  t.equal(c.port, 9443)
  t.equal(c.host, '::', 'dual-stack')
  t.equal(c.certsDir, 'certs')
  t.equal(c.adminEmail, 'admin@redis.local')
  t.equal(c.adminPassword, 'admin')
  t.equal(c.freshNode, false)
  t.ok(Object.isFrozen(c))
})

t.test('flags win over their environment twins', async t => {
  t.equal(load([], { RS_MOCK_PORT: '0' }).port, 0)
  t.equal(load(['--port', '1234'], { RS_MOCK_PORT: '0' }).port, 1234)
  t.equal(load([], { RS_MOCK_FRESH_NODE: '1' }).freshNode, true)
  t.equal(load(['--no-fresh-node'], { RS_MOCK_FRESH_NODE: '1' }).freshNode, false)
  t.equal(load(['--fresh-node']).freshNode, true)
  t.same(load(['--cert-names', 'a.example, 10.1.2.3']).certNames, ['a.example', '10.1.2.3'])
  t.equal(load(['--admin-password', '-1secret']).adminPassword, '-1secret', 'a value may start with a dash and a digit')
  t.equal(load(['--port=-0']).port, 0)
})

t.test('bad values are one clear sentence', async t => {
  const bad: Array<[string[], Record<string, string>, RegExp]> = [
    [['--port', '70000'], {}, /--port must be a whole number from 0 to 65535/],
    [[], { RS_MOCK_PORT: 'http' }, /RS_MOCK_PORT must be a whole number/],
    [['--fixtures', '/nonexistent/fixtures'], {}, /fixtures directory .* does not exist/],
    [['--cert', 'a.pem'], {}, /--cert and --key must be given together/],
    [['--log-level', 'loud'], {}, /--log-level must be one of/],
    [[], { RS_MOCK_FRESH_NODE: 'maybe' }, /RS_MOCK_FRESH_NODE must be true or false/],
    [['--bogus'], {}, /Unknown option '--bogus'.*--help/],
    // a negative number after a flag is its value (parseArgs alone calls it "ambiguous")
    [['--port', '-1'], {}, /^--port must be a whole number from 0 to 65535, not "-1"\.$/],
    [['--nodes', '-3', '--port', '1'], {}, /^--nodes must be a whole number from 1 to/],
    [['--db-ports', '20999-20000'], {}, /^--db-ports must be auto or FIRST-LAST/]
  ]
  for (const [argv, env, re] of bad) {
    t.throws(() => loadConfig(argv, env), { name: 'ConfigError', message: re }, argv.join(' ') || JSON.stringify(env))
  }
  t.ok(new ConfigError('x') instanceof Error)
})

t.test('--help lists every flag with its environment twin', async t => {
  t.equal(loadConfig(['--help'], {}), 'help')
  t.equal(loadConfig(['-h', '--port', 'x'], {}), 'help')
  t.equal(loadConfig(['--version'], {}), 'version')
  const text = helpText()
  for (const spec of Object.values(optionSpecs)) {
    t.match(text, `--${spec.flag}`)
    t.match(text, spec.env)
  }
})

t.test('test-control, persistence and timing options', async t => {
  const c = load([])
  t.equal(c.control, true)
  t.equal(c.controlToken, undefined)
  t.equal(c.stateFile, undefined)
  t.equal(c.scenario, undefined)
  t.equal(c.journalSize, 1000)
  t.equal(c.maxFaults, 100)
  t.equal(c.transitionDelayMs, 100)
  t.equal(c.logFormat, 'auto')
  t.equal(load(['--no-control']).control, false)
  t.equal(load([], { RS_MOCK_CONTROL: 'off' }).control, false)
  t.equal(load(['--control-token', 'tok']).controlToken, 'tok')
  t.equal(load([], { RS_MOCK_STATE_FILE: '/data/state.json' }).stateFile, '/data/state.json')
  t.equal(load(['--scenario', 'large']).scenario, 'large')
  t.equal(load(['--journal-size', '0']).journalSize, 0)
  t.equal(load([], { RS_MOCK_TRANSITION_DELAY_MS: '2500' }).transitionDelayMs, 2500)
  t.equal(load(['--log-format', 'text']).logFormat, 'text')
  for (const [argv, re] of [
    [['--scenario', 'large', '--fixtures', '.'], /--scenario and --fixtures/],
    [['--control-token', ''], /--control-token must not be empty/],
    [['--journal-size=-1'], /--journal-size must be a whole number/],
    [['--max-faults', '0'], /--max-faults must be a whole number/],
    [['--log-format', 'xml'], /--log-format must be one of/]
  ] as Array<[string[], RegExp]>) t.throws(() => loadConfig(argv, {}), { name: 'ConfigError', message: re }, argv.join(' '))
  const text = helpText()
  t.match(text, /--no-control\s+RS_MOCK_CONTROL\s/, 'a flag that defaults to on is shown as its --no- form')
  t.match(text, /--state-file <value>\s+RS_MOCK_STATE_FILE/)
  t.match(text, /--transition-delay-ms <n>\s+RS_MOCK_TRANSITION_DELAY_MS/)
})
