// node:zlib, loaded on first use: only the debuginfo archives, the gzipped cluster info and
// module uploads need it, and loading it with the rest costs every start (docs/performance.md).
import { createRequire } from 'node:module'

let loaded: typeof import('node:zlib') | undefined
export const zlib = (): typeof import('node:zlib') => (loaded ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib'))
