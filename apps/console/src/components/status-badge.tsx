const GOOD = new Set(['ok', 'online', 'applied', 'stored', 'store', 'live', 'enabled']);
const BAD = new Set([
  'wrong_key',
  'invalid',
  'offline',
  'refused',
  'not_encrypted',
  'undecodable',
  'dead_letter',
  'still_invalid',
  'failed',
]);

/** A status word with a colour that is not the only cue (the word is always shown). */
export function StatusBadge(props: { status: string | null | undefined }) {
  const s = props.status ?? 'unknown';
  const tone = GOOD.has(s) ? 'good' : BAD.has(s) ? 'bad' : 'neutral';
  return <span class={`badge ${tone}`}>{s}</span>;
}
