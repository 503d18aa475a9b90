// The package's own directories, found from this module's place one level under the package
// root: src/ (tests), dist/ (library), and dist/main.js (the command, bundled into one file).
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageRoot = fileURLToPath(new URL('..', import.meta.url))
export const fixturesRoot = join(packageRoot, 'fixtures')
