#!/usr/bin/env node
// The command. Node 22.1+ keeps the compiled code of every module loaded after this line in a
// cache between starts (NODE_DISABLE_COMPILE_CACHE=1 turns it off); older Nodes skip it. Hence
// the dynamic import: static imports would be compiled before the cache is on.
import module from 'node:module'

;(module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache?.()
const { main, fail } = await import('./main.js')
main().catch(fail)
