/**
 * Server-internal room of the sockets opened with one session's token, so logout can close
 * exactly those. Clients never choose rooms; the gateway joins each socket to its user room
 * (contracts' userRoom) and to this one at connection.
 */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
