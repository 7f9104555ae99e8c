import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema, RouteGenericInterface } from 'fastify';

/**
 * The request a handler defined apart from its route gets, typed from the route's schema as the
 * route's own handler would be (`typeof updateRoute.schema`).
 */
export type SchemaRequest<Schema extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  FastifyInstance['server'],
  FastifyRequest['raw'],
  Schema,
  TypeBoxTypeProvider
>;
