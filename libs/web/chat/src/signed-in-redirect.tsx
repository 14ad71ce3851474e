'use client';
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { api } from '@chatbox/web-data-access';

/** On /login and /register: someone whose session is still valid belongs in the chat. */
export function SignedInRedirect() {
  const router = useRouter();
  useEffect(() => {
    let current = true;
    api.me().then(
      () => current && router.replace('/chat'),
      () => undefined, // no session: the form is what they need
    );
    return () => {
      current = false;
    };
  }, [router]);
  return null;
}
