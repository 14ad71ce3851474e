/**
 * The work's result if it comes within `ms`, else the error `late()` makes. The work itself goes
 * on (nothing here can stop a statement or a command already sent); what it yields after the
 * deadline is dropped. For answers that must come in bounded time whatever the network does:
 * a connection that carries nothing, and tells nobody, holds a request until TCP gives up.
 */
export async function answerWithin<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    // race() handles a rejection of `work` that comes after the deadline too
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
