import type {} from '@fastify/rate-limit';
import type { WriteLimit } from './api-services.js';

/** Route options of every write route: rate limited per client (token id, else address). */
export function writeRoute(limit: WriteLimit) {
  return { config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } };
}
