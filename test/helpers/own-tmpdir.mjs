// Each test process gets a temporary directory of its own (package.json "tap": node-arg), removed
// when it exits: files run in parallel, and some count what they leave in os.tmpdir().
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'tap-process-'))
process.env.TMPDIR = dir
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
