import type { ApiResult } from '../api.js';

/** The server's error message for a failed call; a refused write (403) says so. */
export function ErrorLine(props: { result: ApiResult<unknown> | null | undefined }) {
  const e = props.result && !props.result.ok ? props.result.error : undefined;
  if (!e) return null;
  return (
    <p class="error" role="alert">
      {props.result?.status === 403 ? 'Refused: ' : ''}
      {e.message}
    </p>
  );
}
