import { SANCTION_TYPES } from '../../../shared/grading-api';
import { SANCTION_LABELS } from '../../../shared/grading/glossary';
import type { SanctionType } from '../../../shared/grading/types';
import { say } from '../i18n';

/** One checkbox per sanction kind, in the glossary's words; `name` prefixes each box's name. */
export function SanctionChecks({ chosen, onChange, name }: { chosen: readonly SanctionType[]; onChange: (next: SanctionType[]) => void; name?: string }) {
  return (
    <>
      {SANCTION_TYPES.map((s) => (
        <label key={s} class="check">
          <input type="checkbox" name={name && `${name}.${s}`} checked={chosen.includes(s)} onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, s] : chosen.filter((x) => x !== s))} />
          {say(SANCTION_LABELS[s])}
        </label>
      ))}
    </>
  );
}
