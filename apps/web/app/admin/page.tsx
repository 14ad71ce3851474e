import { AdminApp } from '@chatbox/web-chat';

export const metadata = { title: 'Administration · ChatBox' };

export default function AdminPage() {
  return <AdminApp />;
}
