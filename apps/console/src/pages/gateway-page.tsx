import { useEffect, useState } from 'preact/hooks';
import { ErrorLine } from '../components/error-line.js';
import { usePoll } from '../components/hooks.js';
import { StatusBadge } from '../components/status-badge.js';
import { duration, since, summary } from '../format.js';
import { Link } from '../router.js';
import { type LiveReading, openLive } from '../sse.js';
import type { Gateway, MeterReport } from '../types.js';
import { ProvisioningForm } from './provisioning-form.js';

/** The last reading of every device of one gateway, from the live feed (recent ring, then live). */
function useLastReadings(gatewayId: string): Map<string, LiveReading> {
  const [last, setLast] = useState<Map<string, LiveReading>>(new Map());
  useEffect(
    () =>
      openLive(
        { gateway: gatewayId, replay: '1000' },
        {
          readings: (batch) =>
            setLast((old) => {
              const next = new Map(old);
              for (const r of batch) if (r.deviceId !== null) next.set(r.deviceId, r);
              return next;
            }),
        },
      ),
    [gatewayId],
  );
  return last;
}

export function GatewayPage(props: { gatewayId: string }) {
  const id = encodeURIComponent(props.gatewayId);
  const gw = usePoll<Gateway>(`/api/gateways/${id}`, 5000);
  const meters = usePoll<MeterReport>(`/api/gateways/${id}/meters`, 5000);
  const last = useLastReadings(props.gatewayId);
  const g = gw.result?.ok ? gw.result.body : null;
  const report = meters.result?.ok ? meters.result.body.report : null;
  const ble = [...last.values()].filter((r) => r.kind === 'ble');

  return (
    <section>
      <p>
        <Link href="/fleet">← Fleet</Link>
      </p>
      <h1>Gateway {props.gatewayId}</h1>
      <ErrorLine result={gw.result} />
      {g ? (
        <dl class="facts">
          <dt>State</dt>
          <dd>
            <StatusBadge status={g.availability} /> since {since(g.availabilityAt)}
          </dd>
          <dt>Version</dt>
          <dd>{g.health?.version ?? '—'}</dd>
          <dt>Uptime</dt>
          <dd>{duration(g.health?.uptime_s)}</dd>
          <dt>Outbox</dt>
          <dd>
            {g.health?.outbox
              ? `${g.health.outbox.depth} waiting, ${g.health.outbox.sent} sent, ${g.health.outbox.dropped} dropped`
              : '—'}
          </dd>
          <dt>Health report</dt>
          <dd>{since(g.healthAt)}</dd>
        </dl>
      ) : null}
      <h2>Meters</h2>
      <ErrorLine result={meters.result} />
      <div class="table-wrap">
        <table data-testid="meters">
          <thead>
            <tr>
              <th scope="col">Meter</th>
              <th scope="col">Status</th>
              <th scope="col">Driver</th>
              <th scope="col">Last seen</th>
              <th scope="col">Last values</th>
            </tr>
          </thead>
          <tbody>
            {(report?.meters ?? []).map((m) => (
              <tr key={`${m.index ?? ''}-${m.deviceId}`} data-meter={m.deviceId}>
                <th scope="row">
                  {m.manufacturerKey ? `${m.manufacturerKey} ` : ''}
                  {m.deviceId}
                </th>
                <td>
                  <StatusBadge status={m.status} />
                  {m.reason ? <span class="reason"> {m.reason}</span> : null}
                </td>
                <td>{m.driver ?? '—'}</td>
                <td>{since(m.lastSeen)}</td>
                <td class="values">
                  {last.get(m.deviceId) ? summary(last.get(m.deviceId)?.values ?? {}) : '—'}
                </td>
              </tr>
            ))}
            {report && report.meters.length === 0 ? (
              <tr>
                <td colSpan={5}>No meter provisioned.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2>BLE devices</h2>
      <div class="table-wrap">
        <table data-testid="ble-devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Flow</th>
              <th scope="col">Heard</th>
              <th scope="col">Last values</th>
            </tr>
          </thead>
          <tbody>
            {ble.map((r) => (
              <tr key={r.deviceId}>
                <th scope="row">{r.deviceId}</th>
                <td>{r.flow}</td>
                <td>{since(r.receivedAt)}</td>
                <td class="values">{summary(r.values)}</td>
              </tr>
            ))}
            {ble.length === 0 ? (
              <tr>
                <td colSpan={4}>No BLE reading in the server's recent readings.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ProvisioningForm gatewayId={props.gatewayId} report={report} onAnswer={meters.reload} />
    </section>
  );
}
