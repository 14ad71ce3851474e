import type { Server } from 'socket.io';
import type { TErrorBody } from '@chatbox/contracts';
import type { InFlightWork } from '@chatbox/server-common';
import type { Metrics } from '@chatbox/server-observability';

/** The ack of an event that arrives while the api shuts down: retryable, on another api process. */
export const SHUTTING_DOWN_ACK: TErrorBody = { error: { code: 'unavailable', message: 'The server is restarting; try again in a moment.' } };

/**
 * Every socket event with an ack counts as work in flight until its ack is sent, so a shutdown
 * waits for sends being stored to be answered. Once the api stops accepting, new events are
 * answered `unavailable` at once (the client's outbox sends them again after reconnecting).
 * Each answer is counted by event and outcome, and the open sockets are read on each scrape.
 */
export function trackSocketAcks(server: Server, work: InFlightWork, metrics: Metrics): void {
  metrics.gauge('chatbox_sockets_open', 'Sockets connected to this api process', [], (set) => set({}, server.of('/').sockets.size));
  server.on('connection', (socket) =>
    socket.use((event, next) => {
      const ack: unknown = event[event.length - 1];
      if (typeof ack !== 'function') return next();
      const name = String(event[0]);
      if (!work.accepting) {
        metrics.socketEvents.inc({ event: name, outcome: 'refused' });
        return void ack(SHUTTING_DOWN_ACK);
      }
      const end = work.begin();
      event[event.length - 1] = (answer: unknown, ...rest: unknown[]) => {
        ack(answer, ...rest);
        end();
        const failed = typeof answer === 'object' && answer !== null && 'error' in answer;
        metrics.socketEvents.inc({ event: name, outcome: failed ? 'error' : 'ok' });
      };
      next();
    }),
  );
}
