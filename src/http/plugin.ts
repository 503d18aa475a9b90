// fastify-plugin's convention without the package: a plugin marked skip-override decorates and
// hooks the instance it is registered on instead of a child scope of its own.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** routeOf()'s copy of req.routeOptions for this request */
    route: FastifyRequest['routeOptions'] | null
  }
}

export function shared<Options extends object> (name: string, plugin: FastifyPluginAsync<Options>): FastifyPluginAsync<Options> {
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: name })
}

/**
 * The route's options, read once per request: fastify's `req.routeOptions` builds a new object
 * (and asks the router about versions) on every read, and the pipeline reads it five times.
 */
export const routeOf = (req: FastifyRequest): NonNullable<FastifyRequest['route']> => (req.route ??= req.routeOptions)

/** One synchronous step of the request pipeline: returns to let the request on, throws an ApiError to refuse it. */
export type Step = (req: FastifyRequest) => void
