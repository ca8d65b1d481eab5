import { afterAll, beforeAll } from 'vitest';
import { ApiClient } from './api-client';
import { startServer, type TestServer } from './server';

/** For one test file: the real server on a fresh database and an admin logged in over HTTP. */
export function serverWithAdmin(): { readonly server: TestServer; readonly admin: ApiClient } {
  const env = {} as { server: TestServer; admin: ApiClient };
  beforeAll(async () => {
    env.server = await startServer();
    env.admin = await new ApiClient(env.server.url).login();
  });
  afterAll(() => env.server?.close());
  return env;
}
