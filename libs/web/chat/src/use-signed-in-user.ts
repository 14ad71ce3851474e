'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TUser } from '@chatbox/contracts';
import { api, ApiError, setPasswordChangeHandler, setUnauthorizedHandler } from '@chatbox/web-data-access';

/**
 * A signed-in page outside the chat (admin, profile): who is signed in (`me`, null while
 * loading), or why that cannot be known (`failure`); to the login page when nobody is, to
 * /password when a reset password must be changed first.
 */
export function useSignedInUser() {
  const router = useRouter();
  const [me, setMe] = useState<TUser | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => router.replace('/login?expired=1'));
    setPasswordChangeHandler(() => router.replace('/password'));
    api.me().then(setMe, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) router.replace('/login');
      else setFailure(err instanceof Error ? err.message : 'Cannot load ChatBox');
    });
  }, [router]);
  return { me, setMe, failure };
}
