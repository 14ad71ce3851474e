import { PasswordChangeForm } from '@chatbox/web-chat';

export const metadata = { title: 'New password · ChatBox' };

export default function PasswordPage() {
  return <PasswordChangeForm />;
}
