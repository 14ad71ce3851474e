'use client';
import { useState } from 'react';
import { LIMITS, type TUser } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { useFormSubmit } from '../use-form-submit';

/** The name others see (PATCH /api/me `{displayName}`); the server's field error shows under it. */
export function DisplayNameForm({ me, onSaved }: { me: TUser; onSaved: (me: TUser) => void }) {
  const [name, setName] = useState(me.displayName);
  const [saved, setSaved] = useState(false);
  const { submit, fields, error, busy, settle, clearField } = useFormSubmit(async () => {
    onSaved(await api.updateMe({ displayName: name }));
    setSaved(true);
    settle();
  }, 'Could not save the name');

  return (
    <form className="form profile-section" onSubmit={submit} noValidate aria-labelledby="display-name-title">
      <h2 id="display-name-title">Display name</h2>
      <label className="field">
        <span>Display name</span>
        <input
          name="displayName"
          value={name}
          autoComplete="nickname"
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
            clearField('displayName');
          }}
          aria-invalid={!!fields['displayName']}
          aria-describedby="displayName-note"
        />
        <span id="displayName-note" className={fields['displayName'] ? 'field-error' : 'field-hint'}>
          {fields['displayName'] ? `Display name ${fields['displayName']}` : `What others see beside your messages, up to ${LIMITS.displayNameMax} characters`}
        </span>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <p className="field-hint" role="status">
          {saved ? 'Saved. Others see it from now on.' : ''}
        </p>
        <button type="submit" className="primary" disabled={busy}>
          Save name
        </button>
      </div>
    </form>
  );
}
