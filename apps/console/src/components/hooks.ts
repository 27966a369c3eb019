import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiResult, api } from '../api.js';

/** GET `path` now and every `everyMs` (0 = once); `reload()` asks again at once. */
export function usePoll<T>(path: string | null, everyMs = 0) {
  const [result, setResult] = useState<ApiResult<T> | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (path === null) return;
    let alive = true;
    const load = async () => {
      const r = await api<T>('GET', path);
      if (alive) setResult(r);
    };
    void load();
    const timer = everyMs > 0 ? setInterval(() => void load(), everyMs) : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [path, everyMs, tick]);
  return { result, reload };
}
