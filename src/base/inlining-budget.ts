// V8's optimizing compiler inlines the functions an optimized function calls until the bytecode
// it has inlined reaches a budget (V8's --max-inlined-bytecode-size-cumulative, 920 by default).
// A request to the mock passes through more of its own functions than a bare fastify route
// (journal, front door, permissions, the answer's head), and with the default budget the hot ones
// are left as calls: the answer's head step into writeHead, the front door's checks into the
// request hook. With the budget at V8's absolute cap (4600), those are inlined and the list costs
// less CPU per request (docs/performance.md, "Inlining budget"). V8 reads the budget when it
// starts each optimization, so the command widens it once the server is ready: start-up compiles
// as before. Only the command does this: a test process that imports the library keeps V8 as it
// is. A budget given to node (`node --max-inlined-bytecode-size-cumulative=N dist/cli.js`) is left
// alone.
import { setUnlessGiven } from './v8-flags.js'

/** V8's own cap on inlined bytecode (--max-inlined-bytecode-size-absolute: 4600 in the V8 of Node 20 and 22, whose default cumulative budget is 920). */
export const WIDE_INLINING_BUDGET = 4600

/** Widens V8's cumulative inlining budget, unless node was given one; returns the budget set, or undefined. */
export function widenInliningBudget (): number | undefined {
  return setUnlessGiven('max-inlined-bytecode-size-cumulative', WIDE_INLINING_BUDGET) ? WIDE_INLINING_BUDGET : undefined
}
