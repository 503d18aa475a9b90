// Route parameters shared by every resource: one uid constraint, one reader of it.
import type { FastifyRequest } from 'fastify'

/** The `:uid` route segment: digits only, so `/v1/bdbs/stats` and friends never match it. */
export const UID = ':uid(^\\d+$)'

/** The numeric uid of a route declared with `UID` (or another `:uid` of digits). */
export function uidOf (req: FastifyRequest): number {
  return Number((req.params as { uid: string }).uid)
}

/** preValidation of a route whose body is optional (config.optionalBody): no body validates as `{}`. */
export const optionalBody = async (req: FastifyRequest): Promise<void> => { if (req.body === undefined || req.body === null) req.body = {} }
