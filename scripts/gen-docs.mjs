// `npm run docs`: writes the generated parts of docs/. The option table of configuration.md comes
// from the command's own option table (what --help prints); coverage.md compares the documented
// RS routes of endpoints.tsv with the routes the app registers. `--check` writes nothing and exits
// 1 when a page is not what this would write; `--docs-dir DIR` works on another copy of docs/.
// It reads the built library, so `npm run build` comes first.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args } = parseArgs({ options: { check: { type: 'boolean' }, 'docs-dir': { type: 'string' } } })
const docsDir = args['docs-dir'] ?? join(root, 'docs')

// A documented path whose last segment is an action parameter is served when every action the
// RS docs name for it is served as a concrete route.
const DOCUMENTED_ACTIONS = {
  'PUT /v1/bdbs/{uid}/{action}': ['flush', 'reset_admin_pass'],
  'POST /v1/bootstrap/{action}': ['create_cluster', 'join_cluster', 'recover_cluster'],
  'POST /v1/bootstrap/validate/{action}': ['create_cluster', 'join_cluster', 'recover_cluster'],
  'GET /v1/cluster/actions/{action}': ['change_master'],
  'POST /v1/cluster/actions/{action}': ['change_master'],
  'DELETE /v1/cluster/actions/{action}': ['change_master'],
  'GET /v1/nodes/{node_uid}/actions/{action}': ['remove', 'maintenance_on', 'maintenance_off', 'enslave_node'],
  'POST /v1/nodes/{node_uid}/actions/{action}': ['remove', 'maintenance_on', 'maintenance_off', 'enslave_node'],
  'DELETE /v1/nodes/{node_uid}/actions/{action}': ['remove', 'maintenance_on', 'maintenance_off', 'enslave_node']
}

/** Replaces the text between `<!-- BEGIN GENERATED: name -->` and its END marker. */
function fill (page, name, body) {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`
  const end = `<!-- END GENERATED: ${name} -->`
  const a = page.indexOf(begin)
  const b = page.indexOf(end)
  if (a < 0 || b < a) throw new Error(`the page has no ${begin} … ${end} block`)
  return `${page.slice(0, a + begin.length)}\n${body}\n${page.slice(b)}`
}

const cell = s => String(s).replaceAll('|', '\\|')

export function optionRows (specs) {
  const rows = ['| flag | environment | default | accepted | meaning |', '|---|---|---|---|---|']
  for (const s of Object.values(specs)) {
    const flag = s.kind === 'boolean' && s.default === true ? `--no-${s.flag}` : `--${s.flag}`
    let def = ''
    if (s.flag === 'fixtures') def = 'bundled `fixtures/default`'
    else if (s.kind === 'boolean') def = s.default ? 'on' : 'off'
    else if (s.default !== undefined && !(Array.isArray(s.default) && s.default.length === 0)) def = `\`${s.default}\``
    let accepted = ''
    if (s.kind === 'integer') accepted = `${s.min}–${s.max}`
    else if (s.choices) accepted = s.choices.map(c => `\`${c}\``).join(', ')
    else if (s.kind === 'list') accepted = 'comma-separated'
    else if (s.kind === 'boolean') accepted = 'flag; env `true`/`false`'
    rows.push(`| \`${flag}\` | \`${s.env}\` | ${def} | ${accepted} | ${cell(s.help)} |`)
  }
  return rows.join('\n')
}

const norm = path => path.split('/').map(seg => seg.startsWith('{') || seg.startsWith(':') ? '{}' : seg).join('/')

function readDocumented () {
  const lines = readFileSync(join(docsDir, 'endpoints.tsv'), 'utf8').trim().split('\n').slice(1)
  return lines.map(line => {
    const [method, path, group] = line.split('\t')
    return { method, path, group }
  })
}

const LIST_BEGIN = '<!-- BEGIN LIST: served-undocumented -->'
const LIST_END = '<!-- END LIST: served-undocumented -->'

/** The page's hand-kept "served but not documented" rows: `| \`GET\` | \`/v1/x\` | note |`. */
function readUndocumentedList (page) {
  const a = page.indexOf(LIST_BEGIN)
  const b = page.indexOf(LIST_END)
  if (a < 0 || b < a) throw new Error(`coverage.md has no ${LIST_BEGIN} … ${LIST_END} block`)
  const out = []
  for (const m of page.slice(a, b).matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \|/gm)) out.push(`${m[1]} ${norm(m[2])}`)
  return out
}

export function coverage (documented, served, listed) {
  const servedSet = new Set(served.map(r => `${r.method} ${norm(r.url)}`))
  const used = new Set()
  const rows = documented.map(d => {
    const key = `${d.method} ${d.path}`
    const actions = DOCUMENTED_ACTIONS[key]
    let ok
    let note = ''
    if (actions) {
      const concrete = actions.map(a => `${d.method} ${norm(d.path.replace(/\{action\}$/, a))}`)
      ok = concrete.every(c => servedSet.has(c))
      concrete.filter(c => servedSet.has(c)).forEach(c => used.add(c))
      // the route with the parameter itself, where served, answers the actions the docs do not name
      const generic = `${d.method} ${norm(d.path)}`
      if (servedSet.has(generic)) used.add(generic)
      note = ` (${actions.map(a => `\`${a}\``).join(', ')})`
    } else {
      ok = servedSet.has(`${d.method} ${norm(d.path)}`)
      if (ok) used.add(`${d.method} ${norm(d.path)}`)
    }
    return { ...d, ok, note }
  })
  const extra = [...servedSet].filter(k => !used.has(k)).sort()
  const problems = [
    ...extra.filter(k => !listed.includes(k)).map(k => `served but neither documented nor in the served-undocumented list: ${k}`),
    ...listed.filter(k => !extra.includes(k)).map(k => `in the served-undocumented list but ${used.has(k) ? 'documented' : 'not served'}: ${k}`)
  ]
  return { rows, extra, problems }
}

export function coverageBody (rows) {
  const groups = [...new Set(rows.map(r => r.group))].sort()
  const count = rs => rs.filter(r => r.ok).length
  const out = [
    `**Served: ${count(rows)} of ${rows.length}** documented method/path pairs.`,
    '',
    '| group | served | documented |',
    '|---|---|---|',
    ...groups.map(g => {
      const rs = rows.filter(r => r.group === g)
      return `| [${g}](#${g.replace(/[^\w-]/g, '').toLowerCase()}) | ${count(rs)} | ${rs.length} |`
    })
  ]
  for (const g of groups) {
    const rs = rows.filter(r => r.group === g)
    out.push('', `### ${g}`, '', `${count(rs)} of ${rs.length} served.`, '')
    for (const r of rs) out.push(`- ${r.ok ? '✓' : '✗'} \`${r.method} ${r.path}\`${r.note}`)
  }
  return out.join('\n')
}

async function servedRoutes () {
  const { createMock } = await import(join(root, 'dist', 'index.js'))
  const mock = await createMock()
  await mock.app.ready()
  const routes = mock.app.apiRoutes.filter(r => /^\/v\d+\//.test(r.url)).map(r => ({ method: r.method, url: r.url }))
  await mock.close()
  return routes
}

async function main () {
  const { optionSpecs } = await import(join(root, 'dist', 'config.js'))
  const pages = {}
  const configPath = join(docsDir, 'configuration.md')
  const config = readFileSync(configPath, 'utf8')
  pages[configPath] = [config, fill(config, 'options', optionRows(optionSpecs))]

  const coveragePath = join(docsDir, 'coverage.md')
  const page = readFileSync(coveragePath, 'utf8')
  const served = await servedRoutes()
  const { rows, problems } = coverage(readDocumented(), served, readUndocumentedList(page))
  pages[coveragePath] = [page, fill(page, 'coverage', coverageBody(rows))]

  let failed = problems.length > 0
  for (const p of problems) console.error(`docs/coverage.md: ${p}`)
  for (const [path, [current, wanted]] of Object.entries(pages)) {
    if (current === wanted) continue
    if (args.check) {
      console.error(`${path} is out of date: run npm run docs`)
      failed = true
    } else {
      writeFileSync(path, wanted)
      console.log(`wrote ${path}`)
    }
  }
  process.exitCode = failed ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
