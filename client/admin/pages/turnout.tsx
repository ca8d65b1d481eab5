import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, byId, call } from '../api';
import type { Minutes, Turnout } from '../api-types';
import { ErrorNote, useLoad } from '../components';
import { t } from '../i18n';

const pct = (used: number, issued: number) => (issued > 0 ? Math.round((used / issued) * 1000) / 10 : 0);

/** A horizontal bar drawn in SVG (no inline styles under the strict CSP). */
function Bar({ value, max }: { value: number; max: number }) {
  const w = max > 0 ? Math.min(1, value / max) * 1000 : 0;
  return (
    <svg class="bar" viewBox="0 0 1000 40" preserveAspectRatio="none" aria-hidden="true">
      <rect class="bar-bg" x="0" y="0" width="1000" height="40" rx="6" />
      <rect class="bar-fg" x="0" y="0" width={w} height="40" rx="6" />
    </svg>
  );
}

/** Ballots per minute over the last 30 minutes (aggregate counters only). */
function MinuteChart({ minutes, now }: { minutes: Minutes['minutes']; now: number }) {
  const current = Math.floor(now / 60_000);
  const first = minutes.length > 0 ? Math.max(minutes[0]!.minute, current - 29) : current - 9;
  const span = Math.max(10, current - first + 1);
  const start = current - span + 1;
  const byMinute = new Map(minutes.map((m) => [m.minute, m.ballots]));
  const values = Array.from({ length: span }, (_, i) => byMinute.get(start + i) ?? 0);
  const max = Math.max(1, ...values);
  const W = 1200;
  const H = 300;
  const pad = { left: 10, right: 10, top: 40, bottom: 50 };
  const bw = (W - pad.left - pad.right) / span;
  const label = (m: number) => new Date(m * 60_000).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('每分钟投票数', 'Ballots per minute')} data-testid="minute-chart">
      <line class="axis" x1={pad.left} x2={W - pad.right} y1={H - pad.bottom} y2={H - pad.bottom} />
      {values.map((v, i) => {
        const h = (v / max) * (H - pad.top - pad.bottom);
        const x = pad.left + i * bw;
        return (
          <g key={i}>
            <rect class={start + i === current ? 'col now' : 'col'} x={x + bw * 0.12} y={H - pad.bottom - h} width={bw * 0.76} height={h} />
            {v > 0 && (
              <text class="col-label" x={x + bw / 2} y={H - pad.bottom - h - 8} text-anchor="middle">
                {v}
              </text>
            )}
            {(i % Math.ceil(span / 10) === 0 || i === span - 1) && (
              <text class="tick" x={x + bw / 2} y={H - pad.bottom + 32} text-anchor="middle">
                {label(start + i)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function TurnoutPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const sitting = useLoad(() => call(api.admin.sittings[':id'].$get(byId(id))), [id]);
  const [turnout, setTurnout] = useState<Turnout | null>(null);
  const [minutes, setMinutes] = useState<Minutes>({ minutes: [], dryRun: [] });
  const [live, setLive] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const minutesTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const loadMinutes = () => call(api.admin.sittings[':id'].turnout.minutes.$get(byId(id))).then(setMinutes, () => undefined);
    // Per-minute counts follow each event, at most every 2 s (the headline figures are immediate).
    const scheduleMinutes = () => {
      if (minutesTimer.current !== undefined) return;
      minutesTimer.current = window.setTimeout(() => {
        minutesTimer.current = undefined;
        void loadMinutes();
      }, 300);
    };
    void loadMinutes();
    const source = new EventSource(api.admin.sittings[':id'].turnout.stream.$url(byId(id)).pathname);
    source.addEventListener('open', () => setLive(true));
    source.addEventListener('error', () => setLive(false));
    source.addEventListener('turnout', (e) => {
      setLive(true);
      setError(null);
      setTurnout(JSON.parse((e as MessageEvent<string>).data) as Turnout);
      scheduleMinutes();
    });
    const clock = window.setInterval(() => setNow(Date.now()), 5000);
    return () => {
      source.close();
      window.clearInterval(clock);
      window.clearTimeout(minutesTimer.current);
    };
  }, [id]);

  useEffect(() => {
    if (sitting.error) setError(sitting.error);
  }, [sitting.error]);

  // Refused or unknown: say so plainly, with no title or live indicator waiting for a stream that will never come.
  if (sitting.error) {
    return (
      <div class="projector" data-testid="turnout">
        <header>
          <a href="/admin" class="back">
            ‹ {t('返回', 'Back')}
          </a>
        </header>
        <ErrorNote error={sitting.error} />
      </div>
    );
  }

  const s = sitting.data;
  const tu = turnout;
  const maxIssued = Math.max(1, ...(tu?.byGroup.map((g) => g.issued) ?? [1]));
  return (
    <div class="projector" data-testid="turnout">
      <header>
        <a href={`/admin/sittings/${id}`} class="back">
          ‹ {t('返回', 'Back')}
        </a>
        <h1>{s?.name ?? '…'}</h1>
        <span class={`live ${live ? 'on' : 'off'}`} data-testid="live">
          {live ? t('● 实时', '● Live') : t('○ 连接中…', '○ Connecting…')}
        </span>
      </header>
      <ErrorNote error={error} />
      {tu && (
        <>
          <div class="headline">
            <div>
              <p class="label">{t('已投票 / 发出', 'Voted / issued')}</p>
              <p class="figure" data-testid="used-issued">
                <span data-testid="used">{tu.used}</span>
                <span class="of"> / {tu.issued}</span>
              </p>
            </div>
            <div>
              <p class="label">{t('参评率', 'Turnout')}</p>
              <p class="figure">{pct(tu.used, tu.issued)}%</p>
            </div>
          </div>
          <ul class="groups">
            {tu.byGroup.map((g) => (
              <li key={g.name}>
                <span class="name">{g.name}</span>
                <Bar value={g.used} max={maxIssued} />
                <span class="count" data-testid={`group-${g.name}`}>
                  {g.used} / {g.issued}
                </span>
              </li>
            ))}
          </ul>
          <h2>{t('每分钟投票数', 'Ballots per minute')}</h2>
          <MinuteChart minutes={minutes.minutes} now={now} />
          {tu.dryRun.issued > 0 && (
            <p class="dry-note" data-testid="dry-run-live">
              <strong>{t('演练票（不计入）', 'Dry run (not counted)')}</strong> {tu.dryRun.used} / {tu.dryRun.issued}
            </p>
          )}
        </>
      )}
    </div>
  );
}
