// The library example of docs/library.md is run as written: it imports the package by its name
// (resolved to this checkout through package.json "exports") and must pass under node --test.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const root = fileURLToPath(new URL('../..', import.meta.url))

t.test('the node:test example of docs/library.md passes', async t => {
  const page = readFileSync(join(root, 'docs', 'library.md'), 'utf8')
  const start = page.indexOf('// test/mock.test.mjs: node --test')
  t.ok(start > 0, 'docs/library.md has the example')
  const code = page.slice(start, page.indexOf('```', start))
  // Inside the package root, so that `from 'redis-enterprise-mock'` resolves to this checkout.
  const dir = join(root, '.tap', 'readme-example')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `example-${process.pid}.test.mjs`)
  writeFileSync(file, code)
  t.teardown(() => rmSync(file, { force: true }))
  const out = await new Promise<{ code: number, stdout: string }>(resolve => {
    execFile(process.execPath, ['--test', '--test-reporter=tap', file], { timeout: 60_000, cwd: root }, (error, stdout) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout }))
  })
  t.equal(out.code, 0, out.stdout.slice(-2000))
  t.match(out.stdout, /# pass 4/)
  t.match(out.stdout, /# fail 0/)
})
