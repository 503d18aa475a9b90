// Prints the generated blocks of docs/coverage.md (the figures of a run of every example) and
// docs/differences.md (the stated exceptions) as JSON: `node scripts/gen-examples.mjs
// --figures` runs this under the tests' loader and writes them into the pages.
import { renderFigures, runAll } from './run.js'
import { exceptions } from './exceptions.js'
import { renderExceptions } from './render.js'

process.stdout.write(JSON.stringify({ examples: renderFigures(await runAll(), exceptions), 'example-exceptions': renderExceptions(exceptions) }) + '\n')
