import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrsOnPage } from '../console/helpers';
import type { ApiErrorBody } from '../../shared/errors';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

/** Behind a TLS-terminating proxy: PUBLIC_ORIGIN is where people are, whatever the request URL says. */
const PUBLIC = 'https://ceping.example.org';
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ publicOrigin: PUBLIC, withClient: true });
});
afterAll(() => server.close());

describe('an app served behind a proxy at PUBLIC_ORIGIN', () => {
  it('takes admin requests from the public origin only, with a Secure session cookie', async () => {
    const direct = new ApiClient(server.url);
    const json = { username: 'admin', password: 'test-admin-password' };
    const refused = await direct.call(direct.api.admin.login.$post({ json }));
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as ApiErrorBody).error.code).toBe('bad_origin');

    const viaProxy = new ApiClient(server.url, PUBLIC);
    const ok = await viaProxy.call(viaProxy.api.admin.login.$post({ json }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('prints slips whose QR codes point at the public origin', async () => {
    const admin = await new ApiClient(server.url, PUBLIC).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 2, forms: ['cadre'] });
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param: { id: String(sittingId) }, json: { voterGroup: '委员', count: 2 } }));
    const html = (await admin.post(batch.body.slipsUrl)).body as string;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
      await page.goto(`${server.url}/`);
      await page.setContent(html, { waitUntil: 'load' });
      const decoded = await decodeQrsOnPage(page, '.slip svg');
      expect(decoded.sort()).toEqual(batch.body.tokens.map((t) => `${PUBLIC}/vote#${t}`).sort());
    } finally {
      await browser.close();
    }
  });
});
