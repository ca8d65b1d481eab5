import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { checkAnswers, type AnswerProblem } from '../../shared/answers';
import { isSubmission } from '../../shared/submission-check';
import type { Lang } from '../../shared/errors';
import { TOP_OPTION, topLimit, type BallotForm } from '../../shared/forms';
import { fetchBallot, type Submission } from './api';
import type { Draft, Problem, Receipt } from './db';
import { askPersistence, draftForToken, latestDraft, newDraft, receipts as storedReceipts, saveDraft } from './drafts';
import { enqueue, type FlushReport } from './outbox';

export type View = 'loading' | 'welcome' | 'slipError' | 'ballot' | 'review' | 'delivery' | 'receipt' | 'check';
/** What the status line says: the ballot's place between this phone and the server. */
export type Delivery = 'editing' | 'sending' | 'waiting' | 'submitted' | 'problem';
export type SaveState = 'saved' | 'saving' | 'failed';

export interface FormModel {
  form: BallotForm;
  /** Subjects with every question answered. */
  rated: ReadonlySignal<number>;
  /** Subjects given the top overall option, and the cap (topLimit), when the form caps it. */
  top?: { count: ReadonlySignal<number>; limit: number; label: string; labelEn: string };
}

/** One open ballot: a signal per answer, so a tap re-renders one question, not the page. */
export interface BallotModel {
  draft: Draft;
  forms: FormModel[];
  cell(formId: string, subjectId: number, questionId: string): Signal<string | undefined>;
}

const cellKey = (formId: string, subjectId: number | string, questionId: string) => `${formId}\u0000${subjectId}\u0000${questionId}`;

function createBallotModel(draft: Draft): BallotModel {
  const cells = new Map<string, Signal<string | undefined>>();
  const forms = draft.definition.forms.map((form): FormModel => {
    const rows = form.subjects.map((subject) =>
      form.questions.map((q) => {
        const cell = signal<string | undefined>(draft.answers[form.id]?.[String(subject.id)]?.[q.id]);
        cells.set(cellKey(form.id, subject.id, q.id), cell);
        return { q, cell };
      }),
    );
    const model: FormModel = { form, rated: computed(() => rows.filter((row) => row.every(({ cell }) => cell.value !== undefined)).length) };
    const limit = topLimit(form);
    if (limit !== undefined && form.kind !== 'political') {
      const topValue = TOP_OPTION[form.kind];
      const overall = rows.map((row) => row.find(({ q }) => q.id === 'overall')?.cell).filter((c) => c !== undefined);
      const option = form.questions.find((q) => q.id === 'overall')?.options.find((o) => o.value === topValue);
      model.top = { count: computed(() => overall.filter((c) => c.value === topValue).length), limit, label: option?.label ?? topValue, labelEn: option?.labelEn ?? topValue };
    }
    return model;
  });
  return {
    draft,
    forms,
    cell: (formId, subjectId, questionId) => {
      const cell = cells.get(cellKey(formId, subjectId, questionId));
      if (!cell) throw new Error(`no such question: ${formId}/${subjectId}/${questionId}`);
      return cell;
    },
  };
}

function storedLang(): Lang {
  try {
    return localStorage.getItem('ceping-lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/**
 * All client state of the voter page, created once and passed down through context. `shared`:
 * a device many voters use in turn (the venue tablet, `/vote?kiosk`): it never shows receipts
 * kept from earlier ballots, only the one it just received.
 */
export function createAppState(options: { shared?: boolean } = {}) {
  const shared = options.shared === true;
  const lang = signal<Lang>(storedLang());
  const view = signal<View>('loading');
  const ballot = signal<BallotModel | null>(null);
  const formIndex = signal(0);
  const save = signal<SaveState>('saved');
  const delivery = signal<Delivery>('editing');
  /** Why a slip could not be opened (an API code, or 'offline'). */
  const slipProblem = signal<string | null>(null);
  /** The server's final refusal of the current ballot. */
  const problem = signal<Problem | null>(null);
  /** Why delivery waits, when the server said (e.g. storage_full); null: the network. */
  const waitReason = signal<string | null>(null);
  const receipts = signal<Receipt[]>([]);
  const receipt = signal<Receipt | null>(null);
  /** Set by the service-worker bridge when a new version waits: calling it updates. */
  const update = signal<(() => void) | null>(null);
  /** The latest outbox flush (the page's or the worker's): how many ballots still wait for the network. */
  const lastFlush = signal<FlushReport | null>(null);
  let pendingToken: string | null = null;
  let flushNow: () => void = () => {};

  // Saves coalesce: at most one write in flight and one queued, each writing the latest answers.
  let saveQueued = false;
  let saving: Promise<void> = Promise.resolve();
  function scheduleSave(): Promise<void> {
    save.value = 'saving';
    if (saveQueued) return saving;
    saveQueued = true;
    saving = saving.then(async () => {
      saveQueued = false;
      const current = ballot.peek()?.draft;
      if (!current) return;
      try {
        await saveDraft(current);
        if (!saveQueued) save.value = 'saved';
      } catch {
        save.value = 'failed';
      }
    });
    return saving;
  }

  function show(draft: Draft): void {
    batch(() => {
      ballot.value = createBallotModel(draft);
      problem.value = draft.problem ?? null;
      slipProblem.value = null;
      save.value = 'saved';
      if (draft.status === 'editing') {
        delivery.value = 'editing';
        view.value = 'ballot';
      } else {
        delivery.value = draft.status === 'problem' ? 'problem' : 'sending';
        view.value = 'delivery';
      }
    });
  }

  async function showReceipts(latest: Receipt | null): Promise<void> {
    const all = shared ? [] : await storedReceipts();
    batch(() => {
      receipts.value = all;
      receipt.value = latest ?? all[all.length - 1] ?? null;
      ballot.value = null;
      delivery.value = receipt.value ? 'submitted' : 'editing';
      view.value = receipt.value ? 'receipt' : 'welcome';
    });
  }

  const state = {
    lang,
    view,
    ballot,
    formIndex,
    save,
    delivery,
    slipProblem,
    problem,
    waitReason,
    receipts,
    receipt,
    update,
    lastFlush,

    setLang(next: Lang): void {
      lang.value = next;
      document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
      try {
        localStorage.setItem('ceping-lang', next);
      } catch {
        // private mode: the choice lasts for this page only
      }
    },

    /** Opens a slip: this phone's draft of it if there is one (works offline), else the server's ballot. */
    async openSlip(token: string): Promise<void> {
      pendingToken = token;
      view.value = 'loading';
      const existing = await draftForToken(token);
      if (existing) return show(existing);
      const outcome = await fetchBallot(token);
      if (outcome.kind !== 'ok') {
        // A malformed token (400 from the schema) is, for the voter, a slip we do not know.
        slipProblem.value = outcome.kind === 'retry' ? 'offline' : outcome.problem.code === 'invalid_request' ? 'unknown_token' : outcome.problem.code;
        view.value = 'slipError';
        return;
      }
      const draft = newDraft(token, outcome.value);
      await saveDraft(draft);
      askPersistence();
      pendingToken = null;
      formIndex.value = 0;
      show(draft);
    },

    /** Drops the ballot, receipt and slip from memory and shows the start screen (the shared device's next voter). */
    forget(): void {
      pendingToken = null;
      batch(() => {
        ballot.value = null;
        receipt.value = null;
        receipts.value = [];
        problem.value = null;
        slipProblem.value = null;
        waitReason.value = null;
        formIndex.value = 0;
        save.value = 'saved';
        delivery.value = 'editing';
        view.value = 'welcome';
      });
    },

    async retrySlip(): Promise<void> {
      if (pendingToken) await state.openSlip(pendingToken);
    },

    /** `/vote` without a slip: the latest draft on this phone, else the receipts, else the welcome. */
    async resume(): Promise<void> {
      const draft = await latestDraft();
      if (draft) return show(draft);
      await showReceipts(null);
    },

    setAnswer(formId: string, subjectId: number, questionId: string, value: string): void {
      const model = ballot.peek();
      if (!model) return;
      model.cell(formId, subjectId, questionId).value = value;
      const answers = model.draft.answers;
      const subjects = (answers[formId] ??= {});
      (subjects[String(subjectId)] ??= {})[questionId] = value;
      void scheduleSave();
    },

    /** Problems the server would refuse the ballot for (checked on the phone with the same rules). */
    problems(): AnswerProblem[] {
      const model = ballot.value;
      if (!model) return [];
      return checkAnswers(model.draft.definition.forms, model.draft.answers);
    },

    /** Queues the ballot in the outbox (strict durability) and starts delivering it. */
    async submit(): Promise<boolean> {
      const model = ballot.peek();
      if (!model || state.problems().length > 0) return false;
      const { token, submissionId, answers } = model.draft;
      // The contract's own check, before the ballot enters the outbox: a ballot the server would refuse as malformed stays a draft.
      if (!isSubmission({ token, submissionId, answers } satisfies Submission)) {
        batch(() => {
          problem.value = { code: 'invalid_request' };
          delivery.value = 'problem';
          view.value = 'delivery';
        });
        return false;
      }
      await scheduleSave();
      askPersistence();
      const queued = await enqueue(model.draft);
      batch(() => {
        ballot.value = { ...model, draft: queued };
        problem.value = null;
        delivery.value = 'sending';
        view.value = 'delivery';
      });
      flushNow();
      return true;
    },

    /** After a refusal: back to editing the same draft (same submission id). */
    async edit(): Promise<void> {
      const model = ballot.peek();
      if (!model) return;
      const draft: Draft = { ...model.draft, status: 'editing' };
      delete draft.problem;
      await saveDraft(draft);
      show(draft);
    },

    goToForm(index: number): void {
      batch(() => {
        formIndex.value = index;
        view.value = 'ballot';
      });
      scrollTo({ top: 0 });
    },

    toReview(): void {
      view.value = 'review';
      scrollTo({ top: 0 });
    },

    retryDelivery(): void {
      flushNow();
    },

    connectDelivery(flush: () => void): void {
      flushNow = flush;
    },

    onFlushStart(): void {
      if (ballot.peek()?.draft.status === 'queued') delivery.value = 'sending';
    },

    /** What the outbox flush (the page's or the service worker's) did to the ballot on screen. */
    async onReport(report: FlushReport): Promise<void> {
      lastFlush.value = report;
      const model = ballot.peek();
      if (!model) {
        // A shared device shows no receipt but the one of the ballot on its screen.
        if (!shared && (view.peek() === 'receipt' || view.peek() === 'welcome')) await showReceipts(receipt.peek());
        return;
      }
      if (model.draft.status !== 'queued') return;
      const outcome = report.outcomes.filter((o) => o.submissionId === model.draft.submissionId).pop();
      if (outcome?.kind === 'accepted') return showReceipts(outcome.receipt);
      if (outcome?.kind === 'refused') {
        const draft: Draft = { ...model.draft, status: 'problem', problem: outcome.problem };
        batch(() => {
          ballot.value = { ...model, draft };
          problem.value = outcome.problem;
          delivery.value = 'problem';
        });
        return;
      }
      if (outcome?.kind === 'retry') {
        batch(() => {
          waitReason.value = outcome.code ?? null;
          delivery.value = 'waiting';
        });
        return;
      }
      // Not in this flush: delivered elsewhere (the service worker) or still queued.
      const stored = await draftForToken(model.draft.token);
      if (!stored) return showReceipts(null);
      if (stored.status === 'problem') show(stored);
      else delivery.value = report.waiting > 0 ? 'waiting' : delivery.peek();
    },
  };
  return state;
}

export type AppState = ReturnType<typeof createAppState>;

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('AppContext missing');
  return state;
}
