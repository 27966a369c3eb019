import { useEffect, useRef, useState } from 'preact/hooks';
import { api, onUnauthorized, storedToken, storeToken } from './api.js';
import { DeadLettersPage } from './pages/dead-letters-page.js';
import { FleetPage } from './pages/fleet-page.js';
import { FlowsPage } from './pages/flows-page.js';
import { GatewayPage } from './pages/gateway-page.js';
import { LivePage } from './pages/live-page.js';
import { LoginPage } from './pages/login-page.js';
import { SeriesPage } from './pages/series-page.js';
import { Link, usePath } from './router.js';

const NAV = [
  ['/fleet', 'Fleet'],
  ['/live', 'Live'],
  ['/series', 'Series'],
  ['/flows', 'Flows'],
  ['/dead-letters', 'Dead letters'],
] as const;

function Page(props: { path: string }) {
  const gw = /^\/gateways\/([^/]+)$/.exec(props.path);
  if (gw) return <GatewayPage gatewayId={decodeURIComponent(gw[1] as string)} />;
  switch (props.path) {
    case '/live':
      return <LivePage />;
    case '/series':
      return <SeriesPage />;
    case '/flows':
      return <FlowsPage />;
    case '/dead-letters':
      return <DeadLettersPage />;
    default:
      return <FleetPage />;
  }
}

type Access = 'checking' | 'open' | 'token' | 'login' | 'expired';

/** Signs in when the server wants a token (none wanted: loopback-only, no login), then the pages. */
export function App() {
  const path = usePath();
  const [access, setAccess] = useState<Access>('checking');
  const first = useRef(true);
  // After a client-side navigation, focus moves to the new page (as a page load would reset it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);
  useEffect(() => {
    void api('GET', '/api/flows').then((r) => {
      if (r.ok) setAccess(storedToken() ? 'token' : 'open');
      else setAccess(r.status === 401 ? 'login' : 'open');
    });
    return onUnauthorized(() => {
      storeToken(null);
      setAccess((a) => (a === 'token' ? 'expired' : a === 'open' ? 'login' : a));
    });
  }, []);

  if (access === 'checking') return <p class="loading">Connecting…</p>;
  if (access === 'login' || access === 'expired') {
    return <LoginPage expired={access === 'expired'} onLogin={() => setAccess('token')} />;
  }
  const current = path === '/' ? '/fleet' : path.startsWith('/gateways/') ? '/fleet' : path;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">iotgw</span>
        <nav aria-label="pages">
          {NAV.map(([href, label]) => (
            <Link key={href} href={href} class={current === href ? 'active' : ''}>
              {label}
            </Link>
          ))}
        </nav>
        {access === 'token' ? (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              storeToken(null);
              setAccess('login');
            }}
          >
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={path} path={path} />
      </main>
    </>
  );
}
