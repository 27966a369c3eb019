import { useState } from 'preact/hooks';
import { api, storeToken } from '../api.js';

/** Asks for an API token; kept in sessionStorage (this tab only) once the server accepts it. */
export function LoginPage(props: { onLogin: () => void; expired: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    storeToken(token.trim());
    const r = await api('GET', '/api/flows');
    if (r.ok) {
      setError('');
      props.onLogin();
      return;
    }
    storeToken(null);
    setError(r.status === 401 ? 'The server does not accept this token.' : (r.error?.message ?? 'failed'));
  };
  return (
    <main class="login">
      <form class="panel" onSubmit={submit}>
        <h1>iotgw console</h1>
        {props.expired ? <p class="error">Your token was refused; sign in again.</p> : null}
        <label for="token">
          <span>API token (read or admin)</span>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'token-error' : 'token-hint'}
            required
          />
        </label>
        {error ? (
          <p class="field-error" id="token-error" role="alert">
            {error}
          </p>
        ) : null}
        <p class="hint" id="token-hint">
          Kept for this browser tab only. Read tokens see everything; admin tokens may change things.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
