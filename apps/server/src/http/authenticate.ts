import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRole, ApiTokenStore } from '../auth/api-tokens.js';
import { ApiError } from './api-error.js';

/** Who may call a route: anyone, a `read` or `admin` token, or an `admin` token. */
export type RouteAccess = 'public' | 'read' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default: `read` for GET and HEAD, `admin` for everything else. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The id (8 hex digits of its hash) of the token that authenticated the request, or null. */
    tokenId: string | null;
    /**
     * The role of that token; `admin` when no token is configured (open mode, loopback only: every
     * request is accepted). Routes that hide data from `read` tokens (dead-letter payloads) check it.
     */
    tokenRole: ApiRole;
  }
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * The onRequest hook that enforces the roles: `read` tokens may GET, `admin` tokens may do anything.
 * With no token configured (the server then listens on loopback only) every request is accepted.
 */
export function authenticate(tokens: ApiTokenStore) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const configured = request.routeOptions.config.access;
    const access: RouteAccess =
      configured ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'admin');
    if (tokens.open) {
      request.tokenRole = 'admin';
      return;
    }
    request.tokenRole = 'read';
    if (access === 'public') return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) {
      void reply.header('www-authenticate', 'Bearer realm="iotgw"');
      throw new ApiError(401, 'unauthorized', 'a bearer token is required (Authorization: Bearer <token>)');
    }
    const token = tokens.verify(match[1] as string);
    if (!token) {
      void reply.header('www-authenticate', 'Bearer realm="iotgw", error="invalid_token"');
      request.log.warn(
        { ip: request.ip, method: request.method, url: request.url },
        'refused an unknown API token',
      );
      throw new ApiError(401, 'unauthorized', 'the token is not valid');
    }
    request.tokenId = token.id;
    request.tokenRole = token.role;
    if (access === 'admin' && token.role !== 'admin') {
      throw new ApiError(403, 'forbidden', 'this token may only read: writes need an admin token');
    }
  };
}
