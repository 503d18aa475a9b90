// `npm start` and `npx redis-enterprise-mock` stopped by a signal to npm must not leave the
// server running: `npm start` execs the server (npm signals it directly), and under npm the
// command closes once its parent or the npm above it is gone (src/parent-watch.ts).
import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cliPath } from '../helpers/cli.js'
import { alive, eventually, portState } from '../helpers/redis.js'
import { parentOf, watchParents } from '../../src/parent-watch.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Spawns CMD, resolves the server's pid and port from its JSON ready record. */
function started (t: Test, child: ChildProcess): Promise<{ pid: number, port: number }> {
  t.teardown(() => { try { child.kill('SIGKILL') } catch {} })
  let out = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const line = out.split('\n').find(l => l.includes('ready on https://'))
      if (line === undefined) return
      const rec = JSON.parse(line) as { pid: number, url: string }
      t.teardown(() => { try { process.kill(rec.pid, 'SIGKILL') } catch {} })
      resolve({ pid: rec.pid, port: Number(/:(\d+)$/.exec(rec.url)![1]) })
    })
    child.on('exit', code => reject(new Error(`exited ${code} first: ${out}`)))
  })
}

const ARGS = ['--host', '127.0.0.1', '--port', '0', '--log-format', 'json', '--db-ports', 'auto']

t.test('not started by npm start or npx: nothing is watched', async t => {
  t.same(watchParents(() => t.fail('called'), {}).pids, [])
  t.same(watchParents(() => t.fail('called'), { npm_command: 'run-script' }).pids, [], 'an npm script may leave it in the background')
  t.same(watchParents(() => t.fail('called'), { npm_command: 'test' }).pids, [], 'so may a test run')
  const watched = watchParents(() => {}, { npm_command: 'start' })
  t.ok(watched.pids.includes(process.ppid), 'npm start: the parent is watched')
  watched.stop()
  t.equal(parentOf(process.pid), process.ppid, 'the parent of a pid, as the system says')
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`npm start, then ${signal} to npm: the server stops too`, async t => {
    const certs = t.testdir()
    const npm = spawn('npm', ['start', '--', ...ARGS, '--certs-dir', certs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const { pid, port } = await started(t, npm)
    npm.kill(signal)
    await eventually('the server to exit', () => !alive(pid))
    t.equal(await portState(port), 'ECONNREFUSED', 'its port is free')
  })
}

t.test('under npm, a shell between npm and the server (as npx runs it): the shell killed, the server closes', async t => {
  const certs = t.testdir()
  const sh = spawn('/bin/sh', ['-c', `"${process.execPath}" "${cliPath}" ${[...ARGS, '--certs-dir', certs].join(' ')}`], {
    env: { ...process.env, npm_command: 'exec' }, stdio: ['ignore', 'pipe', 'pipe']
  })
  const { pid } = await started(t, sh)
  sh.kill('SIGTERM') // what npm does with the SIGTERM it gets
  await eventually('the server to exit', () => !alive(pid))
  t.notOk(alive(pid), 'closed')
})

t.test('under npm, npm itself killed outright while the shell waits: the server closes', async t => {
  const certs = t.testdir()
  // a stand-in npm: a node process that runs the command through sh, as npm does
  const runner = 'require(\'child_process\').spawn(\'/bin/sh\', [\'-c\', process.argv[1]], { stdio: \'inherit\' })'
  const command = `"${process.execPath}" "${cliPath}" ${[...ARGS, '--certs-dir', certs].join(' ')}`
  const npm = spawn(process.execPath, ['-e', runner, command], { env: { ...process.env, npm_command: 'exec' }, stdio: ['ignore', 'pipe', 'pipe'] })
  const { pid } = await started(t, npm)
  npm.kill('SIGKILL')
  await eventually('the server to exit', () => !alive(pid))
  t.notOk(alive(pid), 'closed')
})
