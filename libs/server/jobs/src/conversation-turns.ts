/**
 * One turn at a time per conversation inside this process: a task waits for the tasks of its
 * conversation started before it, while other conversations' tasks run side by side.
 *
 * The fan-out worker runs several jobs at once, and consecutive jobs carry the same
 * conversations (every batch touches most of them). Without turns, a job whose conversation
 * another job of this process was delivering polled the Redis lock with sleeps (2 to 25 ms), and
 * a later job that got the lock first had to read the earlier job's changes from PostgreSQL
 * (a gap). With turns the Redis lock only ever waits for another worker process, and jobs of one
 * process deliver in the order they were taken.
 */
export class ConversationTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * @param maxWaitMs how long a task waits for the one before it at most: a task that hangs
   * (a connection that neither answers nor fails) must not hold up its conversation here for
   * good; past that, the next task goes ahead and the Redis lock, whose time-to-live frees it
   * from a holder that hangs, keeps the order as it does between worker processes.
   */
  constructor(private readonly maxWaitMs: number) {}

  run<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(conversationId);
    // a failed task does not hold up the next (each job retries on its own)
    const result = before ? this.atMost(before).then(task) : task();
    const tail = result.catch(() => undefined);
    this.tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return result;
  }

  private atMost(before: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)));
    return Promise.race([before, late]).finally(() => clearTimeout(timer));
  }

  /** Conversations with a task running or waiting (for tests and metrics). */
  get busy(): number {
    return this.tails.size;
  }
}
