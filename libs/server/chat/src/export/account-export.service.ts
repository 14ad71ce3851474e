import { Inject, Injectable } from '@nestjs/common';
import { EXPORT_FILES, toUser, TConversation, TExportAccount, TExportMembership } from '@chatbox/contracts';
import { AppError, userFieldsOf } from '@chatbox/server-common';
import { ConversationViewService } from '../conversations/conversation-view.service';
import { FILE_STORE, FileStore } from '@chatbox/server-storage';
import { ExportRepository } from './export.repository';

/** A file of the export: JSON text or bytes read chunk by chunk when its turn comes, or a folder (no content). */
export type ExportFile = { path: string; content?: () => AsyncIterable<string | Buffer> };

/** Messages read per query while a conversation's file is written. */
const MESSAGE_PAGE = 500;

/**
 * Everything a user may take out of ChatBox (GET /api/me/export): their account, memberships and
 * every message of their conversations, and those messages' attachments. Only the lists of
 * conversations and attachments are read up front; each conversation's messages are read page by
 * page while its file is written, and each attachment streamed from the FileStore when its turn
 * comes, so an export of any size holds one page or one chunk in memory.
 */
@Injectable()
export class AccountExportService {
  constructor(
    private readonly repo: ExportRepository,
    private readonly views: ConversationViewService,
    @Inject(FILE_STORE) private readonly store: FileStore,
  ) {}

  async files(userId: string): Promise<ExportFile[]> {
    const account = await this.repo.account(userId);
    if (!account) throw AppError.notFound('The user');
    const conversations = await this.conversationsOf(userId);
    const joinedAt = await this.repo.joinedAt(userId);
    const accountJson: TExportAccount = {
      user: toUser(userFieldsOf(account), false),
      shareReadReceipts: account.shareReadReceipts,
      createdAt: account.createdAt.toISOString(),
      exportedAt: new Date().toISOString(),
    };
    const memberships: TExportMembership[] = conversations.map((conversation) => ({
      conversation,
      joinedAt: (joinedAt.get(conversation.id) ?? new Date(0)).toISOString(),
    }));
    return [
      jsonFile(EXPORT_FILES.account, accountJson),
      jsonFile(EXPORT_FILES.memberships, { items: memberships }),
      ...conversations.map((c) => ({ path: EXPORT_FILES.conversation(c.id), content: () => this.conversationJson(userId, c) })),
      { path: EXPORT_FILES.attachments },
      ...(await this.repo.attachmentsOf(conversations.map((c) => c.id))).map((a) => ({
        path: EXPORT_FILES.attachment(a.id, a.name),
        content: () => this.bytesOf(a.storageKey),
      })),
    ];
  }

  /** An attachment's bytes, read when the zip reaches them (none when they are gone meanwhile). */
  private async *bytesOf(key: string): AsyncIterable<Buffer> {
    const file = await this.store.open(key);
    if (file) yield* file.body as AsyncIterable<Buffer>;
  }

  private async conversationsOf(userId: string): Promise<TConversation[]> {
    const all: TConversation[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.views.forUser(userId, { limit: 100, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** `{"conversation": ..., "messages": [...]}` (TExportConversation), one page of messages per chunk. */
  private async *conversationJson(userId: string, conversation: TConversation): AsyncIterable<string> {
    yield `{"conversation":${JSON.stringify(conversation)},"messages":[`;
    let after = 0;
    let separator = '';
    for (;;) {
      const page = await this.repo.messagesAfter(conversation.id, userId, after, MESSAGE_PAGE);
      if (page.length > 0) yield separator + page.map((m) => JSON.stringify(m)).join(',');
      separator = ',';
      if (page.length < MESSAGE_PAGE) break;
      after = page[page.length - 1].seq;
    }
    yield ']}';
  }
}

function jsonFile(path: string, value: unknown): ExportFile {
  return {
    path,
    content: async function* () {
      yield JSON.stringify(value, null, 2);
    },
  };
}
