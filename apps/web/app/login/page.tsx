import { AuthForm, SignedInRedirect } from '@chatbox/web-chat';

export const metadata = { title: 'Log in · ChatBox' };

export default function LoginPage() {
  return (
    <>
      <SignedInRedirect />
      <AuthForm mode="login" />
    </>
  );
}
