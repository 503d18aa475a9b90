// What `npm pack` ships: the built command and library, the fixtures, the licence; nothing that
// points at files the tarball lacks, and nothing that builds on the consumer's machine.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string, scripts: Record<string, string>, bin: Record<string, string> }

t.test('npm pack: LICENSE, no source maps, the bin and the fixtures', async t => {
  const out = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 })
  t.equal(out.status, 0, out.stderr)
  const files = (JSON.parse(out.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map(f => f.path)
  t.ok(files.includes('LICENSE'), 'LICENSE')
  t.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), new RegExp(`^${pkg.license} License`), 'the licence package.json declares')
  t.same(files.filter(f => f.endsWith('.map')), [], 'no source maps (they would name src/, which is not shipped)')
  t.same(files.filter(f => f.startsWith('src/') || f.startsWith('test/')), [], 'no sources or tests')
  for (const f of [pkg.bin['redis-enterprise-mock'], 'dist/index.js', 'dist/index.d.ts', 'dist/main.js', 'fixtures/default/bdbs.json']) t.ok(files.includes(f), f)
  const pointing = files.filter(f => f.endsWith('.js') && /sourceMappingURL/.test(readFileSync(join(ROOT, f), 'utf8')))
  t.same(pointing, [], 'no sourceMappingURL comment in the shipped code')
  // README's links (docs/..., CONTRIBUTING.md) resolve in the installed package, and so do the docs' own
  const broken: string[] = []
  for (const page of files.filter(f => f.endsWith('.md'))) {
    for (const [, target] of readFileSync(join(ROOT, page), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue // https:, mailto:
      const file = posix.normalize(posix.join(posix.dirname(page), target))
      if (!files.includes(file) && !files.some(f => f.startsWith(`${file.replace(/\/$/, '')}/`))) broken.push(`${page} → ${target}`)
    }
  }
  t.ok(files.includes('README.md') && files.some(f => f.startsWith('docs/')), 'the README and the docs it links to')
  t.same(broken, [], 'every relative link of a shipped page names a shipped file')
})

t.test('no install-time build for consumers; the tarball is git-ignored', async t => {
  for (const s of ['prepare', 'preinstall', 'install', 'postinstall']) t.notOk(s in pkg.scripts, `no ${s} script`)
  t.equal(pkg.scripts.prepack, 'npm run build', '`npm pack` packs a fresh build')
  t.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^\*\.tgz$/m)
})
