import type { DriverConfig, RestartedApi } from './driver-protocol';
import type { SocketHolders } from './socket-holders';
import type { MessageRouter } from './message-router';
import type { Population } from './population';

/** What every phase gets: the configuration, the users, the message router, and the bench's SQL seeder. */
export type PhaseContext = {
  config: DriverConfig;
  pop: Population;
  router: MessageRouter;
  /** Asks the bench process to insert `count` messages straight into PostgreSQL. */
  seedHistory: (conversationId: string, senderId: string, count: number) => Promise<void>;
  log: (line: string) => void;
  /** Tells the bench a measured part starts or ends (it attaches server CPU seconds to the phase result). */
  mark: (label: string, edge: 'start' | 'end') => void;
  /** The socket holders (DriverConfig.holders > 0), started on first use; undefined without. */
  holders: () => SocketHolders | undefined;
  /** Asks the bench to stop api `index` and start a new one on its port (phases A-cold and R). */
  restartApi: (index: number) => Promise<RestartedApi>;
};

let counter = 0;
/** A clientMsgId unique within the run. */
export const nextClientMsgId = (tag: string): string => `${tag}-${(++counter).toString(36)}`;
