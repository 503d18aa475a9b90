// `npm start`: builds dist/ only when it is missing or stale, so on a built tree it is ready at once.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
// @ts-expect-error a plain .mjs script without types
import { staleReason } from '../../scripts/ensure-built.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

t.test('dist/ is stale when an output is missing or an input is newer than the oldest output', async t => {
  const root = t.testdir({
    src: { 'a.ts': '', nested: { 'b.ts': '' } },
    scripts: { 'bundle.mjs': '' },
    dist: { 'cli.js': '', 'main.js': '', 'index.js': '' },
    'tsconfig.json': '',
    'tsconfig.build.json': '',
    'package.json': '{}'
  })
  const age = (path: string, seconds: number) => { const when = new Date(Date.now() - seconds * 1000); utimesSync(join(root, path), when, when) }
  t.equal(staleReason(root), 'dist/healthcheck.js is missing')
  writeFileSync(join(root, 'dist/healthcheck.js'), '')
  for (const p of ['src/a.ts', 'src/nested/b.ts', 'src/nested', 'src', 'scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) age(p, 100)
  t.equal(staleReason(root), undefined, 'every output newer than every input: current')
  age('src/nested/b.ts', 0)
  age('dist/main.js', 50)
  t.equal(staleReason(root), 'src changed since the last build', 'a nested source newer than the oldest output')
  age('src/nested/b.ts', 100)
  mkdirSync(join(root, 'src/new-dir'))
  t.equal(staleReason(root), 'src changed since the last build', 'a new directory (or a deleted file) changes its parent')
})

t.test('npm start on a built tree does not build and is ready within seconds', async t => {
  t.equal(staleReason(ROOT), undefined, 'the tree is built (npm run build before this test)')
  const certs = join(t.testdir(), 'certs')
  const started = performance.now()
  const child = spawn('npm', ['start', '--silent', '--', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', '--certs-dir', certs],
    { cwd: ROOT, detached: true, env: { ...process.env, RS_MOCK_STATE_FILE: '' } })
  t.teardown(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} })
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const ready = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      if (/ready on https:/.test(out)) resolve(performance.now() - started)
    })
    child.on('exit', code => reject(new Error(`npm start exited ${code}: ${err}`)))
  })
  t.notMatch(err, /building/, 'no build')
  t.ok(ready < 5000, `ready ${Math.round(ready)} ms after npm start (a build takes ~10 s)`)
  t.comment(`npm start → ready line: ${Math.round(ready)} ms`)
})
