import { Injectable } from '@nestjs/common';
import { EphemeralRoomRepository } from './ephemeral-room.repository';

/** Conversations whose answer is kept; the least recently asked go first. */
const MAX_CONVERSATIONS = 10_000;

/**
 * Whether a conversation's messages live in Redis (an ephemeral group), asked before a send or a
 * read picks its store. A conversation is ephemeral from creation to the end, so an answer never
 * goes stale: one query per conversation and process, then a Map lookup on the send path.
 */
@Injectable()
export class EphemeralRoomDirectory {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly repo: EphemeralRoomRepository) {}

  async isEphemeral(conversationId: string): Promise<boolean> {
    const cached = this.known.get(conversationId);
    if (cached !== undefined) return cached;
    const found = await this.repo.isEphemeral(conversationId);
    // an unknown id is not remembered: the ordinary path answers it (404)
    if (found === null) return false;
    this.known.set(conversationId, found);
    if (this.known.size > MAX_CONVERSATIONS) this.known.delete(this.known.keys().next().value as string);
    return found;
  }
}
