import { hc } from 'hono/client';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { GRADE_LABELS } from '../../shared/grading/glossary';
import type { Grade } from '../../shared/grading/types';
import { gradeColour } from '../../shared/rating-scale';
import { ApiFailure, unwrap } from '../shared/unwrap';
import type { ApiType } from '../shared/api-type';
import './results.css';

/**
 * The public results of a published assessment (GET /api/public/assessments/:id/results):
 * counts per grade per category, 优秀 share and the change on last year. Nothing per subject.
 * Chinese first, English beside it; readable on a 360 px phone.
 */

const api = hc<ApiType>('/api');
const resultsOf = (id: string, lang: 'zh' | 'en') => unwrap(api.public.assessments[':id'].results.$get({ param: { id } }, { headers: { 'Accept-Language': lang === 'zh' ? 'zh-CN' : 'en' } }), lang);
type PublicResults = Awaited<ReturnType<typeof resultsOf>>;
type PublicGroup = PublicResults['groups'][number];

type State = { kind: 'loading' } | { kind: 'ok'; data: PublicResults } | { kind: 'error'; zh: string; en: string };

const ORDER: Grade[] = ['excellent', 'good', 'competent', 'average', 'basically_competent', 'poor', 'incompetent', 'undetermined'];
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const fmt = (n: number): string => n.toLocaleString('en-US');

async function load(): Promise<State> {
  const match = /^\/results\/([1-9][0-9]{0,9})\/?$/.exec(location.pathname);
  if (!match) return { kind: 'error', zh: '地址有误：没有指定考核。', en: 'The address names no assessment.' };
  const id = match[1]!;
  try {
    return { kind: 'ok', data: await resultsOf(id, 'zh') };
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.status === 0) return { kind: 'error', zh: '网络连接失败，请稍后重试。', en: 'Network error: try again later.' };
    // The same refusal in English, beside the Chinese.
    const en = await resultsOf(id, 'en').then(
      () => '',
      (e: unknown) => (e instanceof ApiFailure ? e.message : ''),
    );
    return { kind: 'error', zh: err.message, en };
  }
}

/**
 * A grade's share as an SVG bar in the shared colour scale (shared/rating-scale.ts): the width
 * is an attribute, not a style, so the page's CSP (style-src 'self') has nothing to refuse.
 * Decorative: the count beside it is the number.
 */
function Bar({ share, grade }: { share: number; grade: Grade }) {
  return (
    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect class="track" x={0} y={0} width={100} height={10} />
      {share > 0 && <rect x={0} y={0} width={Math.max(0.5, Math.min(100, share))} height={10} fill={gradeColour(grade)} />}
    </svg>
  );
}

function Group({ g }: { g: PublicGroup }) {
  const grades = ORDER.filter((grade) => g.counts[grade] !== undefined);
  const unit = g.id.includes('team') ? '个' : '人';
  return (
    <section class="group" data-testid={`group-${g.id}`}>
      <h2>
        {g.zh} <span class="en">{g.en}</span>
      </h2>
      <p class="total">
        共 <strong data-testid={`total-${g.id}`}>{fmt(g.total)}</strong> {unit} <span class="en">total</span>
      </p>
      <table>
        <tbody>
          {grades.map((grade) => {
            const n = g.counts[grade] ?? 0;
            return (
              <tr key={grade} class={grade === 'excellent' ? 'excellent' : ''}>
                <th scope="row">
                  {GRADE_LABELS[grade].zh} <span class="en">{GRADE_LABELS[grade].en}</span>
                </th>
                <td class="count" data-testid={`count-${g.id}-${grade}`}>
                  {fmt(n)}
                </td>
                <td class="bar-cell">
                  <Bar share={g.total === 0 ? 0 : (n / g.total) * 100} grade={grade} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="share">
        优秀率 <strong data-testid={`share-${g.id}`}>{g.excellentShare.toFixed(2)}%</strong> <span class="en">excellent share</span>
      </p>
      {g.change && (
        <p class="change">
          比 {g.change.previousYear} 年：优秀 <strong data-testid={`change-count-${g.id}`}>{signed(g.change.excellentCount)}</strong> {unit}，优秀率{' '}
          <strong data-testid={`change-share-${g.id}`}>{signed(g.change.excellentSharePoints)}</strong> 个百分点
          <br />
          <span class="en">
            against {g.change.previousYear}: {signed(g.change.excellentCount)} excellent, share {signed(g.change.excellentSharePoints)} points
          </span>
        </p>
      )}
    </section>
  );
}

function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    load().then(setState);
  }, []);
  if (state.kind === 'loading') return <p class="muted">加载中… Loading…</p>;
  if (state.kind === 'error') {
    return (
      <div class="notice" role="alert" data-testid="results-error">
        <p class="zh">{state.zh}</p>
        {state.en && state.en !== state.zh && <p class="en">{state.en}</p>}
      </div>
    );
  }
  const { assessment, policy, groups, auditHead } = state.data;
  document.title = `${assessment.name} · 考核结果`;
  return (
    <>
      <header>
        <p class="kicker">
          考核结果公布 <span class="en">Published results</span>
        </p>
        <h1 data-testid="assessment-name">{assessment.name}</h1>
        <p class="muted">
          {assessment.year} 年度 · 评定办法 {policy.id} 第 {policy.version} 版 <span class="en">policy version {policy.version}</span>
        </p>
      </header>
      <div class="groups">
        {groups.map((g) => (
          <Group key={g.id} g={g} />
        ))}
      </div>
      <p class="muted foot">
        本页只公布各类别的等次统计，不含个人名单。 <span class="en">Counts per grade per category only; no names.</span>
      </p>
      {auditHead && (
        <p class="muted audit-head" data-testid="audit-head">
          审计链头 <span class="en">audit head</span>: <code>{auditHead}</code>
        </p>
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
