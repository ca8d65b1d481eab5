import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { AnswerProblem } from '../../../shared/answers';
import { allows } from '../../../shared/sitting-life';
import { api, ApiFailure, byId, call } from '../api';
import type { PaperBallot } from '../api-types';
import { ErrorNote, Loading, StatusBadge, useLoad } from '../components';
import { lang, say, t } from '../i18n';
import {
  answersOf,
  countOutcome,
  describeProblems,
  differenceNames,
  emptyEntry,
  endsBallot,
  entryProblems,
  isDirty,
  layoutOf,
  moveTo,
  NO_COUNTS,
  outcomeText,
  pressKey,
  refusalText,
  SLIP_PROBLEMS,
  slipCode,
  slipFromInput,
  tickedCount,
  type EntryLayout,
  type EntryProblem,
  type EntryState,
  type SessionCounts,
} from '../models/paper-entry';
import { bi, type Bilingual } from '../models/text';
import { useAppState } from '../state';
import { useAction } from '../use-action';
import { CursorPanel, KeyHelp, PaperSheet } from './paper-entry-sheet';

/** The slip on the desk: its token, its ballot as printed, and the cells in keying order. */
interface Slip {
  token: string;
  ballot: PaperBallot;
  layout: EntryLayout;
}

/** What the last slip came to, shown above the slip field until the next one. */
type Answer =
  | { kind: 'outcome'; status: 'awaiting_second' | 'cast' | 'conflict' | 'resolved'; slip: string; differences: Bilingual[] }
  | { kind: 'refused'; slip: string | null; text: Bilingual; code: string }
  | { kind: 'discarded'; slip: string };
/** Numbered, so the same answer twice is still seen to arrive (data-seq). */
type Result = Answer & { seq: number };

type Mode = 'enter' | 'resolve';

/** The desk's count, per sitting, kept in this tab's session storage (numbers only) so a reload keeps it. */
const countsKey = (sittingId: number) => `ceping.admin.paper-counts.${sittingId}`;
function savedCounts(sittingId: number): SessionCounts {
  try {
    const saved = JSON.parse(sessionStorage.getItem(countsKey(sittingId)) ?? 'null') as Partial<SessionCounts> | null;
    return saved ? { ...NO_COUNTS, ...saved } : NO_COUNTS;
  } catch {
    return NO_COUNTS;
  }
}
function saveCounts(sittingId: number, counts: SessionCounts): void {
  try {
    sessionStorage.setItem(countsKey(sittingId), JSON.stringify(counts));
  } catch {
    // private mode: the count lasts for this page only
  }
}
/**
 * Slips this clerk entered at this desk (in memory only, gone on reload): taken again, they are
 * refused before a single key is typed. The server refuses them anyway (same_clerk), from any desk.
 */
const enteredHere = new Map<number, Set<string>>();
const enteredAt = (sittingId: number): Set<string> => {
  let set = enteredHere.get(sittingId);
  if (!set) enteredHere.set(sittingId, (set = new Set()));
  return set;
};

/**
 * 纸质票录入: the screen where entry clerks (the sitting's organisers, or admins) key in paper
 * ballots, two clerks per ballot, from a stack of slips. An admin also resolves a conflict here
 * (裁定): scan the slip in resolve mode, key in what the paper says, submit.
 */
export function PaperEntryPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const { user } = useAppState();
  const isAdmin = user.value?.role === 'admin';
  const sitting = useLoad(() => call(api.admin.sittings[':id'].$get(byId(id))), [id]);
  const slipInput = useRef<HTMLInputElement>(null);
  const sheet = useRef<HTMLDivElement>(null);
  const [mode, setModeState] = useState<Mode>('enter');
  const modeRef = useRef<Mode>('enter');
  const setMode = (next: Mode) => {
    modeRef.current = next;
    setModeState(next);
    // The next scan goes to the slip field, not to the button just clicked.
    slipInput.current?.focus();
  };
  const [slipText, setSlipText] = useState('');
  const [slip, setSlip] = useState<Slip | null>(null);
  const [entry, setEntryState] = useState<EntryState | null>(null);
  const [result, setShown] = useState<Result | null>(null);
  const seq = useRef(0);
  const setResult = (next: Answer | null) => setShown(next ? { ...next, seq: ++seq.current } : null);
  const [problems, setProblems] = useState<EntryProblem[]>([]);
  const [counts, setCounts] = useState<SessionCounts>(() => savedCounts(id));
  // Keys come faster than renders (a scanner types a whole URL at once): the latest state lives here.
  const entryRef = useRef<EntryState | null>(null);
  const slipRef = useRef<Slip | null>(null);

  const setEntry = (next: EntryState | null) => {
    entryRef.current = next;
    setEntryState(next);
  };
  const placeSlip = (next: Slip | null) => {
    slipRef.current = next;
    setSlip(next);
    setEntry(next ? emptyEntry(next.layout) : null);
    setProblems([]);
  };
  const count = (outcome: Parameters<typeof countOutcome>[1]) =>
    setCounts((c) => {
      const next = countOutcome(c, outcome);
      saveCounts(id, next);
      return next;
    });

  // The focus follows the work: the sheet while a slip is on the desk, else the slip field.
  useEffect(() => {
    if (slip) sheet.current?.focus();
    else slipInput.current?.focus();
  }, [slip, sitting.data]);

  // The cell being keyed stays in view.
  useEffect(() => {
    sheet.current?.querySelector(`[data-cell="${entry?.cursor ?? -1}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [entry?.cursor, slip]);

  const load = useAction(async (text: string) => {
    const input = slipFromInput(text);
    setSlipText('');
    if ('problem' in input) {
      setResult({ kind: 'refused', slip: null, text: SLIP_PROBLEMS[input.problem], code: input.problem });
      return;
    }
    let ballot: PaperBallot;
    try {
      ballot = await call(api.voter.ballot.$post({ json: { token: input.token } }));
    } catch (err) {
      if (err instanceof ApiFailure && err.status !== 0) {
        setResult({ kind: 'refused', slip: slipCode(input.token), text: refusalText(err.code, err.message), code: err.code });
        return;
      }
      throw err;
    }
    if (ballot.sitting.id !== id) {
      setResult({
        kind: 'refused',
        slip: slipCode(input.token),
        text: bi(`这张票属于另一场测评（${ballot.sitting.title}），不能在本场录入。`, `This slip belongs to another sitting (${ballot.sitting.title}); it cannot be entered here.`),
        code: 'other_sitting',
      });
      return;
    }
    if (modeRef.current === 'enter' && enteredAt(id).has(input.token)) {
      setResult({ kind: 'refused', slip: slipCode(input.token), text: refusalText('same_clerk', ''), code: 'same_clerk' });
      return;
    }
    setResult(null);
    submit.clearError();
    placeSlip({ token: input.token, ballot, layout: layoutOf(ballot.forms) });
  });

  // Set at once (the busy flag arrives with the next render): a second Enter sends nothing twice.
  const submitting = useRef(false);
  // Keys pressed while a ballot is on its way: a scanner reading the next slip at once.
  const typedAhead = useRef<string[]>([]);
  const submit = useAction(async () => {
    const current = slipRef.current;
    const state = entryRef.current;
    if (!current || !state || submitting.current) return;
    submitting.current = true;
    try {
      await send(current, state);
    } finally {
      submitting.current = false;
      takeTypedAhead(typedAhead.current.splice(0));
    }
  });

  /**
   * The keys typed during a submit belong to the next slip: once the desk is clear they are
   * that slip's text (opened if its Enter came too). If the ballot stayed on the desk (a problem
   * to mend), they are not keyed into it, and the clerk is told.
   */
  function takeTypedAhead(keys: string[]): void {
    const typed = keys.filter((key) => key.length === 1 || key === 'Enter' || key === 'Backspace');
    if (typed.length === 0) return;
    const state = entryRef.current;
    if (slipRef.current && state) {
      // An Enter pressed twice is no key lost; anything else is told.
      if (typed.every((key) => key === 'Enter')) return;
      setEntry({ ...state, hint: bi('提交期间按下的键未录入：请先处理本票，再扫下一张。', 'Keys pressed while sending were not keyed in: mend this ballot, then scan the next.') });
      return;
    }
    let text = '';
    for (const key of typed) {
      if (key === 'Backspace') text = text.slice(0, -1);
      else if (key !== 'Enter') text += key;
      else if (text.trim() !== '') return void load.run(text);
    }
    setSlipText(text);
  }

  async function send(current: Slip, state: EntryState): Promise<void> {
    setProblems([]);
    const { layout, token } = current;
    const refuse = (found: EntryProblem[]) => {
      setProblems(found);
      const first = found.find((p) => p.cell !== undefined)?.cell;
      if (first !== undefined) setEntry(moveTo(layout, entryRef.current ?? state, first));
    };
    const found = entryProblems(layout, state.values);
    if (found.length > 0) return refuse(found);
    const answers = answersOf(layout, state.values);
    const code = slipCode(token);
    try {
      if (modeRef.current === 'resolve') {
        await call(api.admin.sittings[':id']['paper-entries'].resolve.$post({ ...byId(id), json: { token, answers } }));
        count('resolved');
        setResult({ kind: 'outcome', status: 'resolved', slip: code, differences: [] });
      } else {
        const outcome = await call(api.admin.sittings[':id']['paper-entries'].$post({ ...byId(id), json: { token, answers } }));
        if (outcome.status !== 'cast') enteredAt(id).add(token);
        count(outcome.status);
        setResult({ kind: 'outcome', status: outcome.status, slip: code, differences: differenceNames(layout, outcome.differences ?? []) });
      }
      placeSlip(null);
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'invalid_answers') {
        const listed = (err.details as { problems?: AnswerProblem[] } | undefined)?.problems ?? [];
        return refuse(listed.length > 0 ? describeProblems(layout, listed) : [{ text: refusalText(err.code, err.message), cell: undefined }]);
      }
      if (err instanceof ApiFailure && endsBallot(err.code)) {
        setResult({ kind: 'refused', slip: code, text: refusalText(err.code, err.message), code: err.code });
        placeSlip(null);
        return;
      }
      throw err;
    }
  }

  // Stable, so the sheet's rows (memoised) are not re-rendered for a new handler on every key.
  const pick = useCallback((index: number) => {
    const current = slipRef.current;
    const state = entryRef.current;
    if (!current || !state) return;
    setEntry(moveTo(current.layout, state, index));
    sheet.current?.focus();
  }, []);

  const onKey = (e: KeyboardEvent) => {
    const current = slipRef.current;
    const state = entryRef.current;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (submitting.current) {
      e.preventDefault();
      typedAhead.current.push(e.key);
      return;
    }
    if (!current || !state) {
      // The ballot has just gone and the sheet still has the focus: the key is the next slip's.
      slipInput.current?.focus();
      return;
    }
    const r = pressKey(current.layout, state, e.key);
    if (!r.handled) return;
    e.preventDefault();
    setEntry(r.state);
    if (r.effect.kind === 'submit') void submit.run();
    else if (r.effect.kind === 'discard') {
      setResult({ kind: 'discarded', slip: slipCode(current.token) });
      placeSlip(null);
    } else if (r.effect.kind === 'scan') {
      const scanned = slipFromInput(r.effect.text);
      if ('token' in scanned && scanned.token === current.token) return;
      if (isDirty(r.state)) setEntry({ ...r.state, hint: bi('请先提交或放弃（Esc Esc）当前这张票，再扫下一张。', 'Submit or discard (Esc Esc) this ballot before scanning the next.') });
      else void load.run(r.effect.text);
    }
  };

  // A key pressed with nothing focused (after a click on the page) goes where the work is.
  useEffect(() => {
    const route = (e: KeyboardEvent) => {
      if (e.target !== document.body) return;
      if (slipRef.current) {
        sheet.current?.focus();
        onKey(e);
      } else slipInput.current?.focus();
    };
    window.addEventListener('keydown', route);
    return () => window.removeEventListener('keydown', route);
  });

  if (sitting.error) return <ErrorNote error={sitting.error} />;
  const s = sitting.data;
  if (!s) return <Loading />;
  const open = allows('vote', s.status);
  const resolving = mode === 'resolve';

  return (
    <div class={resolving ? 'paper-entry resolving' : 'paper-entry'} data-testid="paper-entry">
      <header class="entry-head">
        <div>
          <p class="crumbs">
            <a href={`/admin/sittings/${id}`}>{s.name}</a> ›
          </p>
          <h1>
            {t('纸质票录入', 'Paper ballot entry')} <StatusBadge status={s.status} />
          </h1>
        </div>
        {isAdmin && (
          <div class="mode" role="group" aria-label={t('模式', 'Mode')}>
            <button type="button" class={resolving ? 'secondary' : 'primary'} aria-pressed={!resolving} disabled={!!slip} onClick={() => setMode('enter')} data-testid="mode-enter">
              {t('录入', 'Enter')}
            </button>
            <button type="button" class={resolving ? 'primary' : 'secondary'} aria-pressed={resolving} disabled={!!slip} onClick={() => setMode('resolve')} data-testid="mode-resolve">
              {t('裁定冲突', 'Resolve conflict')}
            </button>
          </div>
        )}
        <Counts counts={counts} showResolved={isAdmin} />
      </header>

      {!open ? (
        <p class="error" role="alert" data-testid="entry-closed">
          {t('本场测评不在进行中，不能录入纸质票。', 'This sitting is not open: paper ballots cannot be entered.')}
        </p>
      ) : (
        <>
          {resolving && (
            <p class="resolve-note" data-testid="resolve-note">
              {t('裁定模式：扫描有冲突的纸质票，按纸质票原样录入后提交，即以此计票（记入审计日志）。', 'Resolve mode: scan the slip in conflict, key in what the paper says and submit: it is cast as keyed (audited).')}
            </p>
          )}
          <form
            class="slip-row"
            onSubmit={(e) => {
              e.preventDefault();
              // An Enter too many after a ballot (the field is empty) leaves its answer on screen.
              if (!load.busy && slipText.trim() !== '') void load.run(slipText);
            }}
          >
            <label>
              {t('测评票', 'Slip')}
              <input
                ref={slipInput}
                name="slip"
                data-testid="slip"
                autocomplete="off"
                spellcheck={false}
                value={slip ? '' : slipText}
                disabled={!!slip}
                placeholder={slip ? t('录完本票后再扫下一张', 'Finish this ballot before the next') : t('扫描二维码，或输入票码后按 Enter', 'Scan the QR code, or type the code and press Enter')}
                onInput={(e) => setSlipText(e.currentTarget.value)}
              />
            </label>
            {slip && entry ? (
              <p class="slip-progress" data-testid="slip-progress">
                {t(`已选 ${tickedCount(entry.values)} / ${slip.layout.cells.length} 项`, `${tickedCount(entry.values)} of ${slip.layout.cells.length} items ticked`)}
                <button type="button" class="link" onClick={() => (setResult({ kind: 'discarded', slip: slipCode(slip.token) }), placeSlip(null))}>
                  {t('放弃本票', 'Discard')}
                </button>
              </p>
            ) : (
              <button type="submit" class="secondary" disabled={load.busy}>
                {t('打开', 'Open')}
              </button>
            )}
          </form>
          <ResultNote result={result} />
          <ErrorNote error={load.error ?? submit.error} />
          {problems.length > 0 && (
            <ul class="entry-problems error" role="alert" data-testid="entry-problems">
              {problems.slice(0, 8).map((p, i) => (
                <li key={i}>{say(p.text)}</li>
              ))}
            </ul>
          )}
          {!slip && <IdleDesk resolving={resolving} />}
          {slip && entry && (
            <div class="entry-body">
              <PaperSheet
                layout={slip.layout}
                entry={entry}
                sheetRef={sheet}
                onKeyDown={onKey}
                onPick={pick}
                submitLabel={submit.busy ? t('提交中…', 'Submitting…') : resolving ? t('按 Enter 提交裁定（直接计票）', 'Enter: submit the resolution (cast)') : t('按 Enter 提交本票', 'Enter: submit this ballot')}
              />
              <CursorPanel layout={slip.layout} entry={entry} slip={slipCode(slip.token)} voterGroup={slip.ballot.voterGroup} />
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** Between two slips: what to do next. */
function IdleDesk({ resolving }: { resolving: boolean }) {
  return (
    <div class="desk-idle" data-testid="desk-idle">
      <div class="card">
        <p class="next">{resolving ? t('扫描有冲突的纸质票', 'Scan the paper ballot in conflict') : t('扫描下一张纸质票', 'Scan the next paper ballot')}</p>
        <ol>
          <li>{t('用扫码枪扫纸质票右上角的二维码；或在上方输入完整票码后按 Enter。', 'Scan the QR code at the top right of the paper with the scanner, or type the full code above and press Enter.')}</li>
          <li>{t('核对屏幕上的短码与纸质票上的一致。', "Check that the short code on screen matches the paper's.")}</li>
          <li>{t('按纸质票逐行录入：方框的编号就是按键（是/否：1 是 2 否），空白按 0。', 'Key in the paper row by row: the number of the ticked box is the key (yes/no: 1 yes, 2 no); a blank is 0.')}</li>
          <li>{t('最后一项后按 Enter 提交；结果显示在上方，然后扫下一张。', 'After the last item press Enter to submit; the answer shows above, then scan the next.')}</li>
        </ol>
        <p class="muted small-text">
          {t('每张票须由两位不同的录入员各录入一次，两次一致才计票。', 'Each ballot is keyed in by two different clerks; it is cast only when both agree.')}
        </p>
      </div>
      <aside class="card">
        <KeyHelp />
      </aside>
    </div>
  );
}

function Counts({ counts, showResolved }: { counts: SessionCounts; showResolved: boolean }) {
  const item = (key: keyof SessionCounts, zh: string, en: string) => (
    <div class={`count-${key}`}>
      <dt>{t(zh, en)}</dt>
      <dd data-testid={`count-${key}`}>{counts[key]}</dd>
    </div>
  );
  return (
    <dl class="entry-counts" aria-label={t('本次录入', 'This session')}>
      {item('entered', '已录入', 'Entered')}
      {item('awaiting', '待第二人', 'Awaiting 2nd')}
      {item('cast', '已计票', 'Cast')}
      {item('conflicts', '冲突', 'Conflicts')}
      {showResolved && item('resolved', '已裁定', 'Resolved')}
    </dl>
  );
}

function ResultNote({ result }: { result: Result | null }) {
  if (!result) return null;
  if (result.kind === 'discarded') {
    return (
      <p class="entry-result discarded" role="status" data-testid="entry-result" data-status="discarded" data-seq={result.seq}>
        {result.slip} · {t('已放弃，未提交。', 'Discarded: nothing was sent.')}
      </p>
    );
  }
  if (result.kind === 'refused') {
    // Refusals in both languages, the console's first: a clerk at the desk may read either.
    const [first, second] = lang.value === 'zh' ? [result.text.zh, result.text.en] : [result.text.en, result.text.zh];
    return (
      <div class="entry-result refused" role="alert" data-testid="entry-result" data-status="refused" data-code={result.code} data-seq={result.seq}>
        <p>
          {result.slip && <strong>{result.slip} · </strong>}
          {first}
        </p>
        {second !== first && <p class="other-lang">{second}</p>}
      </div>
    );
  }
  return (
    <div class={`entry-result ${result.status}`} role="status" data-testid="entry-result" data-status={result.status} data-seq={result.seq}>
      <p>
        <strong>{result.slip} · </strong>
        {say(outcomeText(result.status))}
      </p>
      {result.differences.length > 0 && (
        <ul class="differences" data-testid="differences">
          {result.differences.map((d, i) => (
            <li key={i}>{say(d)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
