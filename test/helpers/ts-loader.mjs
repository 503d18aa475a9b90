// How the test processes run TypeScript (package.json "tap": node-arg, with TAP_TYPE_STRIP_ONLY=1
// turning tap's own ts-node loader off): esbuild strips the types of each module as it loads, with
// an inline source map for stack traces and coverage. ts-node loaded the TypeScript compiler in
// every test process, about a second of CPU each; types are checked once, by `npm run typecheck`.
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
