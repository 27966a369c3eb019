import { useState } from 'preact/hooks';
import { type ApiResult, api } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import { usePoll } from '../components/hooks.js';
import { StatusBadge } from '../components/status-badge.js';
import { base64Bytes, hexDump } from '../format.js';
import type { DeadLetter } from '../types.js';

interface RedriveReport {
  redriven: number;
  failed: number;
  results: { id: number; status: string; reason?: string }[];
}

function PayloadView(props: { id: number }) {
  const one = usePoll<DeadLetter>(`/api/dead-letters/${props.id}`);
  const d = one.result?.ok ? one.result.body : null;
  if (!one.result) return <p>Loading…</p>;
  if (!d) return <ErrorLine result={one.result} />;
  if (d.payloadBase64 === undefined) return <p class="hint">The payload is shown to admin tokens only.</p>;
  return (
    <div class="payload" data-testid="payload">
      <h3>Text</h3>
      <pre>{d.payloadText ?? '(not UTF-8 text)'}</pre>
      <h3>Hex</h3>
      <pre>{hexDump(base64Bytes(d.payloadBase64))}</pre>
    </div>
  );
}

/** Dead letters: filter, read the payload (text and hex), re-drive or delete the selected ones. */
export function DeadLettersPage() {
  const [filter, setFilter] = useState({ flow: '', reason: '' });
  const [applied, setApplied] = useState(filter);
  const q = new URLSearchParams({
    limit: '200',
    ...Object.fromEntries(Object.entries(applied).filter(([, v]) => v)),
  });
  const list = usePoll<{ deadLetters: DeadLetter[]; nextCursor: string | null }>(
    `/api/dead-letters?${q}`,
    10_000,
  );
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(null);
  const [result, setResult] = useState<ApiResult<unknown> | null>(null);
  const [report, setReport] = useState<RedriveReport | null>(null);
  const rows = list.result?.ok ? list.result.body.deadLetters : [];

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const redrive = async () => {
    const r = await api<RedriveReport>('POST', '/api/dead-letters/redrive', { ids: [...selected] });
    setResult(r);
    setReport(r.ok ? r.body : null);
    if (r.ok) setSelected(new Set());
    list.reload();
  };
  const remove = async () => {
    if (!confirm(`Delete ${selected.size} dead letter(s)?`)) return;
    const r = await api('DELETE', '/api/dead-letters', { ids: [...selected] });
    setResult(r);
    setReport(null);
    if (r.ok) setSelected(new Set());
    list.reload();
  };

  return (
    <section>
      <h1>Dead letters</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...filter });
        }}
      >
        <label>
          <span>Flow</span>
          <input
            value={filter.flow}
            onInput={(e) => setFilter({ ...filter, flow: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          <span>Reason code</span>
          <input
            value={filter.reason}
            onInput={(e) => setFilter({ ...filter, reason: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" disabled={selected.size === 0} onClick={() => void redrive()}>
          Re-drive selected ({selected.size})
        </button>
        <button type="button" class="danger" disabled={selected.size === 0} onClick={() => void remove()}>
          Delete selected
        </button>
      </form>
      <ErrorLine result={list.result} />
      <ErrorLine result={result} />
      {report ? (
        <p aria-live="polite" data-testid="redrive-report">
          Re-driven {report.redriven}, failed {report.failed}:{' '}
          {report.results.map((r) => (
            <span key={r.id} class="pair">
              #{r.id} <StatusBadge status={r.status} />
              {r.reason ? ` ${r.reason}` : ''}
            </span>
          ))}
        </p>
      ) : null}
      <div class="table-wrap">
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Select</span>
              </th>
              <th scope="col">Id</th>
              <th scope="col">Flow</th>
              <th scope="col">Topic</th>
              <th scope="col">Reason</th>
              <th scope="col">Received</th>
              <th scope="col">Payload</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-dead-letter={d.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`select dead letter ${d.id}`}
                    checked={selected.has(d.id)}
                    onChange={() => toggle(d.id)}
                  />
                </td>
                <td>{d.id}</td>
                <td>{d.flowCode ?? '—'}</td>
                <td>
                  <code>{d.topic}</code>
                </td>
                <td>
                  {d.reasonCode}
                  {d.jsonPath ? ` at ${d.jsonPath}` : ''}: {d.reason}
                </td>
                <td>{new Date(d.receivedAt).toLocaleString()}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={open === d.id}
                    onClick={() => setOpen(open === d.id ? null : d.id)}
                  >
                    {open === d.id ? 'Hide' : 'View'}
                    <span class="sr-only"> payload of {d.id}</span>
                  </button>
                </td>
              </tr>
            ))}
            {list.result?.ok && rows.length === 0 ? (
              <tr>
                <td colSpan={7}>No dead letters.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {open !== null ? <PayloadView key={open} id={open} /> : null}
    </section>
  );
}
