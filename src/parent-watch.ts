// Under `npm start` or `npx`, npm stands between the user's signal and the server: killed by
// SIGTERM or SIGINT, npm goes and leaves the server running on its port. So when `npm start` or
// npx started it (npm_command `start` or `exec`), the command watches its parent and the npm
// above it, and closes as if it got SIGTERM once either is gone. Started any other way (a
// shell's `&`, an npm script that backgrounds it, Docker's PID 1, a test's spawn) it watches
// nothing: a mock left in the background on purpose keeps running.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const EVERY_MS = 500

/** The parent of PID: /proc on Linux, ps elsewhere; undefined when neither says. */
export function parentOf (pid: number): number | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {}
  const r = spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 })
  const n = Number(r.stdout?.trim())
  return r.status === 0 && Number.isInteger(n) && n > 0 ? n : undefined
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Calls `gone` once when the process that started this one (and, under npm, the npm above it)
 * has exited. Returns the pids watched (none: not started by npm) and a stop function.
 */
export function watchParents (gone: (pid: number) => void, env: NodeJS.ProcessEnv = process.env): { pids: number[], stop: () => void } {
  const parent = process.ppid
  if ((env.npm_command !== 'start' && env.npm_command !== 'exec') || parent <= 1) return { pids: [], stop: () => {} }
  const above = parentOf(parent)
  const pids = above !== undefined && above > 1 ? [parent, above] : [parent]
  const timer = setInterval(() => {
    // a parent that exits makes this process an orphan: its ppid changes at once
    const missing = process.ppid !== parent ? parent : pids.find(pid => !alive(pid))
    if (missing === undefined) return
    clearInterval(timer)
    gone(missing)
  }, EVERY_MS)
  timer.unref()
  return { pids, stop: () => clearInterval(timer) }
}
