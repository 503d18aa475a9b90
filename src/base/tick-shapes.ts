// V8 keeps the maps (hidden classes) an inline cache has seen alive for a few collections after the
// last object of that map dies, except in a collection that reduces memory, which V8's memory
// reducer runs ~8 s after start in a process that is idle then. The objects process.nextTick
// makes on each call (~15 per HTTPS request, in Node's own stream and HTTP code) all die within a
// tick, so their maps die in that collection, and the object literal that makes them never gets
// back to its fast path: every later request of the process costs ~15% more CPU
// (docs/performance.md, "Memory against speed"). One tick object of each shape, kept for the
// process's life, keeps those maps alive. They are caught as they are made, through an async
// hook that is on only for three process.nextTick calls. Only the command does this (main.ts);
// a test process that imports the library is left as it is.
import { createHook } from 'node:async_hooks'

const kept: object[] = []
const noop = (): void => {}

/** Makes a tick object of each shape (no argument, one, two) and keeps it; returns all kept. */
export function keepTickShapes (): readonly object[] {
  const hook = createHook({
    init (_id, type, _trigger, resource) { if (type === 'TickObject') kept.push(resource) }
  })
  hook.enable()
  try {
    process.nextTick(noop)
    process.nextTick(noop, 0)
    process.nextTick(noop, 0, 0)
  } finally {
    hook.disable()
  }
  return kept
}
