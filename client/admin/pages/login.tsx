import { useState } from 'preact/hooks';
import { api, ApiFailure, call } from '../api';
import { ErrorNote } from '../components';
import { lang, setLang, t } from '../i18n';
import { useAppState } from '../state';
import { useAction } from '../use-action';

export function LoginPage() {
  const { user } = useAppState();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(async () => {
    try {
      const r = await call(api.admin.login.$post({ json: { username, password } }));
      user.value = r.user;
    } catch (err) {
      // A throttled login says how to go on rather than the bare refusal.
      throw err instanceof ApiFailure && err.status === 429 ? new Error(t('尝试次数过多，请稍候再试。', 'Too many attempts: wait a moment and try again.')) : err;
    }
  });

  return (
    <main class="login">
      <form onSubmit={(e) => (e.preventDefault(), login.run())} class="card">
        <h1>
          民主测评 <small>{t('考核办登录', 'Staff login')}</small>
        </h1>
        <label>
          {t('用户名', 'Username')}
          <input name="username" autoComplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        </label>
        <label>
          {t('密码', 'Password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        <ErrorNote error={login.error} />
        <button type="submit" class="primary" disabled={login.busy}>
          {t('登录', 'Log in')}
        </button>
        <button type="button" class="link" onClick={() => setLang(lang.value === 'zh' ? 'en' : 'zh')}>
          {lang.value === 'zh' ? 'English' : '中文'}
        </button>
      </form>
    </main>
  );
}
