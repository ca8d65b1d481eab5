import type * as z from 'zod/mini';
import type { IssueTokensRequest } from '../../../shared/api';
import type { SittingStatus } from '../../../shared/forms';
import { allows, type SittingAct } from '../../../shared/sitting-life';
import { bi, type Bilingual } from './text';

/**
 * The sitting page (测评场次): which steps and panels a sitting offers in its status, read
 * from the shared life table (shared/sitting-life.ts) the server checks every act against,
 * and what each step asks before it is taken.
 */

/** The states in the order a sitting lives them, for the strip at the top of the page. */
export const SITTING_STATES: readonly SittingStatus[] = ['draft', 'rehearsal', 'open', 'closed', 'published'];

/** A button that moves the sitting on; a reopen is the open act taken from closed. */
export type SittingStep = 'rehearse' | 'open' | 'close' | 'reopen' | 'publish';

export interface StepDefinition {
  /** The act of the life table, and the last segment of POST /api/admin/sittings/:id/<act>. */
  act: Extract<SittingAct, 'rehearse' | 'open' | 'close' | 'publish'>;
  button: Bilingual;
  buttonClass: 'primary' | 'secondary' | 'danger';
  title: Bilingual;
  /** What the confirmation says; `k` is the sitting's smallest group. */
  body: (k: number) => Bilingual;
  confirmLabel: Bilingual;
  danger?: boolean;
}

export const STEPS: Record<SittingStep, StepDefinition> = {
  rehearse: {
    act: 'rehearse',
    button: bi('开始演练', 'Rehearse'),
    buttonClass: 'secondary',
    title: bi('开始演练', 'Start the rehearsal'),
    body: () => bi('演练阶段只有演练票可以投票，正式票要等正式开始。', 'During the rehearsal only practice slips vote; real slips wait for the opening.'),
    confirmLabel: bi('开始演练', 'Rehearse'),
  },
  open: {
    act: 'open',
    button: bi('开始测评', 'Open sitting'),
    buttonClass: 'primary',
    title: bi('开始测评', 'Open the sitting'),
    body: () => bi('开始后参评人员即可扫码投票；最小分组 k 将锁定；演练投票将被清除，演练票不能再投票（记入审计日志）。', 'Voters can vote once it is open; k is locked; rehearsal ballots are purged and practice slips stop working (audited).'),
    confirmLabel: bi('开始', 'Open'),
  },
  close: {
    act: 'close',
    button: bi('结束测评', 'Close sitting'),
    buttonClass: 'danger',
    title: bi('结束测评', 'Close the sitting'),
    body: () => bi('结束后不再接受任何投票，系统将计票并核对票数。', 'No ballot is accepted after closing; the tally and reconciliation are computed.'),
    confirmLabel: bi('结束测评', 'Close'),
    danger: true,
  },
  reopen: {
    act: 'open',
    button: bi('重新开放', 'Reopen'),
    buttonClass: 'secondary',
    title: bi('重新开放', 'Reopen'),
    body: (k) =>
      bi(
        `重新开放将清除已计算的结果，并记入审计日志。再次结束时，若新增选票少于 ${k} 张，结果将暂不公布（防止推算个人选票）。`,
        `Reopening discards the computed results and is recorded in the audit log. If fewer than ${k} ballots are added before it closes again, the results are withheld (so no single ballot can be worked out).`,
      ),
    confirmLabel: bi('重新开放', 'Reopen'),
  },
  publish: {
    act: 'publish',
    button: bi('公布结果', 'Publish'),
    buttonClass: 'primary',
    title: bi('公布结果', 'Publish results'),
    body: () => bi('公布后本场结果定稿，不能再重新开放。', 'Once published the results are final and the sitting cannot be reopened.'),
    confirmLabel: bi('公布', 'Publish'),
  },
};

/** The steps an admin is offered in this status, in the order the buttons stand; organisers take none. */
export function stepsOffered(status: SittingStatus, isAdmin: boolean): SittingStep[] {
  if (!isAdmin) return [];
  const offered = (step: SittingStep): boolean => {
    const { act } = STEPS[step];
    if (!allows(act, status)) return false;
    // The open act taken from closed is a reopen, with its own warning; before that it is the opening.
    return act === 'open' ? (step === 'reopen') === (status === 'closed') : true;
  };
  return (['rehearse', 'open', 'close', 'reopen', 'publish'] as const).filter(offered);
}

/** The other parts of the page an admin sees only in some states. */
export interface SittingPanels {
  resultsLink: boolean;
  issueSlips: boolean;
  /** The dry-run box of the issue form: practice slips vote only in the rehearsal. */
  practiceSlips: boolean;
  clearRehearsal: boolean;
  organisers: boolean;
}

export function panelsOffered(status: SittingStatus, isAdmin: boolean): SittingPanels {
  const may = (act: SittingAct) => isAdmin && allows(act, status);
  return { resultsLink: may('readResults'), issueSlips: may('issueSlips'), practiceSlips: may('issuePracticeSlips'), clearRehearsal: may('clearRehearsal'), organisers: isAdmin };
}

/** Body of POST /api/admin/sittings/:id/tokens; the dry-run box counts only where practice slips may be issued. */
export function issueSlipsRequest(voterGroup: string, count: string, practice: boolean, dryRun: boolean): z.infer<typeof IssueTokensRequest> {
  return { voterGroup, count: Number(count), dryRun: practice && dryRun };
}

/** The reconciliation's flags (shared/scoring.ts) in words; an unknown flag is shown as its code. */
export function reconciliationFlagText(flag: string): Bilingual {
  switch (flag) {
    case 'ballots_exceed_slips':
      return bi('有效票多于发出的票：本场无效', 'More ballots than slips issued: the sitting is void');
    case 'ballots_differ_from_used':
      return bi('计票数与已使用票数不一致', 'Ballots counted differ from slips used');
    case 'low_turnout':
      return bi('参评率低于最低要求', 'Turnout below the minimum');
    default:
      return bi(flag, flag);
  }
}
