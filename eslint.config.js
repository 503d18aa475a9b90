// neostandard (the style fastify uses) with TypeScript: 2 spaces, no semicolons, single quotes.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: [...resolveIgnoresFromGitignore(), 'fixtures/**', 'certs/**']
  }),
  {
    rules: {
      // The RS wire format is snake_case: request and state fields keep their real names.
      camelcase: 'off',
      // `void reply.send(...)`: fastify's idiom for a promise nobody awaits.
      'no-void': ['error', { allowAsStatement: true }],
      // Long objects wrap with a few properties per line (schemas, monitoring records).
      '@stylistic/object-property-newline': 'off'
    }
  }
]
