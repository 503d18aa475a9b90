// The list of stated exceptions on docs/differences.md, from exceptions.ts.
import { examples } from './run.js'
import type { Exception } from './exceptions.js'

export function renderExceptions (exceptions: Record<string, Exception>): string {
  const rows = ['| example (requests page#section) | request as printed | differs in | why |', '|---|---|---|---|']
  for (const [id, e] of Object.entries(exceptions).sort(([a], [b]) => a.localeCompare(b))) {
    const ex = examples.find(x => x.id === id)
    rows.push(`| \`${id}\` | \`${ex === undefined ? '?' : `${ex.method} ${ex.path}`}\` | ${e.checks.join(', ')} | ${e.reason.replaceAll('|', '\\|')} |`)
  }
  return rows.join('\n')
}
