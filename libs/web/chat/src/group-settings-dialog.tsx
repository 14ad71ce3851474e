'use client';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { LIMITS, type TConversation, type TMember, type TUser } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Avatar, Dialog, PresenceDot } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { UserPicker } from './user-picker';

/** Members with role and presence; the owner adds and removes people; anyone leaves. */
export function GroupSettingsDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const store = useStore();
  const me = useChat((s) => s.me);
  const conv = useChat((s) => s.conversations.find((c) => c.id === conversationId));
  const presence = useChat((s) => s.presence);
  const [members, setMembers] = useState<TMember[] | null>(null);
  const [adding, setAdding] = useState<TUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** the removal (a member's id, or "leave") waiting for the user's confirmation */
  const [confirming, setConfirming] = useState<string | null>(null);
  const isOwner = conv?.role === 'owner';
  /** an ephemeral room vanishes with its last member: the confirmation says so */
  const vanishes = conv?.ephemeral === true && conv.memberCount === 1;

  const reload = useCallback(() => {
    api.members(conversationId).then(setMembers, (err: unknown) => setError(err instanceof Error ? err.message : 'Could not load members'));
  }, [conversationId]);
  useEffect(reload, [reload, conv?.memberCount]);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work');
    }
  };
  const add = () =>
    act(async () => {
      await api.addMembers(conversationId, adding.map((u) => u.id));
      setAdding([]);
      reload();
    });
  const remove = (userId: string) =>
    act(async () => {
      await api.removeMember(conversationId, userId);
      setConfirming(null);
      reload();
    });
  const leave = () =>
    act(async () => {
      await store.leaveGroup(conversationId);
      onClose();
    });

  if (!conv) return null;
  return (
    <Dialog
      title={
        <>
          <bdi>{conv.name}</bdi> settings
        </>
      }
      label={`${conv.name} settings`}
      onClose={onClose}
      wide
    >
      <p className="muted">
        {conv.visibility === 'public' ? 'Public group: anyone can find and join it.' : 'Private group: only people the owner adds can see it.'} You are{' '}
        {isOwner ? 'the owner' : 'a member'}.
      </p>
      <h3>Members{members ? ` · ${members.length}` : ''}</h3>
      <ul className="member-list" aria-label="Members">
        {members?.map((m) => (
          <li key={m.user.id} className="result" data-member={m.user.username}>
            <Avatar id={m.user.id} name={m.user.displayName} size={28} />
            <span className="result-name">
              <PresenceDot online={presence[m.user.id] ?? m.user.online} /> <bdi>{m.user.displayName}</bdi> <span className="muted">@{m.user.username}</span>
              {m.user.id === me.id && <span className="muted"> (you)</span>}
            </span>
            <span className={`role-badge ${m.role}`}>{m.role}</span>
            {isOwner && m.user.id !== me.id && confirming !== m.user.id && (
              <button type="button" className="danger small" aria-label={`Remove ${m.user.username}`} onClick={() => setConfirming(m.user.id)}>
                Remove
              </button>
            )}
            {confirming === m.user.id && (
              <span className="confirm" role="group" aria-label={`Remove ${m.user.displayName}?`}>
                Remove {m.user.displayName}?
                <button type="button" className="danger small" onClick={() => void remove(m.user.id)}>
                  Yes, remove
                </button>
                <button type="button" className="secondary small" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {isOwner && (
        <div className="add-members">
          <UserPicker selected={adding} onChange={setAdding} exclude={members?.map((m) => m.user.id) ?? []} />
          <button type="button" className="primary" disabled={adding.length === 0} onClick={() => void add()}>
            Add {adding.length > 0 ? adding.length : ''} to group
          </button>
        </div>
      )}
      {/* after the members: the dialog's first field stays "Add people" */}
      {isOwner ? (
        <AboutForm conv={conv} onSaved={(saved) => store.upsertConversation(saved)} />
      ) : (
        <>
          {conv.description && <p className="group-about">{conv.description}</p>}
          {conv.anonymousQuestions && <p className="muted">Anonymous questions are on: members may ask without their name.</p>}
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {confirming === 'leave' ? (
          <span className="confirm" role="group" aria-label="Leave the group?">
            {vanishes ? (
              <>You are the last member: leaving deletes {conv.name} and all its messages for good.</>
            ) : (
              <>Leave {conv.name}? You will no longer see its messages.</>
            )}
            <button type="button" className="danger" onClick={() => void leave()}>
              {vanishes ? 'Yes, leave and delete' : 'Yes, leave'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming('leave')}>
            Leave group
          </button>
        )}
      </div>
    </Dialog>
  );
}

/** The owner's settings of the group (PATCH /api/groups/:id): its description and anonymous questions. */
function AboutForm({ conv, onSaved }: { conv: TConversation; onSaved: (conv: TConversation) => void }) {
  const [description, setDescription] = useState(conv.description);
  const [anonymous, setAnonymous] = useState(conv.anonymousQuestions);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const changed = description.trim() !== conv.description || anonymous !== conv.anonymousQuestions;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    try {
      onSaved(await api.updateGroup(conv.id, { description, anonymousQuestions: anonymous }));
      setStatus({ error: false, text: 'Saved.' });
    } catch (err) {
      setStatus({ error: true, text: err instanceof Error ? err.message : 'Could not save' });
    }
  };
  return (
    <form className="group-settings-form" onSubmit={(e) => void save(e)} aria-label="About this group">
      <label>
        Description
        <textarea value={description} maxLength={LIMITS.groupDescriptionMax} rows={2} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label className="anonymous-toggle">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} /> Allow anonymous questions (nobody, you included, sees who asked)
      </label>
      <div>
        <button type="submit" className="primary" disabled={!changed}>
          Save settings
        </button>{' '}
        {status && (
          <span role={status.error ? 'alert' : 'status'} className={status.error ? 'form-error' : 'muted'}>
            {status.text}
          </span>
        )}
      </div>
    </form>
  );
}
