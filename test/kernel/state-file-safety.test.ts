// The state file against a hostile directory and hostile documents: planted temporary files and
// symlinks, nesting that would exhaust the stack, two users with one login.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { defaultFixturesDir } from '../../src/config.js'
import { attachStateFile } from '../../src/persistence.js'
import { cliPath } from '../helpers/cli.js'

const seed = loadSeed(defaultFixturesDir)

t.test('a file or symlink planted under a temporary name never becomes the state, and is cleaned at start', async t => {
  const dir = t.testdir({ 'victim.txt': 'precious', 'planted-target.json': '' })
  const path = join(dir, 'state.json')
  // The names the earlier writer used (<state>.<pid>.tmp) and the current pattern.
  symlinkSync(join(dir, 'victim.txt'), `${path}.${process.pid}.tmp`)
  writeFileSync(`${path}.${process.pid + 1}.tmp`, 'planted', { mode: 0o666 })
  symlinkSync(join(dir, 'victim.txt'), `${path}.${'ab'.repeat(16)}.tmp`)
  const store = createStore(seed)
  attachStateFile(store, path)
  store.core.changed()
  t.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'precious', 'a symlink target is never written')
  t.notOk(lstatSync(path).isSymbolicLink())
  t.equal(statSync(path).mode & 0o777, 0o600, 'the state file is readable by its owner only')
  t.equal(statSync(path).uid, process.getuid?.())
  t.same(readdirSync(dir).sort(), ['planted-target.json', 'state.json', 'victim.txt'], 'leftovers removed, nothing else')
  t.equal(JSON.parse(readFileSync(path, 'utf8')).format, 'redis-enterprise-mock/state')
})

const doc = () => {
  const store = createStore(seed)
  const dir = t.testdir()
  attachStateFile(store, join(dir, 'seed.json'))
  return JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8'))
}

t.test('a state file nested 20,000 levels deep or with two users sharing a login is refused in one sentence', async t => {
  const dir = t.testdir()
  const deep = doc()
  deep.state.cluster.x = 0
  writeFileSync(join(dir, 'deep.json'), JSON.stringify(deep).replace('"x":0', `"x":${'['.repeat(20_000)}${']'.repeat(20_000)}`))
  t.throws(() => attachStateFile(createStore(seed), join(dir, 'deep.json')), { name: 'ConfigError', message: /nests more than 64 levels deep/ })

  const twins = doc()
  const users = twins.state.users.$map as Array<[number, { user: { email: string } }]>
  users[1][1].user.email = users[0][1].user.email
  writeFileSync(join(dir, 'twins.json'), JSON.stringify(twins))
  t.throws(() => attachStateFile(createStore(seed), join(dir, 'twins.json')), { name: 'ConfigError', message: /has the email "admin@redis.local" of another user/ })

  for (const name of ['deep.json', 'twins.json']) {
    const before = readFileSync(join(dir, name), 'utf8')
    const out = spawnSync(process.execPath, [cliPath, '--port', '0', '--certs-dir', dir, '--state-file', join(dir, name)], { encoding: 'utf8', timeout: 20_000 })
    t.equal(out.status, 2, `${name}: exit 2 like other config errors`)
    t.equal(out.stderr.trim().split('\n').length, 1, 'one line')
    t.notMatch(out.stderr, /Maximum call stack|\s+at /)
    t.equal(readFileSync(join(dir, name), 'utf8'), before, 'left as it is')
  }
})
