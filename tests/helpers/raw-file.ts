import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import type { Answers, BallotDefinition, BallotForm } from '../../shared/forms';
import { decodeAnswers } from '../../server/services/ballot-box/stored-answers';
import { seededRandom, spearman } from './stats';

/**
 * What an insider with the database file sees: its raw bytes. These helpers find each ballot's
 * content in those bytes and rank where it lies against the order in which ballots arrived.
 */

/** The main file followed by its WAL (if any), as one buffer: every byte a copy of the files holds. */
export function rawFiles(dbFile: string): Buffer {
  const parts = [readFileSync(dbFile)];
  if (existsSync(`${dbFile}-wal`)) parts.push(readFileSync(`${dbFile}-wal`));
  return Buffer.concat(parts);
}

/** JSON with sorted keys: two answer objects are the same ballot when these strings match. */
export function canonical(answers: Answers): string {
  const sort = (v: unknown): unknown => (v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(answers));
}

/**
 * The stored text of each ballot of a sitting, in arrival order: read once through SQL, only to
 * learn which bytes to look for, and matched to the answers the test sent.
 */
export function storedTextsInArrivalOrder(dbFile: string, sittingId: number, sent: readonly Answers[]): string[] {
  const file = new Database(dbFile, { readonly: true });
  try {
    const rows = file.prepare('SELECT answers FROM ballots WHERE sitting_id = ? AND dry_run = 0').all(sittingId) as { answers: string }[];
    const { forms } = file.prepare('SELECT forms FROM sittings WHERE id = ?').get(sittingId) as { forms: string };
    const byContent = new Map(rows.map((r) => [canonical(decodeAnswers(JSON.parse(forms) as BallotForm[], r.answers)), r.answers]));
    return sent.map((answers, i) => {
      const text = byContent.get(canonical(answers));
      if (!text) throw new Error(`ballot ${i} is not stored`);
      return text;
    });
  } finally {
    file.close();
  }
}

export interface Located {
  /** Byte offset of a piece from the start of the ballot (on its b-tree cell). */
  head: number;
  /** Byte offset of a piece from the end of the ballot (on its last overflow page). */
  tail: number;
  /** How many times the tail piece occurs in the bytes (stale copies count). */
  copies: number;
}

/**
 * Random answers, with the ballot's index written into its first and last subjects so that a
 * piece of its beginning and of its end belongs to it alone.
 */
export function markedAnswers(definition: BallotDefinition, index: number): Answers {
  const random = seededRandom(index + 1);
  const digits = (offset: number) => [0, 1, 2, 3].map((d) => Math.floor(index / 4 ** d) % 4).map((d) => (d + offset) % 4);
  const answers: Answers = {};
  for (const form of definition.forms) {
    const n = form.subjects.length;
    const mark = form.kind === 'cadre' ? digits(0) : digits(1);
    answers[form.id] = Object.fromEntries(
      form.subjects.map((subject, i) => {
        const position = form.kind === 'cadre' ? i : i - (n - 4);
        const chosen = form.questions.map((q) => {
          // Never the top grade outside the marks, so the 30% cap holds.
          const options = q.role === 'overall' ? q.options.slice(1) : q.options;
          const marked = q === form.questions[0] && position >= 0 && position < 4 ? q.options[mark[position]! % q.options.length]! : options[Math.floor(random() * options.length)]!;
          return [q.id, marked.value];
        });
        return [String(subject.id), Object.fromEntries(chosen)];
      }),
    );
  }
  return answers;
}

const PIECE = 160;

/**
 * Finds a piece of the ballot's text that no other ballot shares, starting at `from` and moving
 * by `step` (a piece that straddles a page boundary is not found as is, so the next one is tried).
 */
function findPiece(bytes: Buffer, texts: readonly string[], i: number, from: number, step: number): { at: number; piece: Buffer } | null {
  const text = texts[i]!;
  for (let off = from; off >= 0 && off + PIECE <= text.length; off += step) {
    const piece = text.slice(off, off + PIECE);
    if (texts.some((other, j) => j !== i && other.includes(piece))) continue;
    const at = bytes.indexOf(piece);
    if (at >= 0) return { at, piece: Buffer.from(piece) };
  }
  return null;
}

function occurrences(bytes: Buffer, piece: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(piece); at >= 0; at = bytes.indexOf(piece, at + 1)) n++;
  return n;
}

/** Where each ballot's content lies in the raw bytes (stored texts are ASCII: string and byte offsets agree). */
export function locate(bytes: Buffer, texts: readonly string[]): Located[] {
  return texts.map((text, i) => {
    const head = findPiece(bytes, texts, i, 0, 8);
    const tail = findPiece(bytes, texts, i, text.length - PIECE, -8);
    if (!head || !tail) throw new Error(`ballot ${i} not found in the file`);
    return { head: head.at, tail: tail.at, copies: occurrences(bytes, tail.piece) };
  });
}

/** Spearman's ρ between arrival (index) and byte offset, for the head and the tail pieces. */
export function arrivalRho(located: readonly Located[]): { head: number; tail: number } {
  const arrival = located.map((_, i) => i);
  return { head: spearman(arrival, located.map((l) => l.head)), tail: spearman(arrival, located.map((l) => l.tail)) };
}
