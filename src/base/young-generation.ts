// V8 doubles the young generation each time more than its size has survived since it last grew.
// Left alone, the command's start-up takes it to 8 MiB: 4 MiB while its modules load, 8 MiB while
// the server starts (fixtures, routes, TLS contexts, most of which survives). An idle server then
// holds that space, ~3 MiB more resident memory than at 4 MiB, which V8 gives back only in a
// memory-reducing collection, and such a collection makes every later request cost more CPU
// (docs/performance.md, "Memory against speed"). So the command holds the young generation at
// the size the modules gave it while the server starts (V8's semi-space growth factor 1, read each
// time the space would grow), and gives V8 its default back once it is ready, so that a load
// grows the space as it would have. Held from the first line instead, it would stay at 2 MiB but
// start-up would take ~15 ms longer (more scavenges). Only the command does this: a test process
// that imports the library keeps V8 as it is. A growth factor given to node
// (`node --semi-space-growth-factor=N dist/cli.js`) is left alone.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { setUnlessGiven } from './v8-flags.js'

/** V8's default (the same in the V8 of Node 20, 22 and 24). */
const V8_DEFAULT_GROWTH = 2

/** Holds the young generation at its size until the returned function is called (once started). */
export function holdYoungGeneration (): () => void {
  if (!setUnlessGiven('semi-space-growth-factor', 1)) return () => {}
  return () => { setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`) }
}

/** The young generation's size now, in bytes (what the command logs at debug once started). */
export function youngGenerationBytes (): number {
  return getHeapSpaceStatistics().find(s => s.space_name === 'new_space')?.space_size ?? 0
}
