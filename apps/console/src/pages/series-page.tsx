import { useMemo, useState } from 'preact/hooks';
import { type ApiResult, api, authHeaders } from '../api.js';
import { usePoll } from '../components/hooks.js';
import { Plot } from '../components/plot.js';
import type { DataRecord, Flow } from '../types.js';

const RANGES: Record<string, number> = {
  '15 min': 900,
  '1 h': 3600,
  '6 h': 21_600,
  '24 h': 86_400,
  '7 d': 604_800,
};
const MAX_POINTS = 100_000;

interface RecordPage {
  records: DataRecord[];
  nextCursor: string | null;
}

/** Field names a flow's payload schema declares (legacy `{field: type}` or JSON Schema properties). */
function schemaFields(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const props = s['properties'];
  if (props && typeof props === 'object') return Object.keys(props);
  return Object.keys(s).filter((k) => typeof s[k] === 'string');
}

/** One field of one flow over time, from /api/records (all pages up to 100,000 points); CSV of the same range. */
export function SeriesPage() {
  const flows = usePoll<{ flows: Flow[] }>('/api/flows');
  const list = flows.result?.ok ? flows.result.body.flows : [];
  const [flow, setFlow] = useState('');
  const [field, setField] = useState('');
  const [range, setRange] = useState('1 h');
  const [data, setData] = useState<{ xs: number[]; ys: (number | null)[]; label: string } | null>(null);
  const [message, setMessage] = useState('');
  const [visible, setVisible] = useState('');
  const fields = useMemo(() => schemaFields(list.find((f) => f.code === flow)?.payloadSchema), [list, flow]);

  const query = () => {
    const from = new Date(Date.now() - (RANGES[range] ?? 3600) * 1000).toISOString();
    return `flow=${encodeURIComponent(flow)}&field=${encodeURIComponent(field)}&from=${encodeURIComponent(from)}`;
  };

  const plot = async (e: Event) => {
    e.preventDefault();
    if (!flow || !field) {
      setMessage('Pick a flow and a field.');
      return;
    }
    setMessage('Loading…');
    const xs: number[] = [];
    const ys: (number | null)[] = [];
    let cursor: string | null = null;
    const q = query();
    do {
      const r: ApiResult<RecordPage> = await api<RecordPage>(
        'GET',
        `/api/records?${q}&limit=10000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (!r.ok) {
        setMessage(r.error?.message ?? 'failed');
        return;
      }
      for (const rec of r.body.records) {
        xs.push(Date.parse(rec.receivedAt) / 1000);
        ys.push(
          typeof rec.value === 'number'
            ? rec.value
            : typeof rec.value === 'boolean'
              ? Number(rec.value)
              : null,
        );
      }
      cursor = r.body.nextCursor;
    } while (cursor && xs.length < MAX_POINTS);
    setData({ xs, ys, label: `${flow}.${field}` });
    setMessage(
      `${xs.length} points${cursor ? ` (first ${MAX_POINTS})` : ''}. Drag across the plot to zoom, double-click to reset.`,
    );
  };

  const csv = async () => {
    const res = await fetch(`/api/records.csv?${query()}`, { headers: authHeaders() });
    if (!res.ok) {
      setMessage(`CSV download failed: ${res.status}`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${flow}-${field}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section>
      <h1>Series</h1>
      <form class="filters" onSubmit={plot}>
        <label>
          <span>Flow</span>
          <select
            name="flow"
            value={flow}
            onChange={(e) => {
              setFlow((e.target as HTMLSelectElement).value);
              setField('');
            }}
          >
            <option value="">choose…</option>
            {list.map((f) => (
              <option key={f.code} value={f.code}>
                {f.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Field</span>
          <input
            name="field"
            list="series-fields"
            value={field}
            onInput={(e) => setField((e.target as HTMLInputElement).value)}
          />
          <datalist id="series-fields">
            {fields.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <label>
          <span>Range</span>
          <select
            name="range"
            value={range}
            onChange={(e) => setRange((e.target as HTMLSelectElement).value)}
          >
            {Object.keys(RANGES).map((r) => (
              <option key={r} value={r}>
                last {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Plot</button>
        <button type="button" class="secondary" disabled={!flow || !field} onClick={() => void csv()}>
          Download CSV
        </button>
      </form>
      <p aria-live="polite" data-testid="series-message">
        {message}
      </p>
      {data ? (
        <>
          <Plot
            xs={data.xs}
            ys={data.ys}
            label={data.label}
            onRange={(min, max) =>
              setVisible(
                `${new Date(min * 1000).toLocaleTimeString([], { hour12: false })} – ${new Date(max * 1000).toLocaleTimeString([], { hour12: false })}`,
              )
            }
          />
          <p data-testid="series-range">Showing {visible}</p>
        </>
      ) : null}
    </section>
  );
}
