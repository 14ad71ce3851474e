import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TAuthResponse } from '@chatbox/contracts';
import type { Person } from './chat-ui.page';

export const person = (first: string, last: string): Person => ({
  username: `${first.toLowerCase()}_${randomBytes(3).toString('hex')}`,
  displayName: `${first} ${last}`,
  password: 'correct horse battery',
});

/** Logs in over REST with a bearer token, as API clients and other devices do. */
export async function logIn(webUrl: string, p: Person): Promise<string> {
  const login = await fetch(`${webUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: p.username, password: p.password }),
  });
  assert.equal(login.status, 200);
  return ((await login.json()) as TAuthResponse).accessToken;
}

export type ApiSession = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** A REST client for seeding, logged in as that person. */
export async function apiSession(webUrl: string, p: Person, accessToken?: string): Promise<ApiSession> {
  const token = accessToken ?? (await logIn(webUrl, p));
  return async (method, path, body) => {
    const res = await fetch(`${webUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path} answered ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
}

/** Registers over REST (someone who is already there) and answers their REST session. */
export async function registered(webUrl: string, p: Person): Promise<{ id: string; api: ApiSession }> {
  const res = await fetch(`${webUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: p.username, password: p.password, displayName: p.displayName }),
  });
  assert.equal(res.status, 201);
  const body = (await res.json()) as TAuthResponse;
  return { id: body.user.id, api: await apiSession(webUrl, p, body.accessToken) };
}
