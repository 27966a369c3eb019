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
  const [data, setData] = useState<{
    xs: number[];
    ys: (number | null)[];
    topics: string[];
    label: string;
  } | null>(null);
  const [topic, setTopic] = useState('');
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
    const topics: string[] = [];
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
        topics.push(rec.topic);
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
    const distinct = [...new Set(topics)].sort();
    // Several devices in one flow: one device at a time (the first) unless "all" is chosen.
    setTopic(distinct.length > 1 ? (distinct[0] as string) : '');
    setData({ xs, ys, topics, label: `${flow}.${field}` });
    setMessage(
      `${xs.length} points${cursor ? ` (first ${MAX_POINTS})` : ''}. Drag across the plot to zoom, double-click to reset.`,
    );
  };

  const shown = useMemo(() => {
    if (!data || topic === '') return data;
    const xs: number[] = [];
    const ys: (number | null)[] = [];
    data.topics.forEach((t, i) => {
      if (t !== topic) return;
      xs.push(data.xs[i] as number);
      ys.push(data.ys[i] as number | null);
    });
    return { ...data, xs, ys };
  }, [data, topic]);
  const distinctTopics = useMemo(() => [...new Set(data?.topics ?? [])].sort(), [data]);

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
      {shown ? (
        <>
          {distinctTopics.length > 1 ? (
            <label class="inline-select">
              <span>Device (topic)</span>
              <select
                name="topic"
                value={topic}
                onChange={(e) => setTopic((e.target as HTMLSelectElement).value)}
              >
                <option value="">all {distinctTopics.length} together</option>
                {distinctTopics.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <Plot
            xs={shown.xs}
            ys={shown.ys}
            label={topic ? `${shown.label} (${topic})` : shown.label}
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
