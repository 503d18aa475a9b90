// The store's layout (docs/architecture.md#the-store): domains in one order, each entered through
// its index.ts, no circles anywhere in src/ (type-only imports count), no folder of more than 15.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const STORE = 'src/store'
/** Lowest first: a domain imports only the domains before it. */
const DOMAINS = ['kernel', 'settings', 'access', 'topology', 'monitoring', 'databases', 'active-active', 'cluster']
const MAX_FILES = 15

function walk (dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap(name => {
    const path = `${dir}/${name}`
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : []
  })
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)/g
/** Each file's relative imports as repository paths (`.js` read as its `.ts`), type-only ones too. */
export function importsOf (file: string, text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2]
    if (spec.startsWith('.')) out.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'))
  }
  return out
}

/** The files of one circle, or null: depth-first search over the graph. */
export function findCircle (graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n]
    state.set(n, 'open')
    path.push(n)
    for (const m of graph.get(n) ?? []) {
      const found = visit(m)
      if (found !== null) return found
    }
    path.pop()
    state.set(n, 'done')
    return null
  }
  for (const n of graph.keys()) {
    const found = visit(n)
    if (found !== null) return found
  }
  return null
}

const domainOf = (file: string): string | null => {
  const m = /^src\/store\/([^/]+)\//.exec(file)
  return m === null ? null : m[1]
}

/** Why an import from `from` to `to` breaks the layout, or null. */
export function layoutProblem (from: string, to: string): string | null {
  const source = domainOf(from)
  const target = domainOf(to)
  if (/^src\/(base|schemas)\//.test(from) && to.startsWith(`${STORE}/`)) return `${from} imports ${to}: base and schemas stand below the store`
  if (to.startsWith(`${STORE}/`) && !from.startsWith(`${STORE}/`) && target === null && to !== `${STORE}/index.ts`) {
    return `${from} imports ${to}: from outside the store, only src/store/index.ts or a domain's index.ts`
  }
  if (from.startsWith(`${STORE}/`) && !to.startsWith(`${STORE}/`) && !/^src\/(base|schemas)\//.test(to)) {
    return `${from} imports ${to}: the store stands on src/base and src/schemas only`
  }
  if (target === null || source === target) return null
  if (!to.endsWith('/index.ts')) return `${from} imports ${to}: a domain is entered through its index.ts`
  if (source !== null && DOMAINS.indexOf(target) >= DOMAINS.indexOf(source)) {
    return `${from} imports ${to}: ${source} may import only ${DOMAINS.slice(0, DOMAINS.indexOf(source)).join(', ') || 'no domain'}`
  }
  return null
}

const files = [...walk('src'), ...walk('test').filter(f => !f.startsWith('test/groups/'))]
const graph = new Map(files.map(f => [f, importsOf(f, readFileSync(join(ROOT, f), 'utf8'))]))

t.test('the checks can fail', async t => {
  t.same(findCircle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), ['a', 'b', 'c', 'a'], 'a circle is found')
  t.equal(findCircle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), null, 'a diamond is no circle')
  t.match(layoutProblem('src/store/kernel/core.ts', 'src/store/databases/index.ts'), /kernel may import only no domain/)
  t.match(layoutProblem('src/store/databases/bdbs.ts', 'src/store/kernel/core.ts'), /entered through its index.ts/)
  t.match(layoutProblem('src/routes/bdbs.ts', 'src/store/snapshot.ts'), /from outside the store/)
  t.match(layoutProblem('src/store/settings/settings.ts', 'src/http/plugin.ts'), /src\/base and src\/schemas only/)
  t.match(layoutProblem('src/schemas/user.ts', 'src/store/access/index.ts'), /below the store/)
  t.equal(layoutProblem('src/store/cluster/cluster.ts', 'src/store/databases/index.ts'), null, 'down the order is fine')
  t.same(importsOf('src/a/b.ts', "import type { X } from '../c/d.js'\nexport { y } from './e.js'\nconst z = await import('./f.js')"),
    ['src/c/d.ts', 'src/a/e.ts', 'src/a/f.ts'])
})

t.test('no circles in src/ or test/, type-only imports included', async t => {
  const circle = findCircle(graph)
  t.equal(circle, null, circle === null ? 'none' : circle.join(' -> '))
})

t.test('domains are entered through their index.ts and import only the domains below them', async t => {
  const problems = [...graph].flatMap(([from, tos]) => tos.map(to => layoutProblem(from, to)).filter(p => p !== null))
  t.same(problems, [])
  t.same(readdirSync(join(ROOT, STORE)).filter(n => statSync(join(ROOT, STORE, n)).isDirectory()).sort(), [...DOMAINS].sort(),
    'every folder of the store has its place in the order')
})

t.test(`no folder of the store holds more than ${MAX_FILES} files`, async t => {
  const counts = new Map<string, number>()
  for (const f of walk(STORE)) counts.set(dirname(f), (counts.get(dirname(f)) ?? 0) + 1)
  const over = [...counts].filter(([, n]) => n > MAX_FILES).map(([d, n]) => `${relative(ROOT, join(ROOT, d))}: ${n}`)
  t.same(over, [])
  t.ok(counts.size >= DOMAINS.length + 1, 'the domains and the root were counted')
})

t.test('docs/architecture.md leads from every endpoint group to files that exist, and names every route file', async t => {
  const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')
  const table = page.slice(page.indexOf('### From an endpoint to its files'), page.indexOf('## A request, step by step'))
  const rows = table.split('\n').filter(l => l.startsWith('| `/'))
  t.ok(rows.length >= 30, `${rows.length} rows`)
  const missing: string[] = []
  const routes = new Set<string>()
  for (const row of rows) {
    const cells = row.replace(/^\|/, '').replace(/\|$/, '').split(' | ').map(c => c.trim())
    for (const [dir, cell] of [['src/routes', cells[1]], ['src/schemas', cells[2]], ['src/store', cells[3]]] as const) {
      for (const m of (cell ?? '').matchAll(/`([a-z-]+(?:\/[a-z-]+)?\.ts)`/g)) {
        if (!statSafe(join(ROOT, dir, m[1]))) missing.push(`${dir}/${m[1]}`)
        if (dir === 'src/routes') routes.add(m[1])
      }
    }
  }
  t.same(missing, [], 'every file the table names exists')
  const registering = readdirSync(join(ROOT, 'src/routes'))
    .filter(f => /\bapp\.(get|put|post|delete|patch)\b[^\n]*[`']\/v\d\//.test(readFileSync(join(ROOT, 'src/routes', f), 'utf8')))
  t.same(registering.filter(f => !routes.has(f)), [], 'every route file that registers routes has a row')
})

function statSafe (path: string): boolean {
  try { return statSync(path).isFile() } catch { return false }
}
