import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  TReadAck,
  TSendAck,
  TTypingAck,
  ZSocketTypingPayload,
  ZSocketReadPayload,
  ZSocketSendPayload,
} from '@chatbox/contracts';
import { TokenService } from '@chatbox/server-accounts';
import { MessageService, TypingService } from '@chatbox/server-chat';
import { parseOrThrow } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RateLimiter, userSubject } from '@chatbox/server-ratelimit';
import { PresenceStore } from '@chatbox/server-presence';
import { closeAtExpiry, SocketData, socketAuthMiddleware } from './socket-auth';
import { toErrorAck } from './socket-ack';
import { attachSocketGuards, socketOriginMiddleware } from './socket-guards';
import { PresenceAnnouncer, presenceWindowMs } from './presence-announcer';
import { handshakeFeatures, roomsOf } from './socket-rooms';
import { ChatServer, deliverPresenceHere, listenForDeliveries } from './local-delivery';
import { SocketLimits } from './socket-limits';

const HEARTBEAT_MS = 5_000;

/** Where Socket.IO answers (the edge proxy routes it to the api; deploy/Caddyfile). */
export const SOCKET_IO_PATH = '/socket.io';

/**
 * The api's Socket.IO endpoint: authenticated handshake, one private room per user, presence,
 * and the client's `message:send` / `read` commands (answered through the acknowledgement).
 */
@WebSocketGateway({ path: SOCKET_IO_PATH })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(ChatGateway.name);
  private timer?: NodeJS.Timeout;
  private presenceOut?: PresenceAnnouncer;
  @WebSocketServer() private server!: ChatServer;

  constructor(
    private readonly tokens: TokenService,
    private readonly messages: MessageService,
    private readonly typingOf: TypingService,
    private readonly presence: PresenceStore,
    private readonly limiter: RateLimiter,
    private readonly socketLimits: SocketLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: ChatServer): void {
    listenForDeliveries(server);
    // every connected socket on every api process hears it (the Redis adapter spans processes)
    // this process's sockets stand for the audience (each process tells its own)
    this.presenceOut = new PresenceAnnouncer((userIds) => this.broadcastPresence(userIds), () => presenceWindowMs(server.engine.clientsCount));
    server.use(socketOriginMiddleware(this.config.webOrigin));
    server.use(socketAuthMiddleware(this.tokens));
    server.use(this.socketLimits.capSockets);
    // A dead process's users are not shown offline at once: their clients are reconnecting to
    // another process; whoever is not back after the grace is (PresenceStore.scheduleSettle).
    const beat = () => {
      this.presence
        .heartbeat()
        .then(() => this.presence.reapDeadProcesses())
        .then((orphaned) => this.presence.scheduleSettle(orphaned, this.config.presence.restartGraceMs))
        .then(() => this.presence.settleDue(this.config.presence.restartGraceMs))
        .then((changed) => changed.forEach((userId) => this.presenceOut?.announce(userId)))
        .catch((err: unknown) => this.logger.warn(`presence heartbeat failed: ${String(err)}`));
    };
    beat();
    this.timer = setInterval(beat, HEARTBEAT_MS);
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { principal, expiresAt } = socket.data as SocketData;
    if (!principal) return void socket.disconnect(true);
    closeAtExpiry(socket, expiresAt);
    attachSocketGuards(socket, this.config.rateLimits.socket_events);
    // The session room lets logout close exactly the sockets opened with that login's token; the
    // capability rooms decide how batches reach this socket (see local-delivery.ts).
    await socket.join(roomsOf(principal.userId, principal.sessionId, handshakeFeatures(socket.handshake.auth)));
    // a disconnect that comes while this is counted must wait for it, or the count goes wrong
    (socket.data as SocketData).counted = this.presence.socketConnected(principal.userId).then(
      (cameOnline) => {
        if (cameOnline) this.presenceOut?.announce(principal.userId);
        return true;
      },
      (err: unknown) => {
        this.logger.warn(`presence of ${principal.userId} not counted: ${String(err)}`);
        return false;
      },
    );
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    const { principal, counted } = socket.data as Partial<SocketData>;
    if (!principal || !(await counted)) return;
    try {
      if (await this.presence.socketDisconnected(principal.userId)) this.presenceOut?.announce(principal.userId);
    } catch (err) {
      this.logger.warn(`presence of ${principal.userId} not released: ${String(err)}`);
    }
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<TSendAck> {
    try {
      await this.limiter.consume('send_user', userSubject(this.userId(socket))); // shared with REST sends
      const { conversationId, ...body } = parseOrThrow(ZSocketSendPayload, payload);
      const { message } = await this.messages.send(this.userId(socket), conversationId, body);
      return { message };
    } catch (err) {
      return toErrorAck(err, this.logger, 'message:send');
    }
  }

  @SubscribeMessage('read')
  async read(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<TReadAck> {
    try {
      await this.limiter.consume('read_user', userSubject(this.userId(socket))); // shared with REST reads
      const { conversationId, seq } = parseOrThrow(ZSocketReadPayload, payload);
      await this.messages.markRead(this.userId(socket), conversationId, seq);
      return { ok: true };
    } catch (err) {
      return toErrorAck(err, this.logger, 'read');
    }
  }

  /** "I am typing": relayed to the other members, throttled, never stored (TypingService). */
  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<TTypingAck> {
    try {
      const { conversationId } = parseOrThrow(ZSocketTypingPayload, payload);
      await this.typingOf.typing(this.userId(socket), conversationId);
      return { ok: true };
    } catch (err) {
      return toErrorAck(err, this.logger, 'typing');
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    try {
      // these sockets' clients reconnect to another (or the restarted) process: nobody is told
      // anything unless they are still away after the grace (settled by whichever api runs then)
      const orphaned = await this.presence.releaseThisProcess();
      await this.presence.scheduleSettle(orphaned, this.config.presence.restartGraceMs);
    } catch (err) {
      this.logger.warn(`presence release failed: ${String(err)}`);
    }
    await this.presenceOut?.close();
  }

  /**
   * Tells every socket (every api process: the Redis adapter) the users' presence as it is shown
   * now, not as the change that triggered it saw it: a user's sockets on two api processes can
   * connect and disconnect at once, and only Redis knows the outcome. Several
   * changes go to every process as one request, framed there per socket (local-delivery.ts).
   */
  private async broadcastPresence(userIds: string[]): Promise<void> {
    try {
      const online = await this.presence.onlineAmong(userIds);
      if (userIds.length === 1) return void this.server.emit('presence', { userId: userIds[0], online: online.has(userIds[0]) });
      const changes = { online: userIds.filter((id) => online.has(id)), offline: userIds.filter((id) => !online.has(id)) };
      this.server.serverSideEmit('deliver:presence', changes);
      deliverPresenceHere(this.server, changes);
    } catch (err) {
      // clients refresh the online list on their own; a missed change is corrected there
      this.logger.warn(`presence of ${userIds.length} user(s) not announced: ${String(err)}`);
    }
  }

  private userId(socket: Socket): string {
    return (socket.data as SocketData).principal.userId;
  }

}
