'use client';
import { useState } from 'react';
import { LIMITS, TUser, TVisibility } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Dialog } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { useFormSubmit } from './use-form-submit';
import { UserPicker } from './user-picker';

export function CreateGroupDialog({ onClose }: { onClose: () => void }) {
  const store = useStore();
  const me = useChat((s) => s.me);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<TVisibility>('private');
  const [members, setMembers] = useState<TUser[]>([]);
  const [ephemeral, setEphemeral] = useState(false);

  const { submit, fields, error, busy, clearField } = useFormSubmit(async () => {
    const conv = await api.createGroup({ name, visibility, memberIds: members.map((u) => u.id), ephemeral });
    store.upsertConversation(conv);
    store.select(conv.id);
    onClose();
  }, 'Could not create the group');

  return (
    <Dialog title="Create a group" onClose={onClose} wide>
      <form onSubmit={submit} className="form" noValidate>
        {/* the error is outside the label, so the field is still called "Name" */}
        <div className="field">
          <label htmlFor="group-name">Name</label>
          <input
            id="group-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              clearField('name');
            }}
            maxLength={LIMITS.groupNameMax}
            required
            aria-invalid={!!fields.name}
            aria-describedby="group-name-error"
          />
          {fields.name && (
            <span id="group-name-error" className="field-error">
              Name {fields.name}
            </span>
          )}
        </div>
        <fieldset className="field radio-group">
          <legend>Who can join</legend>
          <label>
            <input type="radio" name="visibility" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Private: only people added by the owner
          </label>
          <label>
            <input type="radio" name="visibility" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public: anyone can find and join it
          </label>
        </fieldset>
        <div className="field">
          <label className="check-field">
            <input type="checkbox" checked={ephemeral} aria-describedby="group-ephemeral-help" onChange={(e) => setEphemeral(e.target.checked)} />{' '}
            Vanishing room
          </label>
          <p id="group-ephemeral-help" className="field-hint">
            Messages are kept in memory only (at most a day) and vanish for good when everyone has left.
          </p>
        </div>
        <UserPicker selected={members} onChange={setMembers} exclude={[me.id]} />
        {fields.memberIds && <p className="field-error">Members {fields.memberIds}</p>}
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create group
          </button>
        </div>
      </form>
    </Dialog>
  );
}
