import { describe, expect, it } from 'vitest';
import { issueSlipsRequest, panelsOffered, reconciliationFlagText, STEPS, stepsOffered } from '../../../client/admin/models/sitting';
import type { SittingStatus } from '../../../shared/forms';

describe('sitting page: the steps each status offers', () => {
  it('offers an admin the buttons of the sitting’s life, in order', () => {
    const offered: Record<SittingStatus, string[]> = {
      draft: ['rehearse', 'open'],
      rehearsal: ['open'],
      open: ['close'],
      closed: ['reopen', 'publish'],
      published: [],
    };
    for (const [status, steps] of Object.entries(offered)) expect(stepsOffered(status as SittingStatus, true), status).toEqual(steps);
  });

  it('offers an organiser no step at all', () => {
    for (const status of ['draft', 'rehearsal', 'open', 'closed'] as const) expect(stepsOffered(status, false)).toEqual([]);
  });

  it('reopens with the open act, warning about ballots below k', () => {
    expect(STEPS.reopen.act).toBe('open');
    expect(STEPS.reopen.body(7).zh).toContain('少于 7 张');
    expect(STEPS.close.danger).toBe(true);
  });
});

describe('sitting page: the panels each status shows', () => {
  it('issues practice slips only before opening, real ones until closing', () => {
    expect(panelsOffered('rehearsal', true)).toMatchObject({ issueSlips: true, practiceSlips: true, clearRehearsal: true, resultsLink: false });
    expect(panelsOffered('open', true)).toMatchObject({ issueSlips: true, practiceSlips: false, clearRehearsal: true });
    expect(panelsOffered('closed', true)).toMatchObject({ issueSlips: false, clearRehearsal: false, resultsLink: true });
    expect(panelsOffered('published', true).resultsLink).toBe(true);
  });

  it('shows an organiser neither results nor slips to issue nor the organisers', () => {
    expect(panelsOffered('closed', false)).toEqual({ resultsLink: false, issueSlips: false, practiceSlips: false, clearRehearsal: false, organisers: false });
  });

  it('asks for dry-run slips only where practice slips may be issued', () => {
    expect(issueSlipsRequest('上级', '30', true, true)).toEqual({ voterGroup: '上级', count: 30, dryRun: true });
    expect(issueSlipsRequest('上级', '30', false, true).dryRun).toBe(false);
  });

  it('names the reconciliation flags, and shows an unknown one as its code', () => {
    expect(reconciliationFlagText('low_turnout').zh).toBe('参评率低于最低要求');
    expect(reconciliationFlagText('something_new')).toEqual({ zh: 'something_new', en: 'something_new' });
  });
});
