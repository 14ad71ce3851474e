import { attachmentThumbnailUrl, attachmentUrl, TAttachment } from '@chatbox/contracts';

/** An attachment as a message row holds it (the jsonb column "Message"."attachments"). */
export type MessageAttachment = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  /** whether a thumbnail was made (images) */
  thumbnail: boolean;
};

export function toAttachment(a: MessageAttachment): TAttachment {
  return {
    id: a.id,
    name: a.name,
    contentType: a.contentType,
    size: Number(a.size),
    url: attachmentUrl(a.id, a.name),
    thumbnailUrl: a.thumbnail ? attachmentThumbnailUrl(a.id) : null,
    width: a.width ?? null,
    height: a.height ?? null,
  };
}
