// `node scripts/gen-examples.mjs [DIR]`: reads the RS REST API reference's requests pages (DIR,
// by default ../shared/reference/rs-docs/requests/, the Markdown sources of
// https://redis.io/docs/latest/operate/rs/references/rest-api/requests/) and writes
// test/examples/examples.json: every documented request example as printed (method, path,
// headers, body), the section's status codes and error codes, and the shape (keys and JSON
// types) of the example response body. test/examples/examples.test.ts sends them to the mock;
// the tests read only the JSON file, never the pages.
// `--figures` then runs the examples (test/examples/figures.ts) and writes the figures into
// docs/coverage.md and the stated exceptions into docs/differences.md; `--check` writes nothing
// and exits 1 when a file is stale; `--out FILE` writes the table elsewhere.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { execFileSync } from 'node:child_process'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: 'boolean' }, figures: { type: 'boolean' }, out: { type: 'string' } } })
const sourceDir = positionals[0] ?? join(root, '..', 'shared', 'reference', 'rs-docs', 'requests')
const outFile = args.out ?? join(root, 'test', 'examples', 'examples.json')

const METHOD_LINE = /^\s*(GET|PUT|POST|DELETE|PATCH)\s+(\/v\d\/\S*)\s*$/

function pages (dir) {
  const out = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...pages(p))
    else if (name.endsWith('.md')) out.push(p)
  }
  return out
}

/**
 * JSON as the pages print it: `// comments`, `"// additional fields..."` lines, `...`, trailing
 * commas. Returns undefined when the text is still not JSON after that.
 */
export function lenientJson (text) {
  const cleaned = text
    .split('\n')
    .map(l => l.replace(/^(\s*)"(\/\/[^"]*|\.{3,})",?\s*$/, '$1').replace(/(^|[\s,[{])\/\/.*$/, '$1').replace(/^\s*\.\.\.,?\s*$/, ''))
    .join('\n')
    .replace(/([[{])\s*"\.{3,}"\s*([\]}])/g, '$1$2')
    .replace(/,\s*"\.{3,}"\s*([\]}])/g, '$1')
    .replace(/,\s*\.\.\.\s*([\]}])/g, '$1')
    .replace(/,(\s*[\]}])/g, '$1')
  try { return JSON.parse(cleaned) } catch { return undefined }
}

const jsonType = v => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v

/** Keys and JSON types: an object maps keys to shapes, an array holds one shape (its elements merged). */
export function shapeOf (v) {
  if (Array.isArray(v)) {
    const objs = v.filter(e => e !== null && typeof e === 'object' && !Array.isArray(e))
    if (objs.length > 0) return [objs.reduce((acc, e) => mergeShape(acc, shapeOf(e)), {})]
    return v.length > 0 ? [shapeOf(v[0])] : []
  }
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, shapeOf(e)]))
  return jsonType(v)
}

function mergeShape (a, b) {
  const out = { ...a }
  for (const [k, s] of Object.entries(b)) out[k] = k in out && typeof out[k] === 'object' && typeof s === 'object' && !Array.isArray(s) ? mergeShape(out[k], s) : (out[k] ?? s)
  return out
}

/** The code blocks and the other lines of a piece of Markdown, in order. */
function blocks (lines) {
  const out = []
  let fence
  for (const line of lines) {
    const m = /^\s*```(\w*)/.exec(line)
    if (m !== null) {
      if (fence === undefined) { fence = { kind: 'code', lang: m[1], lines: [] }; continue }
      out.push(fence); fence = undefined; continue
    }
    if (fence !== undefined) fence.lines.push(line)
    else out.push({ kind: 'line', text: line })
  }
  return out
}

function tableRows (lines) {
  return lines.filter(l => /^\s*\|/.test(l) && !/^\s*\|\s*-/.test(l)).map(l => l.trim().replace(/^\||\|$/g, '').split('|').map(c => c.trim()))
}

/** The text between a heading that matches `re` and the next heading of the same or a higher level. */
function subsection (lines, re) {
  const start = lines.findIndex(l => re.test(l))
  if (start < 0) return []
  const level = /^#+/.exec(lines[start])[0].length
  const rest = lines.slice(start + 1)
  const end = rest.findIndex(l => { const m = /^(#+) /.exec(l); return m !== null && m[1].length <= level })
  return end < 0 ? rest : rest.slice(0, end)
}

function parseSection (page, title, lines) {
  const anchor = /\{#([^}]+)\}/.exec(title)?.[1] ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  const endpointLine = lines.find(l => METHOD_LINE.test(l.replace(/\{[a-z]+: ?/g, '{')))
  const endpoint = endpointLine?.trim().replace(/\{[a-z]+: ?([a-z_]+)\}/g, '{$1}')
  const request = subsection(lines, /^###+ Request\b/)
  if (request.length === 0) return []
  const response = subsection(lines, /^###+ Response\b/)
  const statusLines = [...subsection(lines, /^#+ Status codes/), ...lines.filter(l => /^\|\s*\[\d{3} /.test(l))]
  const statuses = [...new Set(tableRows(statusLines).map(r => /^\[?(\d{3})\b/.exec(r[0])?.[1]).filter(Boolean).map(Number))].sort()
  const errorCodes = [...new Set(tableRows(subsection(lines, /^#+ Error codes/)).map(r => r[0].replace(/`/g, '')).filter(c => /^[a-z][a-z0-9_]*$/.test(c) && c !== 'code'))]
  const headers = {}
  for (const row of tableRows(subsection(request, /^#+ (Request )?[Hh]eaders/))) {
    if (row.length >= 2 && /^[A-Za-z-]+$/.test(row[0]) && row[0] !== 'Key') headers[row[0]] = row[1].replace(/`/g, '')
  }
  // Each example line of the request part, with the JSON block that follows it.
  const examples = []
  for (const b of blocks(request)) {
    const texts = b.kind === 'line' ? [b.text] : b.lines
    const reqLines = texts.filter(t => METHOD_LINE.test(t))
    for (const t of reqLines) {
      const [, method, path] = METHOD_LINE.exec(t)
      examples.push({ method, path })
    }
    if (b.kind === 'code' && reqLines.length === 0 && /^\s*[[{]/.test(b.lines.join('\n')) && examples.length > 0) {
      const ex = examples.at(-1)
      if (ex.bodyText !== undefined) continue
      ex.bodyText = b.lines.join('\n').replace(/^\t/gm, '')
    }
  }
  // One example response per request example when the page prints as many, else the first for all.
  const responseBlocks = blocks(response).filter(b => b.kind === 'code' && /^\s*[[{]/.test(b.lines.join('\n')))
  return examples.map((ex, i) => {
    const responseText = (responseBlocks.length === examples.length ? responseBlocks[i] : responseBlocks[0])?.lines.join('\n')
    const responseJson = responseText === undefined ? undefined : lenientJson(responseText)
    const body = ex.bodyText === undefined ? undefined : lenientJson(ex.bodyText)
    return {
      id: `${page}#${anchor}${examples.length > 1 ? `/${i + 1}` : ''}`,
      endpoint,
      method: ex.method,
      path: ex.path,
      headers,
      ...(ex.bodyText === undefined ? {} : body === undefined ? { bodyText: ex.bodyText } : { body }),
      statuses,
      errorCodes,
      ...(responseText === undefined ? {} : responseJson === undefined ? { responseText } : { response: shapeOf(responseJson) })
    }
  })
}

export function parsePages (dir) {
  const out = []
  for (const file of pages(dir)) {
    const page = relative(dir, file).split('\\').join('/')
    const lines = readFileSync(file, 'utf8').split('\n')
    let title
    let section = []
    const flush = () => { if (title !== undefined) out.push(...parseSection(page, title, section)) }
    for (const line of lines) {
      if (/^## /.test(line)) { flush(); title = line.slice(3).trim(); section = [] } else section.push(line)
    }
    flush()
  }
  return out
}

let failed = false
const write = (file, text) => {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : ''
  if (old === text) return
  if (args.check) { console.error(`${relative(root, file) || file} is out of date: run node scripts/gen-examples.mjs`); failed = true } else writeFileSync(file, text)
}

if (existsSync(sourceDir)) {
  const examples = parsePages(sourceDir)
  write(outFile, JSON.stringify(examples, null, 1) + '\n')
  console.log(`${examples.length} examples from ${relative(process.cwd(), sourceDir) || '.'}`)
} else if (!existsSync(outFile)) {
  console.error(`no reference pages at ${sourceDir} and no ${relative(root, outFile)}`)
  process.exit(1)
}

if (args.figures) {
  // The runner is TypeScript: it runs under the tests' loader, which strips the types.
  const out = execFileSync(process.execPath, ['--import', './test/helpers/test-process.mjs', 'test/examples/figures.ts'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
  const blocksOut = JSON.parse(out)
  for (const [name, pageName] of [['examples', 'coverage.md'], ['example-exceptions', 'differences.md']]) {
    const page = join(root, 'docs', pageName)
    const text = readFileSync(page, 'utf8')
    const begin = `<!-- BEGIN GENERATED: ${name} -->`
    const end = `<!-- END GENERATED: ${name} -->`
    const a = text.indexOf(begin)
    const b = text.indexOf(end)
    if (a < 0 || b < a) throw new Error(`docs/${pageName} has no ${begin} … ${end} block`)
    write(page, `${text.slice(0, a + begin.length)}\n${blocksOut[name]}\n${text.slice(b)}`)
  }
}
if (failed) process.exit(1)
