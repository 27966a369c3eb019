import { loadRouterSettings, type RouterSettings } from '@iotgw/flow-router';

/** Router settings for tests: no timers unless asked, small backoffs. */
export function testSettings(url: string, env: Record<string, string> = {}): RouterSettings {
  return loadRouterSettings({
    DATABASE_URL: url,
    FLOWS_RELOAD_INTERVAL_SECONDS: '0',
    HTTP_RETRY_BASE_MS: '20',
    HTTP_RETRY_MAX_MS: '200',
    MQTT_CLIENT_ID: `router-test-${process.pid}`,
    ...env,
  });
}
