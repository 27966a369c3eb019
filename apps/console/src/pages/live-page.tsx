import { useEffect, useRef, useState } from 'preact/hooks';
import { usePoll } from '../components/hooks.js';
import { StatusBadge } from '../components/status-badge.js';
import { clock, summary } from '../format.js';
import { type LiveReading, openLive } from '../sse.js';
import type { Flow } from '../types.js';

const SHOWN = 200;

/** Readings as they are stored, pushed by /api/live; pausing holds new ones back without losing them. */
export function LivePage() {
  const flows = usePoll<{ flows: Flow[] }>('/api/flows');
  const [filter, setFilter] = useState({ flow: '', gateway: '', device: '' });
  const [applied, setApplied] = useState(filter);
  const [shown, setShown] = useState<LiveReading[]>([]);
  const [held, setHeld] = useState<LiveReading[]>([]);
  const [heldCount, setHeldCount] = useState(0);
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState('connecting');
  const [gaps, setGaps] = useState(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    setShown([]);
    setHeld([]);
    setHeldCount(0);
    return openLive(
      { flow: applied.flow, gateway: applied.gateway, device: applied.device, replay: '20' },
      {
        readings: (batch) => {
          const newest = batch.slice(-SHOWN).reverse();
          if (pausedRef.current) {
            // The table shows the newest SHOWN readings: holding more would not change what Resume shows.
            setHeld((h) => [...newest, ...h].slice(0, SHOWN));
            setHeldCount((n) => n + batch.length);
          } else setShown((s) => [...newest, ...s].slice(0, SHOWN));
        },
        gap: () => setGaps((g) => g + 1),
        status: setStatus,
      },
    );
  }, [applied]);

  const resume = () => {
    setShown((s) => [...held, ...s].slice(0, SHOWN));
    setHeld([]);
    setHeldCount(0);
    setPaused(false);
  };

  return (
    <section>
      <h1>Live readings</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...filter });
        }}
      >
        <label>
          <span>Flow</span>
          <select
            value={filter.flow}
            onChange={(e) => setFilter({ ...filter, flow: (e.target as HTMLSelectElement).value })}
          >
            <option value="">all</option>
            {(flows.result?.ok ? flows.result.body.flows : []).map((f) => (
              <option key={f.code} value={f.code}>
                {f.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Gateway</span>
          <input
            value={filter.gateway}
            onInput={(e) => setFilter({ ...filter, gateway: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          <span>Device</span>
          <input
            value={filter.device}
            onInput={(e) => setFilter({ ...filter, device: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button type="submit">Apply filters</button>
        {paused ? (
          <button type="button" onClick={resume}>
            Resume ({heldCount} new)
          </button>
        ) : (
          <button type="button" class="secondary" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
      </form>
      <p aria-live="polite">
        Stream: <StatusBadge status={status} />
        {gaps > 0 ? ` — ${gaps} time(s) some readings were missed while disconnected` : ''}
      </p>
      <div class="table-wrap">
        <table data-testid="live-readings">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Flow</th>
              <th scope="col">Gateway</th>
              <th scope="col">Device</th>
              <th scope="col">Values</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-id={r.id}>
                <td class="nowrap">{clock(r.receivedAt)}</td>
                <td class="nowrap">{r.flow}</td>
                <td class="nowrap">{r.gatewayId ?? '—'}</td>
                <td class="nowrap">{r.deviceId ?? r.topic}</td>
                <td class="values">{summary(r.values)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
