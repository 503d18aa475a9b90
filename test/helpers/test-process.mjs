// Set-up of every test process (package.json "tap": test-env NODE_OPTIONS, so that it runs before
// tap's coverage recorder, which must see the JavaScript that actually runs).
// - TypeScript: with TAP_TYPE_STRIP_ONLY=1 tap's ts-node loader stays off and ts-hooks.mjs strips
//   the types with esbuild, with inline source maps for stack traces and coverage. ts-node loaded
//   the TypeScript compiler into every test process: about a second of CPU each. Types are
//   checked once, by `npm run typecheck`.
// - A temporary directory of its own, removed at exit: files run in parallel, and some count what
//   they leave in os.tmpdir().
import { register } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

register('./ts-hooks.mjs', import.meta.url)

const dir = mkdtempSync(join(tmpdir(), 'tap-process-'))
process.env.TMPDIR = dir
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

// The commands a test starts (node dist/cli.js, ...) run JavaScript: they need none of this.
process.env.NODE_OPTIONS = (process.env.NODE_OPTIONS ?? '').replace(/--import=\S*test-process\.mjs/, '').trim()
