import { AuthForm } from '@chatbox/web-chat';

export const metadata = { title: 'Log in · ChatBox' };

export default function LoginPage() {
  return <AuthForm mode="login" />;
}
