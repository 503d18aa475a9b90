// The V8 flags the command sets for itself (young-generation.ts, inlining-budget.ts) give way to
// the same flag given to node on its command line (node does not take V8 flags such as these in
// NODE_OPTIONS).
import { setFlagsFromString } from 'node:v8'

/** Whether node was given V8 flag NAME (`--name=value`; V8 reads - and _ alike). */
export function givenToNode (name: string): boolean {
  const flag = new RegExp(`^--${name.replace(/[-_]/g, '[-_]')}(=|$)`)
  return process.execArgv.some(a => flag.test(a))
}

/** Sets V8 flag NAME to VALUE unless node was given it; whether it was set. */
export function setUnlessGiven (name: string, value: number): boolean {
  if (givenToNode(name)) return false
  setFlagsFromString(`--${name}=${value}`)
  return true
}
