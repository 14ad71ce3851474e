import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { databaseUrlFor, dropDatabase, ensureServices, recreateDatabase } from '@chatbox/tools';
import { wholeNumber } from './bench-options';
import { fanoutFloor, FanoutFloor } from './floor/fanout-floor';
import { pathFloor, PathFloor } from './floor/path-floor';
import { machineInfo, writeResults } from './results/results-file';

const HELP = `npm run bench:floor [-- options]
What this machine allows any server, measured with the least work that keeps ChatBox's promises
(bench/README.md, "The machine's floor"): read phase A and B against it, in the same sitting.
  --recipients LIST    fan-out floor: one process writes a frame to each of this many websockets
                       (default 199,999,9999)
  --processes N        client processes holding those sockets (default 2)
  --messages N:MS      frames per fan-out run and the interval between them, for up to 1,000
                       recipients (default 50:100, phase B's)
  --large-messages N:MS the same above 1,000 recipients (default 10:500, the 10,000-user runs')
  --rates LIST         path floor: msgs/s from 200 users to groups of 10, each stored (INSERT,
                       COMMIT) before it is written to the 9 others, directly and through Redis
                       pub/sub (default 100,400,800)
  --seconds S          each path run (default 15)
  --only fanout|path   one of the two`;

const DATABASE = `${process.env.CHATBOX_BENCH_DB ?? 'chatbox_bench'}_floor`;

const pair = (text: string, what: string): [number, number] => {
  const [count, ms] = text.split(':');
  return [wholeNumber(count, `${what} count`), wholeNumber(ms ?? '', `${what} interval`)];
};
const list = (text: string, what: string) => text.split(',').map((n) => wholeNumber(n, what));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '199,999,9999' },
      processes: { type: 'string', default: '2' },
      messages: { type: 'string', default: '50:100' },
      'large-messages': { type: 'string', default: '10:500' },
      rates: { type: 'string', default: '100,400,800' },
      seconds: { type: 'string', default: '15' },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (values.only && !['fanout', 'path'].includes(values.only))) {
    console.log(HELP);
    return values.help ? 0 : 1;
  }
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const fanout: FanoutFloor[] = [];
  const paths: PathFloor[] = [];

  if (values.only !== 'path') {
    const processes = wholeNumber(values.processes, '--processes');
    for (const recipients of list(values.recipients, '--recipients')) {
      const [messages, intervalMs] = recipients > 1000 ? pair(values['large-messages'], '--large-messages') : pair(values.messages, '--messages');
      const run = await fanoutFloor(recipients, processes, messages, intervalMs);
      const { latencyMs: l, serverLoopMs: s } = run;
      console.log(`[floor] fan-out to ${recipients}: ${run.received} of ${recipients * messages} received; p50 ${l.p50} p99 ${l.p99} max ${l.max} ms (the writes took the server's loop p50 ${s.p50} max ${s.max} ms)`);
      fanout.push(run);
    }
  }
  if (values.only !== 'fanout') {
    const services = await ensureServices();
    await recreateDatabase(services.postgresServerUrl, DATABASE);
    try {
      const seconds = wholeNumber(values.seconds, '--seconds');
      for (const rate of list(values.rates, '--rates')) {
        for (const viaRedis of [false, true]) {
          const run = await pathFloor(databaseUrlFor(services.postgresServerUrl, DATABASE), services.redisUrl, rate, seconds, viaRedis);
          const l = run.latencyMs;
          console.log(`[floor] path at ${rate} msgs/s ${viaRedis ? 'through Redis' : 'direct'}: ${run.received} of ${run.expected} received; p50 ${l.p50} p99 ${l.p99} max ${l.max} ms`);
          paths.push(run);
        }
      }
    } finally {
      await dropDatabase(services.postgresServerUrl, DATABASE).catch(() => undefined);
    }
  }
  const lost = fanout.some((r) => r.received < r.recipients * r.messages) || paths.some((r) => r.received < r.expected);
  const file = writeResults('floor', startedAt, { startedAt, machine: machineInfo(), loadAverage: { atStart: loadAtStart, atEnd: loadavg() }, fanout, paths });
  console.log(`[floor] ${lost ? 'some frames did not arrive; ' : ''}results in ${file}`);
  return lost ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
