import { useState } from 'preact/hooks';
import { api, call } from '../api';
import type { Role } from '../api-types';
import { ErrorNote, Loading, useLoad } from '../components';
import { t } from '../i18n';
import { useAction } from '../use-action';

export function UsersPage() {
  const users = useLoad(() => call(api.admin.users.$get()), []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('organiser');
  const [notice, setNotice] = useState<string | null>(null);
  const create = useAction(async () => {
    await call(api.admin.users.$post({ json: { username, password, role } }));
    setNotice(t(`已创建账号 ${username}。`, `Account ${username} created.`));
    setUsername('');
    setPassword('');
    users.reload();
  });
  // Refused (an organiser typed the URL): the refusal alone, no empty table or form.
  if (users.error) {
    return (
      <>
        <h1>{t('账号', 'Accounts')}</h1>
        <ErrorNote error={users.error} />
      </>
    );
  }
  return (
    <>
      <h1>{t('账号', 'Accounts')}</h1>
      <p class="muted">{t('组织人员只能查看被指定场次的参评情况和打印测评票；在场次页面中指定。', 'Organisers see turnout and print slips of the sittings assigned to them; assign them on the sitting page.')}</p>
      <ErrorNote error={users.error} />
      {users.data ? (
        <table class="list">
          <thead>
            <tr>
              <th>{t('用户名', 'Username')}</th>
              <th>{t('角色', 'Role')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.role === 'admin' ? t('管理员', 'admin') : t('组织人员', 'organiser')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Loading />
      )}
      <form class="card" onSubmit={(e) => (e.preventDefault(), create.run())}>
        <h3>{t('新建账号', 'New account')}</h3>
        <div class="inline-form">
          <label>
            {t('用户名', 'Username')}
            <input name="newUsername" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required minLength={2} maxLength={64} pattern="[\w.\-@]+" autoComplete="off" />
          </label>
          <label>
            {t('初始密码（至少 10 位）', 'Initial password (10+ characters)')}
            <input name="newPassword" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required minLength={10} autoComplete="new-password" />
          </label>
          <label>
            {t('角色', 'Role')}
            <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="organiser">{t('组织人员', 'organiser')}</option>
              <option value="admin">{t('管理员', 'admin')}</option>
            </select>
          </label>
          <button type="submit" class="primary">
            {t('创建', 'Create')}
          </button>
        </div>
        {notice && <p class="ok">{notice}</p>}
        <ErrorNote error={create.error} />
      </form>
    </>
  );
}
