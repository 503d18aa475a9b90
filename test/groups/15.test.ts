// One of the processes the test files run in (test/helpers/groups.ts).
import { runGroup } from '../helpers/groups.js'

await runGroup(import.meta.url)
