import { createHash, createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';

/** Separates this use of the server secret from its others (signing tokens). */
const PURPOSE = 'chatbox anonymous author v1\u0000';

/**
 * The author key of a user: HMAC-SHA256(server secret, user id), never stored. An anonymous
 * message keeps only anonymous_author_hash(author key, its clientMsgId) (migration
 * 20261207030000_anonymous_questions), so the api recognises the author only when that author
 * asks (send retries, edits, deletes) and cannot list who wrote what.
 *
 * The secret is the server's JWT_SECRET, under its own purpose label: rotating it leaves earlier
 * anonymous messages without a recognisable author (they stay; owners and admins still delete
 * them, their authors no longer edit them).
 */
@Injectable()
export class AuthorKeys {
  private readonly secret: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.auth.jwtSecret;
  }

  keyOf(userId: string): string {
    return createHmac('sha256', this.secret).update(PURPOSE + userId).digest('hex');
  }

  /**
   * What PostgreSQL's anonymous_author_hash(keyOf(userId), clientMsgId) computes, for anonymous
   * messages kept elsewhere (an ephemeral room's, in Redis).
   */
  messageHash(userId: string, clientMsgId: string): string {
    return createHash('sha256').update(`${this.keyOf(userId)}:${clientMsgId}`, 'utf8').digest('hex');
  }
}
