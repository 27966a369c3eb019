import { type MosquittoProcess, startMosquitto } from '@iotgw/testkit';
import { afterAll, beforeAll } from 'vitest';
import { ensureBuilt } from './build-dist.js';

/**
 * For suites that run router child processes against a private Mosquitto (project config: persistence,
 * unlimited queues): builds the package for the children, starts the broker, stops it afterwards.
 */
export function useOwnMosquitto(): { readonly url: string } {
  let broker: MosquittoProcess | undefined;
  beforeAll(async () => {
    ensureBuilt();
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  return {
    get url() {
      if (!broker) throw new Error('the broker is not started');
      return broker.url;
    },
  };
}
