import { count } from 'drizzle-orm';
import type { Db } from '../db/database';
import { assessments, users } from '../db/tables';
import { createUser } from './accounts/accounts';
import { loadDemo } from './demo';
import { generatePassword } from './accounts/passwords';
import { rescoreUnpooledResults } from './sittings/sittings';

export interface BootstrapResult {
  /** Set only when a password was generated: shown once, never stored in clear. */
  generatedAdminPassword?: string;
  demo?: { assessmentId: number; sittingId: number };
}

/** First start on an empty database: the admin account, and the demo assessment; on every start, results stored in an older, leaky form are scored again. */
export async function bootstrap(db: Db, options: { adminPassword: string | undefined; loadDemo: boolean }): Promise<BootstrapResult> {
  const result: BootstrapResult = {};
  const [counted] = await db.select({ n: count() }).from(users);
  const userCount = counted!.n;
  if (userCount === 0) {
    const password = options.adminPassword ?? generatePassword();
    await createUser(db, 'system', 'admin', password, 'admin');
    if (!options.adminPassword) result.generatedAdminPassword = password;
  }
  await rescoreUnpooledResults(db);
  const [assessed] = await db.select({ n: count() }).from(assessments);
  const assessmentCount = assessed!.n;
  if (assessmentCount === 0 && options.loadDemo) result.demo = await loadDemo(db);
  return result;
}
