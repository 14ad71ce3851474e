import { AuthForm, SignedInRedirect } from '@chatbox/web-chat';

export const metadata = { title: 'Sign up · ChatBox' };

export default function RegisterPage() {
  return (
    <>
      <SignedInRedirect />
      <AuthForm mode="register" />
    </>
  );
}
