import { useState } from 'preact/hooks';
import { api, byId, call } from '../api';
import type { Overview } from '../api-types';
import { ErrorNote, useLoad } from '../components';
import { t } from '../i18n';
import { useAction } from '../use-action';

/** The organisers assigned to a sitting, and a choice of the others to assign. */
export function Organisers({ sittingId, assigned, onChanged }: { sittingId: number; assigned: Overview['organisers']; onChanged: () => void }) {
  const users = useLoad(() => call(api.admin.users.$get()), []);
  const [userId, setUserId] = useState('');
  const candidates = (users.data?.users ?? []).filter((u) => u.role === 'organiser' && !assigned.some((a) => a.id === u.id));
  const assign = useAction(async () => {
    await call(api.admin.sittings[':id'].organisers.$post({ ...byId(sittingId), json: { userId: Number(userId) } }));
    setUserId('');
    onChanged();
  });
  return (
    <div class="card">
      <h3>{t('组织人员', 'Organisers')}</h3>
      <p>{assigned.length > 0 ? assigned.map((u) => u.username).join('、') : <span class="muted">{t('尚未指定。', 'None assigned.')}</span>}</p>
      {candidates.length > 0 && (
        <div class="inline-form">
          <select value={userId} onChange={(e) => setUserId(e.currentTarget.value)} aria-label={t('组织人员', 'Organiser')}>
            <option value="">{t('选择组织人员…', 'Choose an organiser…')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
          <button type="button" class="secondary" disabled={!userId} onClick={() => assign.run()}>
            {t('指定', 'Assign')}
          </button>
        </div>
      )}
      <ErrorNote error={assign.error} />
    </div>
  );
}
