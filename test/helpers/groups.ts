// `npm test` runs the test files in a few processes instead of one each: a process costs about a
// second of CPU before its first test (Node, tap, the TypeScript hooks, importing src/). tap runs
// test/groups/NN.test.ts (package.json "tap.include"); each imports the files of its group, whose
// tests then run one after the other in that process. A file in no list below lands in a shared
// group, so a new test file always runs. `npx tap test/foo.test.ts` still runs one file alone.
// Four groups run at a time ("tap.jobs"): most of the long tests wait on processes and timers,
// and tap's own default leaves a CPU free, which on two CPUs means one file at a time.
import t from 'tap'
import { readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const TESTS = fileURLToPath(new URL('..', import.meta.url))
const GROUP_FILES = join(TESTS, 'groups')

/**
 * Files with a process of their own: the longest, mostly waiting on other processes (real Redis
 * servers, spawned commands, the benchmark), so they run beside the CPU-bound groups. Longest first:
 * tap starts the group files in name order.
 */
export const OWN = ['package/bench-smoke', 'redis/redis', 'examples/examples', 'http/hostile', 'package/cli', 'redis/redis-cli', 'access/auth-bypass', 'http/limits', 'monitoring/prometheus']
/** Groups the other files share, dealt out in name order. */
export const SHARED = 6

/** The test files, as paths below test/ (`databases/bdbs.test.ts`): one folder per area, as src/. */
export function testFiles (): string[] {
  return readdirSync(TESTS).filter(d => d !== 'groups' && d !== 'helpers' && statSync(join(TESTS, d)).isDirectory())
    .flatMap(d => readdirSync(join(TESTS, d)).map(f => `${d}/${f}`))
}

/** Each group's test files (paths without `.test.ts`), in the order of test/groups/NN.test.ts. */
export function groups (files = testFiles()): string[][] {
  const names = files.filter(f => f.endsWith('.test.ts')).map(f => f.slice(0, -'.test.ts'.length)).sort()
  const rest = names.filter(n => !OWN.includes(n))
  const shared = Array.from({ length: SHARED }, (_, i) => rest.filter((_, j) => j % SHARED === i))
  return [...OWN.filter(n => names.includes(n)).map(n => [n]), ...shared]
}

/** Runs the group of the group file at `url` (import.meta.url of test/groups/NN.test.ts). */
export async function runGroup (url: string): Promise<void> {
  const all = groups()
  const files = readdirSync(GROUP_FILES).filter(f => f.endsWith('.test.ts')).sort()
  if (files.length !== all.length) {
    t.fail(`test/groups/ has ${files.length} group files for ${all.length} groups (test/helpers/groups.ts): some tests would not run`)
  }
  const index = files.indexOf(basename(fileURLToPath(url)))
  for (const name of all[index] ?? []) await import(pathToFileURL(join(TESTS, `${name}.test.ts`)).href)
}
