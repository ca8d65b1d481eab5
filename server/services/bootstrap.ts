import { sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { assessments, users } from '../db/schema';
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
  const userCount = db.select({ n: sql<number>`count(*)` }).from(users).get()!.n;
  if (userCount === 0) {
    const password = options.adminPassword ?? generatePassword();
    await createUser(db, 'system', 'admin', password, 'admin');
    if (!options.adminPassword) result.generatedAdminPassword = password;
  }
  rescoreUnpooledResults(db);
  const assessmentCount = db.select({ n: sql<number>`count(*)` }).from(assessments).get()!.n;
  if (assessmentCount === 0 && options.loadDemo) result.demo = loadDemo(db);
  return result;
}
