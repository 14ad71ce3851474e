import type { TConversation } from '@chatbox/contracts';
import { Icon } from '@chatbox/web-ui';

/** # for open channels, a lock for private groups. */
export function ConversationIcon({ conv }: { conv: TConversation }) {
  const isPrivate = conv.kind === 'group' && conv.visibility === 'private';
  return (
    <span className="conversation-prefix">
      <Icon name={isPrivate ? 'lock' : 'hash'} label={isPrivate ? 'private group' : 'channel'} />
    </span>
  );
}
