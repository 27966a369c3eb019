import { useState } from 'preact/hooks';
import { type ApiResult, api, problemsByField } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import type { Flow } from '../types.js';

interface Draft {
  code: string;
  topic: string;
  action: string;
  endpointUrl: string;
  payloadSchema: string;
  description: string;
  enabled: boolean;
}

function draftOf(flow: Flow | null): Draft {
  return {
    code: flow?.code ?? '',
    topic: flow?.topic ?? '',
    action: flow?.action ?? 'STORE_DB',
    endpointUrl: flow?.endpointUrl ?? '',
    payloadSchema: flow?.payloadSchema == null ? '' : JSON.stringify(flow.payloadSchema, null, 2),
    description: flow?.description ?? '',
    enabled: flow?.enabled ?? true,
  };
}

/** Create (flow null) or edit a flow; the router's own validation comes back at the field. */
export function FlowForm(props: { flow: Flow | null; onDone: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(props.flow));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ApiResult<unknown> | null>(null);
  const editing = props.flow !== null;

  const submit = async (e: Event) => {
    e.preventDefault();
    let schema: unknown = null;
    if (d.payloadSchema.trim() !== '') {
      try {
        schema = JSON.parse(d.payloadSchema);
      } catch (err) {
        setErrors({ payloadSchema: `not JSON: ${(err as Error).message}` });
        return;
      }
    }
    const body: Record<string, unknown> = {
      topic: d.topic,
      action: d.action,
      payloadSchema: schema,
      description: d.description || null,
      endpointUrl: d.action === 'POST_ENDPOINT' ? d.endpointUrl || null : null,
      enabled: d.enabled,
    };
    if (!editing) body['code'] = d.code;
    const r = editing
      ? await api('PUT', `/api/flows/${encodeURIComponent(props.flow?.code ?? '')}`, body)
      : await api('POST', '/api/flows', body);
    setResult(r);
    if (!r.ok) {
      setErrors(problemsByField(r.error?.problems));
      return;
    }
    setErrors({});
    props.onDone();
  };

  const input = (key: 'code' | 'topic' | 'endpointUrl' | 'description', label: string, disabled = false) => (
    <label for={`flow-${key}`}>
      <span>{label}</span>
      <input
        id={`flow-${key}`}
        name={key}
        value={d[key]}
        disabled={disabled}
        onInput={(e) => setD({ ...d, [key]: (e.target as HTMLInputElement).value })}
        aria-invalid={errors[key] ? 'true' : undefined}
        aria-describedby={errors[key] ? `flow-${key}-error` : undefined}
      />
      {errors[key] ? (
        <span class="field-error" id={`flow-${key}-error`}>
          {errors[key]}
        </span>
      ) : null}
    </label>
  );

  return (
    <form class="panel" onSubmit={submit} data-testid="flow-form" aria-labelledby="flow-form-title">
      <h2 id="flow-form-title">{editing ? `Edit flow ${props.flow?.code}` : 'New flow'}</h2>
      {input('code', 'Code', editing)}
      {input('topic', 'Topic filter (+ and # allowed)')}
      <label for="flow-action">
        <span>Action</span>
        <select
          id="flow-action"
          name="action"
          value={d.action}
          onChange={(e) => setD({ ...d, action: (e.target as HTMLSelectElement).value })}
        >
          <option value="STORE_DB">STORE_DB (records)</option>
          <option value="POST_ENDPOINT">POST_ENDPOINT (HTTP)</option>
        </select>
      </label>
      {d.action === 'POST_ENDPOINT' ? input('endpointUrl', 'Endpoint URL') : null}
      <label for="flow-payloadSchema">
        <span>Payload schema (JSON: {'{"temp": "number"}'} or a JSON Schema; empty = any object)</span>
        <textarea
          id="flow-payloadSchema"
          name="payloadSchema"
          rows={6}
          value={d.payloadSchema}
          onInput={(e) => setD({ ...d, payloadSchema: (e.target as HTMLTextAreaElement).value })}
          aria-invalid={errors['payloadSchema'] ? 'true' : undefined}
          aria-describedby={errors['payloadSchema'] ? 'flow-payloadSchema-error' : undefined}
        />
        {errors['payloadSchema'] ? (
          <span class="field-error" id="flow-payloadSchema-error">
            {errors['payloadSchema']}
          </span>
        ) : null}
      </label>
      {input('description', 'Description')}
      <label class="inline">
        <input
          type="checkbox"
          checked={d.enabled}
          onChange={(e) => setD({ ...d, enabled: (e.target as HTMLInputElement).checked })}
        />{' '}
        enabled
      </label>
      <div class="actions">
        <button type="submit">{editing ? 'Save flow' : 'Create flow'}</button>
        <button type="button" class="secondary" onClick={props.onDone}>
          Cancel
        </button>
      </div>
      <ErrorLine result={result} />
    </form>
  );
}
