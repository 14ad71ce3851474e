import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ALIAS_HOOK, ensureServices } from '@chatbox/tools';
import { BenchOptions, parseBenchOptions } from './bench-options';
import { BenchToDriver, DRIVER_CONFIG_ENV, DriverConfig, DriverToBench, PhaseResult, RestartedApi } from './driver/driver-protocol';
import { BenchStack } from './stack/bench-stack';
import { cpuSecondsBetween, ProcessSampler } from './stack/process-sampler';
import { seedHistory } from './stack/history-seeder';
import { seedUsers } from './stack/user-seeder';
import { machineInfo, writeResults } from './results/results-file';
import { cpuPerThousand, withFanoutCost } from './results/message-cost';

/** CHATBOX_BENCH_DB names it, so two checkouts on one machine do not drop each other's database mid-run. */
const DATABASE = process.env.CHATBOX_BENCH_DB ?? 'chatbox_bench';

/** Server tuning variables set for the bench command reach the server processes (and the results). */
const TUNING: Record<string, string> = Object.fromEntries(
  ['SEND_BATCH_WINDOW_MS', 'FANOUT_CHUNK_SIZE', 'DATABASE_POOL_SIZE', 'FANOUT_IN_API'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
);

/**
 * `npm run bench`: starts its own production-mode ChatBox (api and worker processes on a fresh
 * chatbox_bench database and its own Redis prefix), runs the load driver in a child process,
 * prints one JSON line per phase and writes them all to bench/results/. Exits 1 when something
 * was lost or broke; timings never fail the run.
 */
async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  const startedAt = new Date();
  const services = await ensureServices();
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const stack = await BenchStack.start({
    postgresServerUrl: services.postgresServerUrl,
    redisUrl: services.redisUrl,
    databaseName: DATABASE,
    apis: options.apis,
    workers: options.workers,
    // Cost 4 only speeds up registering the users (setup) and phase C's login; stated in the results.
    env: { BCRYPT_COST: String(options.bcryptCost), ...TUNING },
    nodeArgs: options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.profileDir)] : [],
    apiNodeArgs: options.apiNodeArgs,
    withoutSearchIndex: options.withoutSearchIndex,
  });
  const sampler = new ProcessSampler();
  for (const p of [...stack.apis, ...stack.workers]) sampler.track(p.name, p.child.pid);
  // PostgreSQL's share: the backends (and autovacuum workers) of the bench's own database; not
  // the server-wide processes (WAL writer, checkpointer), which other databases share
  sampler.trackGroup('postgres', (cmdline) => cmdline.startsWith('postgres: ') && cmdline.includes(` ${DATABASE} `));
  sampler.start();

  const phases: PhaseResult[] = [];
  let failure: string | undefined;
  try {
    failure = await runDriver(options, stack, sampler, phases);
  } finally {
    sampler.stop();
    await stack.stop();
  }
  const problems = phases.flatMap((p) => p.problems.map((x) => `${p.phase}: ${x}`));
  if (failure) problems.push(`driver: ${failure}`);
  const file = writeResults(options.quick ? 'quick' : 'bench', startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ok: problems.length === 0,
    problems,
    setup: { apis: options.apis, workers: options.workers, seededUsers: options.driver.seedUsers, holders: options.driver.holders, bcryptCost: options.bcryptCost, tuning: TUNING, apiNodeArgs: options.apiNodeArgs, nodeEnv: 'production', quick: options.quick, searchIndex: !options.withoutSearchIndex, driver: options.driver },
    machine: machineInfo(),
    phases,
    processes: sampler.totals(),
  });
  console.log(`[bench] ${problems.length === 0 ? 'ok' : `FAILED: ${problems.join('; ')}`}; results in ${path.relative(process.cwd(), file)}`);
  return problems.length === 0 ? 0 : 1;
}

function runDriver(options: BenchOptions, stack: BenchStack, sampler: ProcessSampler, phases: PhaseResult[]): Promise<string | undefined> {
  const config: DriverConfig = { ...options.driver, apiUrls: stack.apis.map((a) => a.url), runId: randomBytes(3).toString('hex') };
  const driver = fork(path.join(__dirname, 'driver/driver.main.js'), [], {
    // the driver shares the cores with the servers: profiled with them, to show it is not the bottleneck
    execArgv: ['-r', ALIAS_HOOK, ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.profileDir), '--cpu-prof-name', 'driver.cpuprofile'] : [])],
    env: { ...process.env, NODE_ENV: 'production', [DRIVER_CONFIG_ENV]: JSON.stringify(config) },
  });
  sampler.track('driver', driver.pid);
  // server start-up is not part of any phase
  sampler.closeWindow();
  sampler.closeMachineWindow();
  const limitMs = options.quick ? 3 * 60_000 : 60 * 60_000;
  const markStarts = new Map<string, Map<string, number>>();
  let marks: Record<string, Record<string, number>> = {};
  const answer = (requestId: number, work: Promise<unknown>) =>
    work.then(
      (value) => driver.send({ type: 'reply', requestId, value } satisfies BenchToDriver),
      (err: Error) => driver.send({ type: 'reply', requestId, error: err.message } satisfies BenchToDriver),
    );
  return new Promise((resolve) => {
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `did not finish in ${limitMs / 60_000} min`;
      driver.kill('SIGKILL');
    }, limitMs);
    const stopOnSignal = () => {
      failure = 'interrupted';
      driver.kill('SIGKILL');
    };
    process.once('SIGINT', stopOnSignal);
    driver.on('message', (m: DriverToBench) => {
      switch (m.type) {
        case 'mark':
          if (m.edge === 'start') markStarts.set(m.label, sampler.cpuTicks());
          else marks[m.label] = cpuSecondsBetween(markStarts.get(m.label) ?? new Map(), sampler.cpuTicks());
          break;
        case 'phase': {
          const result = { ...withServerCpu(m.result, marks), processes: sampler.closeWindow(), machine: sampler.closeMachineWindow() };
          marks = {};
          phases.push(result);
          console.log(JSON.stringify(result));
          break;
        }
        case 'seed-history':
          void answer(m.requestId, seedHistory(stack.databaseUrl, m.conversationId, m.senderId, m.count, m.bodyBytes));
          break;
        case 'seed-users':
          void answer(m.requestId, seedUsers(stack.databaseUrl, String(stack.env.JWT_SECRET), config.runId, m.start, m.count, m.password));
          break;
        case 'restart-api':
          void answer(
            m.requestId,
            stack.restartApi(m.index).then(({ api, ...times }) => {
              sampler.track(api.name, api.child.pid);
              return { ...times, name: api.name } satisfies RestartedApi;
            }),
          );
          break;
        case 'track':
          sampler.track(m.name, m.pid);
          break;
        case 'failed':
          failure = m.error;
          break;
        case 'done':
          break;
      }
    });
    driver.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', stopOnSignal);
      resolve(failure ?? (code === 0 ? undefined : `exited with ${code}`));
    });
  });
}

/**
 * Adds each rate step's server CPU (api + worker processes) and its cost per message: a figure
 * that, unlike latency, says little about how busy the rest of the machine was.
 */
function withServerCpu(result: PhaseResult, marks: Record<string, Record<string, number>>): PhaseResult {
  if (!Array.isArray(result.steps)) return withFanoutCost(result, marks);
  const steps = (result.steps as Array<{ rate: number; sent: number; failed: number; timedOut: number; unanswered: number }>).map((step) => {
    const cpu = marks[`A@${step.rate}`];
    if (!cpu) return step;
    // the node processes only, as before PostgreSQL was sampled (cpuSecondsPer1000Messages has it)
    const server = Object.entries(cpu).filter(([name]) => !name.startsWith('driver') && name !== 'postgres');
    const serverCpuSeconds = Math.round(server.reduce((n, [, s]) => n + s, 0) * 100) / 100;
    const messages = step.sent + step.failed + step.timedOut + step.unanswered;
    return { ...step, cpuSeconds: cpu, serverCpuMsPerMessage: messages ? Math.round((serverCpuSeconds / messages) * 1e4) / 10 : null, cpuSecondsPer1000Messages: cpuPerThousand(cpu, messages) };
  });
  return { ...result, steps };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
