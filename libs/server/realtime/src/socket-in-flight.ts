import type { Server } from 'socket.io';
import type { TErrorBody } from '@chatbox/contracts';
import type { InFlightWork } from '@chatbox/server-common';

/** The ack of an event that arrives while the api shuts down: retryable, on another api process. */
export const SHUTTING_DOWN_ACK: TErrorBody = { error: { code: 'unavailable', message: 'The server is restarting; try again in a moment.' } };

/**
 * Every socket event with an ack counts as work in flight until its ack is sent, so a shutdown
 * waits for sends being stored to be answered. Once the api stops accepting, new events are
 * answered `unavailable` at once (the client's outbox sends them again after reconnecting).
 */
export function trackSocketAcks(server: Server, work: InFlightWork): void {
  server.on('connection', (socket) =>
    socket.use((event, next) => {
      const ack: unknown = event[event.length - 1];
      if (typeof ack !== 'function') return next();
      if (!work.accepting) return void ack(SHUTTING_DOWN_ACK);
      const end = work.begin();
      event[event.length - 1] = (...args: unknown[]) => {
        ack(...args);
        end();
      };
      next();
    }),
  );
}
