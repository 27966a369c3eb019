import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiResult, api, problemsByField } from '../api.js';
import { ErrorLine } from '../components/error-line.js';
import { StatusBadge } from '../components/status-badge.js';
import type { MeterReport, MeterStatus } from '../types.js';

interface Row {
  deviceId: string;
  manufacturerKey: string;
  encryptionKey: string;
  manufacturerDeviceKey: string;
}

const EMPTY: Row = { deviceId: '', manufacturerKey: '', encryptionKey: '', manufacturerDeviceKey: '' };
const HEX32 = /^[0-9A-Fa-f]{32}$/;

/** Checks the browser can make before sending; the server and then the edge check the rest. */
function localProblems(rows: readonly Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  rows.forEach((r, i) => {
    if (r.deviceId.trim() === '') out[`${i}.deviceId`] = 'a meter id is required';
    if (r.encryptionKey !== '' && !HEX32.test(r.encryptionKey.trim()))
      out[`${i}.encryptionKey`] = 'an AES-128 key is 32 hex digits';
  });
  return out;
}

type Answer =
  | { kind: 'pending'; requestedAt: string }
  | { kind: 'answered'; status: string; error?: string; meters: MeterStatus[] };

/**
 * The gateway's meter list (PUT /api/gateways/:id/meters replaces it). Keys are never shown back: the
 * list starts from the edge's report without them, and every encrypted meter's key is entered again.
 */
export function ProvisioningForm(props: {
  gatewayId: string;
  report: MeterReport['report'];
  onAnswer: () => void;
}) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ApiResult<unknown> | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const firstInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (rows === null && props.report) {
      setRows(
        props.report.meters.map((m) => ({
          ...EMPTY,
          deviceId: m.deviceId,
          manufacturerKey: m.manufacturerKey ?? '',
          manufacturerDeviceKey: m.manufacturerDeviceKey ?? '',
        })),
      );
    }
  }, [props.report, rows]);

  // While the edge has not answered, its next meter report (polled by the page) may be the answer.
  useEffect(() => {
    const cmd = props.report?.command;
    if (
      answer?.kind === 'pending' &&
      cmd &&
      Date.parse(cmd.timestamp) >= Date.parse(answer.requestedAt) - 1000
    ) {
      setAnswer({
        kind: 'answered',
        status: cmd.ok ? 'applied' : 'refused',
        ...(cmd.error ? { error: cmd.error } : {}),
        meters: props.report?.meters ?? [],
      });
    }
  }, [props.report, answer]);

  const list = rows ?? [];
  const set = (i: number, key: keyof Row, value: string) =>
    setRows(list.map((r, j) => (j === i ? { ...r, [key]: value } : r)));

  const save = async (e: Event) => {
    e.preventDefault();
    const local = localProblems(list);
    setErrors(local);
    setResult(null);
    if (Object.keys(local).length > 0) return;
    const body = list.map((r) => {
      const entry: Record<string, string> = { deviceId: r.deviceId.trim() };
      if (r.manufacturerKey.trim()) entry['manufacturerKey'] = r.manufacturerKey.trim();
      if (r.encryptionKey.trim()) entry['encryptionKey'] = r.encryptionKey.trim();
      if (r.manufacturerDeviceKey.trim()) entry['manufacturerDeviceKey'] = r.manufacturerDeviceKey.trim();
      return entry;
    });
    setBusy(true);
    const r = await api<{
      status: string;
      requestedAt: string;
      command?: { ok: boolean; error?: string };
      meters?: MeterStatus[];
    }>('PUT', `/api/gateways/${encodeURIComponent(props.gatewayId)}/meters`, body);
    setBusy(false);
    setResult(r);
    if (!r.ok) {
      setErrors(problemsByField(r.error?.problems));
      return;
    }
    // Keys are not kept in the page once sent.
    setRows(list.map((row) => ({ ...row, encryptionKey: '' })));
    if (r.status === 202) setAnswer({ kind: 'pending', requestedAt: r.body.requestedAt });
    else {
      setAnswer({
        kind: 'answered',
        status: r.body.status,
        ...(r.body.command?.error ? { error: r.body.command.error } : {}),
        meters: r.body.meters ?? [],
      });
    }
    props.onAnswer();
  };

  const field = (i: number, key: keyof Row, label: string, extra: Record<string, string> = {}) => {
    const id = `meter-${i}-${key}`;
    const err = errors[`${i}.${key}`];
    return (
      <label for={id}>
        <span>{label}</span>
        <input
          id={id}
          name={key}
          value={list[i]?.[key] ?? ''}
          onInput={(e) => set(i, key, (e.target as HTMLInputElement).value)}
          aria-invalid={err ? 'true' : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
          autocomplete="off"
          {...(i === 0 && key === 'deviceId' ? { ref: firstInput } : {})}
          {...extra}
        />
        {err ? (
          <span class="field-error" id={`${id}-error`}>
            {err}
          </span>
        ) : null}
      </label>
    );
  };

  const byIndex = new Map((answer?.kind === 'answered' ? answer.meters : []).map((m) => [m.index, m]));
  return (
    <form class="panel" onSubmit={save} aria-labelledby="provisioning-title" data-testid="provisioning">
      <h2 id="provisioning-title">Provision meters</h2>
      <p class="hint">
        Saving replaces the gateway's whole meter list. Keys are never shown back: enter the key of every
        encrypted meter again (an empty key sends the meter without one).
      </p>
      {list.map((_, i) => (
        <fieldset key={i} class="meter-row">
          <legend>
            Meter {i + 1} {byIndex.get(i) ? <StatusBadge status={byIndex.get(i)?.status} /> : null}
            {byIndex.get(i)?.reason ? <span class="reason"> {byIndex.get(i)?.reason}</span> : null}
          </legend>
          {field(i, 'deviceId', 'Meter id', { inputmode: 'numeric' })}
          {field(i, 'manufacturerKey', 'Manufacturer (e.g. KAM)')}
          {field(i, 'encryptionKey', 'AES key (32 hex)', {
            type: 'password',
            placeholder: 'not shown: re-enter',
          })}
          {field(i, 'manufacturerDeviceKey', 'Manufacturer device key')}
          {errors[String(i)] ? <p class="field-error">{errors[String(i)]}</p> : null}
          <button type="button" class="secondary" onClick={() => setRows(list.filter((__, j) => j !== i))}>
            Remove meter {i + 1}
          </button>
        </fieldset>
      ))}
      {errors[''] ? <p class="field-error">{errors['']}</p> : null}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setRows([...list, { ...EMPTY }])}>
          Add meter
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Save meter list'}
        </button>
      </div>
      <ErrorLine result={result} />
      <p aria-live="polite" data-testid="provisioning-answer">
        {answer?.kind === 'pending'
          ? 'pending: the gateway has not answered yet'
          : answer?.kind === 'answered'
            ? `The gateway ${answer.status === 'applied' ? 'applied the list' : `refused the list: ${answer.error ?? ''}`}`
            : ''}
      </p>
    </form>
  );
}
