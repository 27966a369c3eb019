import { useEffect, useMemo, useState } from 'preact/hooks';
import { type ApiResult, api } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import { usePoll } from '../components/hooks.js';
import { Plot } from '../components/plot.js';
import { StatusBadge } from '../components/status-badge.js';
import { duration, since } from '../format.js';
import { Link } from '../router.js';
import { openLive } from '../sse.js';
import type { DeadLetter, Gateway } from '../types.js';

const MINUTES = 30;
const MAX_GATEWAY_PAGES = 20;

interface GatewayPage {
  gateways: Gateway[];
  nextCursor?: string | null;
}

/** Every gateway, following `nextCursor` when the server paginates the list. */
async function allGateways(): Promise<{ gateways: Gateway[]; error?: string }> {
  const gateways: Gateway[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_GATEWAY_PAGES; page++) {
    const r: ApiResult<GatewayPage> = await api<GatewayPage>(
      'GET',
      `/api/gateways${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (!r.ok) return { gateways, error: r.error?.message ?? 'failed' };
    gateways.push(...r.body.gateways);
    cursor = r.body.nextCursor ?? null;
    if (!cursor) break;
  }
  return { gateways };
}

/** Readings stored per minute, counted from the live feed (its ring of recent readings, then live). */
function usePerMinute(): { xs: number[]; ys: number[] } {
  const [counts, setCounts] = useState<Map<number, number>>(new Map());
  useEffect(
    () =>
      openLive(
        { replay: '1000' },
        {
          readings: (batch) =>
            setCounts((old) => {
              const next = new Map(old);
              for (const r of batch) {
                const minute = Math.floor(Date.parse(r.receivedAt) / 60_000) * 60;
                next.set(minute, (next.get(minute) ?? 0) + 1);
              }
              return next;
            }),
        },
      ),
    [],
  );
  return useMemo(() => {
    const now = Math.floor(Date.now() / 60_000) * 60;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let m = now - (MINUTES - 1) * 60; m <= now; m += 60) {
      xs.push(m);
      ys.push(counts.get(m) ?? 0);
    }
    return { xs, ys };
  }, [counts]);
}

export function FleetPage() {
  const [fleet, setFleet] = useState<{ gateways: Gateway[]; error?: string } | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => void allGateways().then((f) => alive && setFleet(f));
    load();
    const t = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, []);
  const dead = usePoll<{ deadLetters: DeadLetter[] }>('/api/dead-letters?limit=1000', 10_000);
  const perMinute = usePerMinute();
  const hourAgo = Date.now() - 3_600_000;
  const deadLastHour = dead.result?.ok
    ? dead.result.body.deadLetters.filter((d) => Date.parse(d.createdAt) >= hourAgo).length
    : null;
  const gateways = fleet?.gateways ?? [];
  const online = gateways.filter((g) => g.availability === 'online').length;

  return (
    <section>
      <h1>Fleet</h1>
      <div class="cards">
        <div class="card">
          <span class="big" data-testid="gateways-online">
            {online}
          </span>{' '}
          of {gateways.length} gateways online
        </div>
        <div class="card">
          <span class="big" data-testid="dead-last-hour">
            {deadLastHour ?? '…'}
          </span>{' '}
          <Link href="/dead-letters">dead letters</Link> in the last hour
        </div>
      </div>
      {fleet?.error ? <p class="error">{fleet.error}</p> : null}
      <ErrorLine result={dead.result} />
      <div class="table-wrap">
        <table>
          <caption>Gateways</caption>
          <thead>
            <tr>
              <th scope="col">Gateway</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">Version</th>
              <th scope="col">Uptime</th>
              <th scope="col">Outbox</th>
              <th scope="col">Meters by status</th>
            </tr>
          </thead>
          <tbody>
            {gateways.map((g) => (
              <tr key={g.gatewayId} data-gateway={g.gatewayId}>
                <th scope="row">
                  <Link href={`/gateways/${encodeURIComponent(g.gatewayId)}`}>{g.gatewayId}</Link>
                </th>
                <td>
                  <StatusBadge status={g.availability} />
                </td>
                <td>{since(g.availabilityAt)}</td>
                <td>{g.health?.version ?? '—'}</td>
                <td>{duration(g.health?.uptime_s)}</td>
                <td>{g.health?.outbox ? `${g.health.outbox.depth} waiting` : '—'}</td>
                <td>
                  {g.meters
                    ? Object.entries(g.meters.byStatus).map(([s, n]) => (
                        <span key={s} class="pair">
                          <StatusBadge status={s} /> {n}
                        </span>
                      ))
                    : '—'}
                </td>
              </tr>
            ))}
            {fleet && gateways.length === 0 ? (
              <tr>
                <td colSpan={7}>No gateway has published its status yet.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2>Readings stored per minute</h2>
      <p class="hint">Counted from the live feed: the server's last 1,000 readings, then as they arrive.</p>
      <Plot xs={perMinute.xs} ys={perMinute.ys} label="readings/min" height={160} bars />
    </section>
  );
}
