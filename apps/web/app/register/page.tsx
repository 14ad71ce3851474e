import { AuthForm } from '@chatbox/web-chat';

export const metadata = { title: 'Sign up · ChatBox' };

export default function RegisterPage() {
  return <AuthForm mode="register" />;
}
