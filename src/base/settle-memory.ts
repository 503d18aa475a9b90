// A started command holds the garbage its start-up made (fixtures parsed, routes compiled, TLS
// contexts) and the heap pages it grew for it: ~6 MiB of resident memory that V8's own memory
// reducer gives back only ~8 s after start, and never under `--no-memory-reducer`. Once the
// process has been idle for a poll period, this asks V8 for the same memory-reducing collection
// at once (what an inspector's "collect garbage" does). Such a collection once made every later
// request cost more CPU: it takes the maps of process.nextTick's objects, which the command now
// keeps first (tick-shapes.ts), so main.ts starts this after keepTickShapes()
// (docs/performance.md, "Memory against speed"). Only the command does this: a test process that
// imports the library keeps its own heap as it is.
import type { Log } from './log.js'

const POLL_MS = 250
/** CPU time under which a poll period counts as idle */
const IDLE_CPU_MS = 5

/** What the collection gave back, in bytes, and how long it took. */
export interface Released { heap_before: number, heap_after: number, rss_before: number, rss_after: number, ms: number }

/** Frees the heap V8 holds after start-up, once, as soon as no work ran for a poll period.
 *  Logged at debug; returns a function that stops it if it has not run yet. */
export function settleMemoryWhenIdle (log: Log): () => void {
  let last = process.cpuUsage()
  const timer = setInterval(() => {
    const now = process.cpuUsage()
    const usedMs = (now.user - last.user + now.system - last.system) / 1000
    last = now
    if (usedMs > IDLE_CPU_MS) return
    clearInterval(timer)
    void lowMemoryCollection().then(done => {
      if (done !== undefined && log.enabled('debug')) {
        log.debug({ ...done }, `start-up memory released: heap ${mib(done.heap_before)} → ${mib(done.heap_after)} MiB, resident ${mib(done.rss_before)} → ${mib(done.rss_after)} MiB`)
      }
    })
  }, POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}

const mib = (bytes: number): string => (bytes / 1048576).toFixed(1)

/** One memory-reducing collection through the inspector; undefined where Node has no inspector.
 *  Also what the tick-shapes test collects with (test/package/cli.test.ts). */
export async function lowMemoryCollection (): Promise<Released | undefined> {
  let inspector: typeof import('node:inspector')
  try {
    inspector = await import('node:inspector')
  } catch {
    return undefined // a Node built without the inspector
  }
  const before = process.memoryUsage()
  const t0 = performance.now()
  const session = new inspector.Session()
  session.connect()
  return await new Promise(resolve => {
    session.post('HeapProfiler.collectGarbage', err => {
      // Disconnecting inside the callback leaves the event loop stuck on Node 20: after it returns.
      setImmediate(() => session.disconnect())
      if (err !== null) return resolve(undefined)
      const after = process.memoryUsage()
      resolve({ heap_before: before.heapTotal, heap_after: after.heapTotal, rss_before: before.rss, rss_after: after.rss, ms: Math.round(performance.now() - t0) })
    })
  })
}
