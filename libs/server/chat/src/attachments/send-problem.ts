import { AppError } from '@chatbox/server-common';
import type { SendProblem } from './attachment.repository';

/** The 400 naming the first attachment id that may not be sent (API.md "Attachments"). */
export function attachmentsRefused(problem: SendProblem): AppError {
  return AppError.validation({
    attachmentIds:
      problem.problem === 'sent'
        ? `attachment ${problem.id} was already sent in a message; upload the file again to send it again`
        : `attachment ${problem.id} is not an upload of yours (or it was removed)`,
  });
}
