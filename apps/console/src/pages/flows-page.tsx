import { useState } from 'preact/hooks';
import { type ApiResult, api } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import { usePoll } from '../components/hooks.js';
import { StatusBadge } from '../components/status-badge.js';
import type { Flow } from '../types.js';
import { ExplainBox } from './explain-box.js';
import { FlowForm } from './flow-form.js';

/** Flows with their counters; create, edit, enable/disable, delete (with has_data confirmation), explain. */
export function FlowsPage() {
  const flows = usePoll<{ flows: Flow[] }>('/api/flows', 5000);
  const [editing, setEditing] = useState<Flow | 'new' | null>(null);
  const [action, setAction] = useState<ApiResult<unknown> | null>(null);
  const list = flows.result?.ok ? flows.result.body.flows : [];

  const run = async (method: string, path: string) => {
    const r = await api(method, path);
    setAction(r);
    flows.reload();
    return r;
  };
  const remove = async (f: Flow) => {
    if (!confirm(`Delete flow ${f.code}?`)) return;
    const r = await run('DELETE', `/api/flows/${encodeURIComponent(f.code)}`);
    if (r.status === 409 && r.error?.error === 'has_data') {
      if (confirm(`${r.error.message}\n\nDelete flow ${f.code} together with its stored records?`)) {
        await run('DELETE', `/api/flows/${encodeURIComponent(f.code)}?cascade=true`);
      }
    }
  };

  return (
    <section>
      <h1>Flows</h1>
      <ErrorLine result={flows.result} />
      <ErrorLine result={action} />
      <div class="table-wrap">
        <table data-testid="flows">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Topic</th>
              <th scope="col">Action</th>
              <th scope="col">State</th>
              <th scope="col">Messages</th>
              <th scope="col">Records</th>
              <th scope="col">Dead letters</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.code} data-flow={f.code}>
                <th scope="row">{f.code}</th>
                <td>
                  <code>{f.topic}</code>
                </td>
                <td>{f.action}</td>
                <td>
                  <StatusBadge status={f.enabled ? 'enabled' : 'disabled'} />
                </td>
                <td data-counter="messages">{f.counters.lastMsgId}</td>
                <td>{f.counters.records}</td>
                <td>{f.counters.deadLetters}</td>
                <td class="row-actions">
                  <button type="button" class="secondary" onClick={() => setEditing(f)}>
                    Edit<span class="sr-only"> {f.code}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      void run(
                        'POST',
                        `/api/flows/${encodeURIComponent(f.code)}/${f.enabled ? 'disable' : 'enable'}`,
                      )
                    }
                  >
                    {f.enabled ? 'Disable' : 'Enable'}
                    <span class="sr-only"> {f.code}</span>
                  </button>
                  <button type="button" class="danger" onClick={() => void remove(f)}>
                    Delete<span class="sr-only"> {f.code}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing === null ? (
        <p>
          <button type="button" onClick={() => setEditing('new')}>
            New flow
          </button>
        </p>
      ) : (
        <FlowForm
          key={editing === 'new' ? 'new' : editing.code}
          flow={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            flows.reload();
          }}
        />
      )}
      <ExplainBox />
    </section>
  );
}
