import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { ClientReply, ClientTask } from './floor-protocol';
import { loaderHookArgs } from '../lib/loader-hook';

/** Child processes holding a floor bench's websockets (floor-clients.main.ts), driven from here. */
export class FloorClients {
  private constructor(private readonly children: ChildProcess[]) {}

  /** `sockets` sockets to the server on `port`, spread evenly over `processes` processes; users numbered 0.. in order. */
  static async connect(port: number, sockets: number, processes: number): Promise<FloorClients> {
    const children = Array.from({ length: processes }, () => fork(path.join(__dirname, 'floor-clients.main.js'), [], { execArgv: loaderHookArgs }));
    const clients = new FloorClients(children);
    let firstUser = 0;
    await Promise.all(
      children.map((child, i) => {
        const count = Math.floor(sockets / processes) + (i < sockets % processes ? 1 : 0);
        const task: ClientTask = { kind: 'connect', port, count, firstUser };
        firstUser += count;
        return clients.ask(child, task, 'connected');
      }),
    );
    return clients;
  }

  /** The first process sends `rate` frames a second for `seconds`, from each of its sockets in turn. */
  async send(rate: number, seconds: number, bodyBytes: number): Promise<number> {
    const answer = await this.ask(this.children[0], { kind: 'send', rate, seconds, bodyBytes }, 'sent');
    return answer.kind === 'sent' ? answer.frames : 0;
  }

  /** Every receipt's latency since the last call, from every process. */
  async receipts(): Promise<number[]> {
    const answers = await Promise.all(this.children.map((child) => this.ask(child, { kind: 'report' }, 'receipts')));
    return answers.flatMap((a) => (a.kind === 'receipts' ? a.latenciesMs : []));
  }

  stop(): void {
    for (const child of this.children) child.kill();
  }

  private ask(child: ChildProcess, task: ClientTask, expected: ClientReply['kind']): Promise<ClientReply> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: ClientReply) => {
        if (reply.kind !== expected) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(reply);
      };
      const onExit = (code: number | null) => reject(new Error(`a floor client process exited (${code}) before answering ${task.kind}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(task);
    });
  }
}
