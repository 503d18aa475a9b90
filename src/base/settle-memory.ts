// A started command holds the young-generation space and the garbage its start-up made (fixtures
// parsed, routes compiled): ~9 MB of resident memory that V8's own memory reducer gives back only
// after ~8 s. Once the process has been idle for a moment, this asks V8 for the same low-memory
// collection at once (what an inspector's "collect garbage" does), which pauses the process for
// ~50 ms: so only while no connection is open, which no client can be waiting on. Only the
// command does this: a test process that imports the library keeps its own heap as it is.
//
// The price: a memory-reducing collection that finds process.nextTick already optimized (the
// command's start-up gets it there, as any load does) leaves the object literal it makes on each
// call (~15 per HTTPS request) running through V8's runtime, and a request costs ~10-15% more
// server CPU from then on. V8's memory reducer charges it the same ~8 s after start in an idle
// process. `node --no-memory-reducer dist/cli.js` keeps both collections away: more speed, ~9 MiB
// more memory at idle (docs/performance.md).
import type { Log } from './log.js'

const POLL_MS = 250
/** CPU time under which a poll period counts as idle */
const IDLE_CPU_MS = 5

/** Frees the heap V8 holds after start-up, once no work ran for a poll period and BUSY says no
 *  connection is open; once. */
export function settleMemoryWhenIdle (log: Log, busy: () => boolean): () => void {
  if (process.execArgv.includes('--no-memory-reducer')) return () => {}
  let last = process.cpuUsage()
  const timer = setInterval(() => {
    const now = process.cpuUsage(last)
    last = process.cpuUsage()
    if ((now.user + now.system) / 1000 > IDLE_CPU_MS || busy()) return
    clearInterval(timer)
    void lowMemoryCollection().then(done => {
      if (done !== undefined) log.debug(done, `start-up memory released: heap ${mib(done.heap_before)} → ${mib(done.heap_after)} MiB, resident ${mib(done.rss_before)} → ${mib(done.rss_after)} MiB`)
    })
  }, POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}

const mib = (bytes: number): string => (bytes / 1048576).toFixed(1)

interface Released { heap_before: number, heap_after: number, rss_before: number, rss_after: number, ms: number }

async function lowMemoryCollection (): Promise<Released | undefined> {
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
