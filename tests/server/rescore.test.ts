import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { meta, sittings } from '../../server/db/tables';
import { bootstrap } from '../../server/services/bootstrap';
import { serverWithAdmin } from '../helpers/admin-server';
import { castBallot, setUpSitting, byId } from '../helpers/api-client';
import { ADMIN_PASSWORD } from '../helpers/server';

/**
 * Results stored before hidden groups were pooled (a database from an earlier release) let a
 * lone voter's rating be solved: the first start of this release scores them again, audited.
 */
const env = serverWithAdmin();

describe('results stored in the old, unpooled form', () => {
  it('are scored again at start, once, with an audit entry', async () => {
    const { server, admin } = env;
    const { sittingId } = await setUpSitting(admin, { cadres: 1, forms: ['cadre'], voterGroups: [{ name: '上级', weight: 30 }, { name: '同级', weight: 70 }] });
    const sitting = admin.api.admin.sittings[':id'];
    const param = byId(sittingId);
    const up = (await admin.call(sitting.tokens.$post({ ...param, json: { voterGroup: '上级', count: 1 } }))).body.tokens;
    const peers = (await admin.call(sitting.tokens.$post({ ...param, json: { voterGroup: '同级', count: 6 } }))).body.tokens;
    await admin.call(sitting.open.$post(param));
    expect(await castBallot(server.url, up[0]!, (q) => q.options[3]!.value)).toBe(201); // 不称职: 0
    for (const token of peers) expect(await castBallot(server.url, token, (q) => q.options[0]!.value)).toBe(201); // 优秀: 100
    await admin.call(sitting.close.$post(param));
    const pooled = (await admin.call(sitting.results.$get(param))).body;

    // What an earlier release stored: 0.3·0 + 0.7·100 = 70, from which the lone 上级 rating follows.
    // No longer the contract's shape (its groups lack `pooled`): untyped.
    const old: any = structuredClone(pooled);
    old.groups = old.groups.map(({ pooled: _, ...g }: { pooled: boolean }) => g);
    old.forms[0].subjects[0].scores.democraticScore = 70;
    await server.db.update(sittings).set({ results: JSON.stringify(old) }).where(eq(sittings.id, sittingId));
    await server.db.delete(meta).where(eq(meta.key, 'results_pooled'));
    expect((await admin.call(sitting.results.$get(param))).body.forms[0]!.subjects[0]!.scores.democraticScore).toBe(70);

    await bootstrap(server.db, { adminPassword: ADMIN_PASSWORD, loadDemo: false });
    const again = (await admin.call(sitting.results.$get(param))).body;
    expect(again.forms[0]!.subjects[0]!.scores.democraticScore).toBe(pooled.forms[0]!.subjects[0]!.scores.democraticScore);
    expect(again.forms[0]!.subjects[0]!.scores.democraticScore).not.toBe(70);
    const audit = (await admin.call(admin.api.admin.audit.$get({ query: { limit: '20' } }))).body.entries;
    expect(audit.filter((e) => e.action === 'sitting.rescore' && e.target === `sitting:${sittingId}`)).toHaveLength(1);

    // Once done, later starts leave the results alone.
    await bootstrap(server.db, { adminPassword: ADMIN_PASSWORD, loadDemo: false });
    const later = (await admin.call(admin.api.admin.audit.$get({ query: { limit: '20' } }))).body.entries;
    expect(later.filter((e) => e.action === 'sitting.rescore')).toHaveLength(1);
  });
});
