// `npm start`'s prestart: builds dist/ only when it is missing or older than what it is built
// from, so `npm start` on a built tree starts in a fraction of a second instead of ~10 s.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const INPUTS = ['src', 'scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json']
const OUTPUTS = ['dist/cli.js', 'dist/main.js', 'dist/index.js', 'dist/healthcheck.js']

function newest (path) {
  const s = statSync(path, { throwIfNoEntry: false })
  if (s === undefined) return 0
  if (!s.isDirectory()) return s.mtimeMs
  return Math.max(s.mtimeMs, ...readdirSync(path).map(name => newest(join(path, name))))
}

/** Why ROOT's dist/ must be built again, or undefined when it is current. */
export function staleReason (root) {
  const outputs = OUTPUTS.map(p => statSync(join(root, p), { throwIfNoEntry: false }))
  const missing = OUTPUTS.find((p, i) => outputs[i] === undefined)
  if (missing !== undefined) return `${missing} is missing`
  const built = Math.min(...outputs.map(s => s.mtimeMs))
  const changed = INPUTS.find(p => newest(join(root, p)) > built)
  return changed === undefined ? undefined : `${changed} changed since the last build`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const why = staleReason(root)
  if (why !== undefined) {
    process.stderr.write(`redis-enterprise-mock: building dist/ (${why})\n`)
    const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
    process.exitCode = r.status ?? 1
  }
}
