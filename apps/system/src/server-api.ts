import { bleReadingSchema, meterDataSchema, thingyReadingSchema } from '@iotgw/contracts';

/** The flows the demo and the end-to-end suite route the contract topics through (STORE_DB). */
export const CONTRACT_FLOWS = [
  {
    code: 'thingy52',
    topic: '+/+/update',
    description: 'Thingy:52 readings (legacy topic and payload)',
    payloadSchema: thingyReadingSchema,
  },
  {
    code: 'ble',
    topic: 'v2/+/ble/+/data',
    description: 'BTHome, Ruuvi and other BLE readings',
    payloadSchema: bleReadingSchema,
  },
  {
    code: 'meters',
    topic: 'v2/+/+/data',
    description: 'wM-Bus meter readings',
    payloadSchema: meterDataSchema,
  },
] as const;

export interface FlowSummary {
  code: string;
  topic: string;
  enabled: boolean;
  counters: { lastMsgId: number; records: number; deadLetters: number };
}

/** A thin client for the iotgw-server HTTP API (the routes of docs/server.md). */
export class ServerApi {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, body: parsed as T };
  }

  /** Creates the contract flows; a flow that already exists (409) is left as it is. */
  async seedFlows(): Promise<string[]> {
    const created: string[] = [];
    for (const flow of CONTRACT_FLOWS) {
      const r = await this.request<{ message?: string }>('POST', '/api/flows', {
        ...flow,
        action: 'STORE_DB',
        enabled: true,
      });
      if (r.status === 201) created.push(flow.code);
      else if (r.status !== 409)
        throw new Error(`creating flow ${flow.code} failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
    return created;
  }

  async flows(): Promise<FlowSummary[]> {
    const r = await this.request<{ flows: FlowSummary[] }>('GET', '/api/flows');
    if (r.status !== 200) throw new Error(`GET /api/flows: ${r.status}`);
    return r.body.flows;
  }

  /** PUT the provisioning list; resolves with the edge's answer (200) or the pending marker (202). */
  async provision(
    gatewayId: string,
    meters: readonly Record<string, unknown>[],
  ): Promise<{ status: number; body: unknown }> {
    return this.request('PUT', `/api/gateways/${encodeURIComponent(gatewayId)}/meters`, meters);
  }

  async ready(): Promise<boolean> {
    try {
      return (await this.request('GET', '/readyz')).status === 200;
    } catch {
      return false;
    }
  }
}
