import { useState } from 'preact/hooks';
import { type ApiResult, api } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import { StatusBadge } from '../components/status-badge.js';

interface Verdict {
  code: string;
  outcome: string;
  fields?: number;
  url?: string;
  reasonCode?: string;
  reason?: string;
  jsonPath?: string | null;
}

/** A topic and a payload → what the router would do (POST /api/explain); nothing is stored. */
export function ExplainBox() {
  const [topic, setTopic] = useState('');
  const [payload, setPayload] = useState('{"temp": 21.5}');
  const [result, setResult] = useState<ApiResult<{ flows: Verdict[] }> | null>(null);
  const explain = async (e: Event) => {
    e.preventDefault();
    setResult(await api<{ flows: Verdict[] }>('POST', '/api/explain', { topic, payload }));
  };
  return (
    <form class="panel" onSubmit={explain} aria-labelledby="explain-title">
      <h2 id="explain-title">Explain a message</h2>
      <label for="explain-topic">
        <span>Topic</span>
        <input
          id="explain-topic"
          value={topic}
          onInput={(e) => setTopic((e.target as HTMLInputElement).value)}
        />
      </label>
      <label for="explain-payload">
        <span>Payload</span>
        <textarea
          id="explain-payload"
          rows={3}
          value={payload}
          onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="submit">Explain</button>
      <ErrorLine result={result} />
      {result?.ok ? (
        <ul data-testid="explain-result">
          {result.body.flows.length === 0 ? (
            <li>No enabled flow matches this topic: it would be unmatched.</li>
          ) : null}
          {result.body.flows.map((v) => (
            <li key={v.code}>
              <strong>{v.code}</strong>: <StatusBadge status={v.outcome} />{' '}
              {v.outcome === 'store'
                ? `${v.fields} record(s)`
                : v.outcome === 'post'
                  ? v.url
                  : `${v.reasonCode} at ${v.jsonPath ?? '$'}: ${v.reason}`}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
