import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { messageBody } from '../driver/bench-user';
import { DeliveryTracker, type DeliverySummary } from '../driver/delivery-tracker';
import type { MessageRouter } from '../driver/message-router';
import type { Population } from '../driver/population';

/** Phase A's message size (bench-options.ts: bodyBytes). */
const BODY_BYTES = 100;
/** How long deliveries may take after the last send before they count as lost (phase A: settleMs). */
const SETTLE_MS = 10_000;
/** And this much more when some are still missing then (phase A's second chance). */
const LATE_SETTLE_MS = 30_000;

/** A way's deliveries, and the first few reasons its failed sends gave. */
export type WaySummary = DeliverySummary & { failures: string[] };
export type SendsByWay = { socket: WaySummary; rest: WaySummary };

let counter = 0;

/**
 * Phase A's group traffic at a fixed total rate for `seconds`, open loop (the schedule never
 * waits for answers): users take turns sending to their group of 10, every other send as socket
 * `message:send` with acknowledgement and the rest as REST `POST .../messages`. Each way is
 * measured as phase A measures a step: from the send call to each other member's socket receiving
 * the message (p50/p99/max), the ack (socket) or answer (REST), lost and failed sends.
 */
export async function sendMessagesFor(
  pop: Population,
  router: MessageRouter,
  rate: number,
  seconds: number,
  tag: string,
  /** Runs when the last message is sent, before waiting for the deliveries. */
  afterLastSend: () => Promise<void> = async () => undefined,
): Promise<SendsByWay> {
  const senders = pop.connected().filter((u) => u.groupId);
  const socket = new DeliveryTracker();
  const rest = new DeliveryTracker();
  const unlisten = router.listen({ received: (recipientId, m) => socket.received(recipientId, m) || rest.received(recipientId, m) });
  const body = messageBody(BODY_BYTES, tag);
  const total = Math.round(rate * seconds);
  let issued = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      for (; issued < due; issued++) {
        const sender = senders[issued % senders.length]!;
        const id = `${tag}-${(++counter).toString(36)}`;
        const peers = pop.groupPeers(sender).map((u) => u.id);
        if (issued % 2 === 0) {
          socket.expect(id, sender.id, peers);
          sender.send(sender.groupId, id, body).then(
            (m) => socket.acked(id, m),
            (err: Error) => socket.failed(id, err.message),
          );
        } else {
          rest.expect(id, sender.id, peers);
          pop
            .client(sender)
            .post<TMessage>(`/conversations/${sender.groupId}/messages`, { clientMsgId: id, body }, sender.token)
            .then(
              (res) => (res.status === 201 ? rest.acked(id, res.body) : rest.failed(id, `HTTP ${res.status}`)),
              (err: Error) => rest.failed(id, err.message),
            );
        }
      }
      if (issued >= total) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  await afterLastSend();
  await Promise.all([socket.settle(SETTLE_MS), rest.settle(SETTLE_MS)]);
  // late is not lost: an overloaded window's stragglers get more time, as in phase A
  const outstanding = (t: DeliveryTracker) => t.summary().lost + t.summary().unanswered > 0;
  if (outstanding(socket) || outstanding(rest)) await Promise.all([socket.settle(LATE_SETTLE_MS), rest.settle(LATE_SETTLE_MS)]);
  unlisten();
  return { socket: { ...socket.summary(), failures: socket.failures }, rest: { ...rest.summary(), failures: rest.failures } };
}
