import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api, ApiFailure, call, whenUnauthenticated } from './api';
import { ConfirmDialog, Loading } from './components';
import { lang, setLang, t } from './i18n';
import { AssessmentPage } from './pages/assessment';
import { AuditPage } from './pages/audit';
import { GradingPage } from './pages/grading';
import { HomePage } from './pages/home';
import { InputsPage } from './pages/inputs';
import { LoginPage } from './pages/login';
import { PaperEntryPage } from './pages/paper-entry';
import { PolicyPage } from './pages/policy';
import { ReportPage } from './pages/report';
import { ResultsPage } from './pages/results';
import { SittingPage } from './pages/sitting';
import { TurnoutPage } from './pages/turnout';
import { UsersPage } from './pages/users';
import { AppStateContext, createAppState, useAppState, type AppState } from './state';

const state: AppState = createAppState();

whenUnauthenticated(() => {
  state.user.value = null;
});

function Nav() {
  const { user } = useAppState();
  const { path } = useLocation();
  const me = user.value;
  if (!me) return null;
  const link = (href: string, label: string) => (
    <a href={href} class={path === href || (href !== '/admin' && path.startsWith(href)) ? 'active' : ''}>
      {label}
    </a>
  );
  const logout = async () => {
    await call(api.admin.logout.$post()).catch(() => undefined);
    state.user.value = null;
  };
  return (
    <header class="topbar">
      <a class="brand" href="/admin">
        民主测评 <small>{t('考核办', 'Console')}</small>
      </a>
      <nav>
        {link('/admin', me.role === 'admin' ? t('考核与场次', 'Assessments') : t('我的场次', 'My sittings'))}
        {me.role === 'admin' && link('/admin/policy', t('评定办法', 'Grading policy'))}
        {me.role === 'admin' && link('/admin/users', t('账号', 'Accounts'))}
        {me.role === 'admin' && link('/admin/audit', t('审计日志', 'Audit log'))}
      </nav>
      <div class="who">
        <button type="button" class="link" onClick={() => setLang(lang.value === 'zh' ? 'en' : 'zh')} data-testid="lang">
          {lang.value === 'zh' ? 'English' : '中文'}
        </button>
        <span>
          {me.username} · {me.role === 'admin' ? t('管理员', 'admin') : t('组织人员', 'organiser')}
        </span>
        <button type="button" class="link" onClick={logout}>
          {t('退出', 'Log out')}
        </button>
      </div>
    </header>
  );
}

/**
 * A red banner while the server cannot store (a full disk): every ballot submitted meanwhile is
 * refused with 503 and kept on its phone, which retries. Polled, so it also goes away by itself.
 */
function StorageBanner() {
  const [full, setFull] = useState(false);
  useEffect(() => {
    let live = true;
    const check = () =>
      call(api.admin.health.$get()).then(
        (r) => live && setFull(r.storageFull),
        () => {},
      );
    void check();
    const timer = setInterval(check, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!full) return null;
  return (
    <p class="storage-full" role="alert" data-testid="storage-full">
      <strong>{t('服务器存储空间已满', 'The server’s storage is full')}</strong>{' '}
      {t('选票暂时无法保存：参评人员的手机会保留选票并自动重试。请立即释放磁盘空间。', 'Ballots cannot be stored right now: voters’ phones keep them and retry. Free disk space now.')}
    </p>
  );
}

function Shell() {
  const { user } = useAppState();
  useEffect(() => {
    call(api.admin.me.$get()).then(
      (r) => (state.user.value = r.user),
      (e: unknown) => {
        if (!(e instanceof ApiFailure) || e.status === 401) state.user.value = null;
      },
    );
  }, []);
  if (user.value === undefined) return <Loading />;
  if (user.value === null) return <LoginPage />;
  return (
    <>
      <Nav />
      <StorageBanner />
      <main class="content">
        <Router>
          <Route path="/admin" component={HomePage} />
          <Route path="/admin/assessments/:id" component={AssessmentPage} />
          <Route path="/admin/assessments/:id/inputs" component={InputsPage} />
          <Route path="/admin/assessments/:id/grading" component={GradingPage} />
          <Route path="/admin/assessments/:id/report" component={ReportPage} />
          <Route path="/admin/policy" component={PolicyPage} />
          <Route path="/admin/sittings/:id" component={SittingPage} />
          <Route path="/admin/sittings/:id/turnout" component={TurnoutPage} />
          <Route path="/admin/sittings/:id/paper" component={PaperEntryPage} />
          <Route path="/admin/sittings/:id/results" component={ResultsPage} />
          <Route path="/admin/users" component={UsersPage} />
          <Route path="/admin/audit" component={AuditPage} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <section>
      <h1>{t('页面不存在', 'Page not found')}</h1>
      <p>
        <a href="/admin">{t('返回首页', 'Back to start')}</a>
      </p>
    </section>
  );
}

export function App() {
  return (
    <AppStateContext.Provider value={state}>
      <LocationProvider scope="/admin">
        <Shell />
        <ConfirmDialog />
      </LocationProvider>
    </AppStateContext.Provider>
  );
}
