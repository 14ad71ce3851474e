import { ChatApp } from '@chatbox/web-chat';

export const metadata = { title: 'ChatBox' };

export default function ChatPage() {
  return <ChatApp />;
}
