import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ApiClient, startS3Server, type S3Server } from '@chatbox/server-testing';
import { dropDatabase, ensureServices } from '@chatbox/tools';
import { summarize } from './lib/stats';
import { BenchStack, stopStacksOnInterrupt } from './stack/bench-stack';
import { readProcess } from './stack/process-sampler';
import { machineInfo, writeResults } from './results/results-file';
import { messagesAlongside } from './uploads/alongside';
import { describeGc, EventLoopLagReader, gcBetween } from './uploads/event-loop-lag';
import { byteWork, downloadFile, mbPerSecond, uploadFile, type Uploaded } from './uploads/upload-client';

const HELP = `npm run bench:uploads [-- options]
  --store local|s3   where the bytes are kept: a temporary STORAGE_DIR (default), or a
                     real S3-compatible server (s3rver, started here) through S3FileStore
  --transfers-on files|api
                     which process the files go to: the files process at nice 10, as npm start
                     and the Caddyfile route them (default), or the api, which serves them too
  --files N          concurrent uploads, then concurrent downloads of them (default 50)
  --mb N             size of each file in MB (default 5)
  --alongside RATES  after the throughput run, phase A's group traffic at each of these total
                     rates (e.g. 100,400; msgs/s, half socket message:send, half REST POST) for
                     --window-seconds with nothing else running, then as long again while --files
                     transfers keep going (upload, download, again), and compare (default: off)
  --window-seconds S each of those windows (default 8)
  --lanes-nice N     the transfers' process at this nice value (default 0): they stand for other
                     people's machines, whose CPU this one would not spend
  --users N          the message senders, in groups of 10 (default 40)
  --profile DIR      run the server processes with node --cpu-prof, profiles written to DIR
  --keep             keep the database (${'`'}<CHATBOX_BENCH_DB>_uploads${'`'})
TRANSFER_CONCURRENCY, TRANSFER_QUEUE_MAX and TRANSFER_BYTES_PER_SECOND set for this command reach
the server; the last one paces every large transfer (default 16 MB/s), so for the unpaced throughput
set it to 0.`;

/** The RSS of the process serving the transfers may grow this much over its idle size (issue 17). */
const RSS_BUDGET_MB = 100;
/** Server tuning variables set for the bench command that reach the api (and the results). */
const TUNING_VARIABLES = ['TRANSFER_CONCURRENCY', 'TRANSFER_QUEUE_MAX', 'TRANSFER_BYTES_PER_SECOND'];
const MB = 1024 * 1024;
const DATABASE = `${process.env.CHATBOX_BENCH_DB ?? 'chatbox_bench'}_uploads`;

const cpuSecondsOf = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 10_000) / 100;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const rssMb = (pid: number) => Math.round(((readProcess(pid)?.rssKb ?? 0) / 1024) * 10) / 10;

/** Peak RSS of one process, sampled every 50 ms while `run` runs. */
async function peakRssDuring<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  try {
    const result = await run();
    return { result, peakRssMb: Math.max(peak, rssMb(pid)) };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'local' },
      'transfers-on': { type: 'string', default: 'files' },
      files: { type: 'string', default: '50' },
      mb: { type: 'string', default: '5' },
      alongside: { type: 'string', default: '' },
      'window-seconds': { type: 'string', default: '8' },
      'lanes-nice': { type: 'string', default: '0' },
      users: { type: 'string', default: '40' },
      keep: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !['local', 's3'].includes(values.store) || !['files', 'api'].includes(values['transfers-on'])) {
    console.log(HELP);
    return values.help ? 0 : 1;
  }
  const files = Number(values.files);
  const sizeBytes = Math.round(Number(values.mb) * MB);
  const rates = values.alongside.split(',').map(Number).filter((r) => r > 0);
  const windowSeconds = Number(values['window-seconds']);
  const startedAt = new Date();
  const tuning = Object.fromEntries(TUNING_VARIABLES.filter((v) => process.env[v]).map((v) => [v, process.env[v]!]));
  console.log(`[uploads] load average at start (1, 5, 15 min): ${load()}`);

  const services = await ensureServices();
  const storageDir = await mkdtemp(path.join(tmpdir(), 'chatbox-bench-uploads-'));
  let s3: S3Server | undefined;
  let stack: BenchStack | undefined;
  stopStacksOnInterrupt(async () => {
    await s3?.stop();
    await rm(storageDir, { recursive: true, force: true });
  });
  try {
    if (values.store === 's3') s3 = await startS3Server('chatbox-bench');
    stack = await BenchStack.start({
      postgresServerUrl: services.postgresServerUrl,
      redisUrl: services.redisUrl,
      databaseName: DATABASE,
      apis: 1,
      workers: 1,
      files: values['transfers-on'] === 'files',
      nodeArgs: values.profile ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values.profile)] : [],
      env: { BCRYPT_COST: '4', STORAGE_DIR: storageDir, UPLOAD_MAX_BYTES: String(Math.max(sizeBytes + MB, 25 * MB)), ...tuning, ...s3?.env },
    });
    const api = stack.apis[0]!;
    // the process the files go to, whose memory and collections are measured
    const server = stack.files ?? api;
    const serverName = server.name;
    const pid = server.child.pid!;
    const client = new ApiClient(api.url);
    const me = await client.registerUser();

    // warm-up: the upload and download paths compiled and their modules loaded before "idle"
    for (let i = 0; i < 3; i++) {
      const warm = await uploadFile(server.url, me.accessToken, 1_000_000 + i, MB);
      await downloadFile(server.url, me.accessToken, warm.url, 1_000_000 + i);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = rssMb(pid);
    console.log(`[uploads] ${serverName} idle RSS ${idleRssMb} MB; ${files} files of ${values.mb} MB on the ${values.store} store; load average ${load()}`);

    const started = performance.now();
    const transfers = async () => {
      const up0 = performance.now();
      const uploads = await Promise.all(Array.from({ length: files }, (_, i) => uploadFile(server.url, me.accessToken, i, sizeBytes)));
      const uploadMs = performance.now() - up0;
      const down0 = performance.now();
      const downloads = await Promise.all(uploads.map((u, i) => downloadFile(server.url, me.accessToken, u.url, i)));
      const downloadMs = performance.now() - down0;
      return { uploads, uploadMs, downloads, downloadMs };
    };
    const metrics = EventLoopLagReader.forApi(pid, server.port);
    const gc0 = (await metrics?.read())?.gc;
    const byteWork0 = byteWork.ms;
    const cpu0 = process.cpuUsage();
    const serverTicks0 = readProcess(pid)?.ticks ?? 0;
    const { result, peakRssMb } = await peakRssDuring(pid, transfers);
    const totalMs = performance.now() - started;
    // /proc counts 100 ticks a second
    const cpuSeconds = { [serverName]: ((readProcess(pid)?.ticks ?? 0) - serverTicks0) / 100, driver: cpuSecondsOf(process.cpuUsage(cpu0)), driverByteWork: Math.round(byteWork.ms - byteWork0) / 1000 };
    const gc1 = (await metrics?.read())?.gc;
    // the server's collections while the files moved (a full one per 0.5-2 s when their buffers were left to it: eleventh session)
    const serverGc = gc0 && gc1 ? gcBetween(gc0, gc1) : undefined;

    const alongside = rates.length > 0 ? await messagesAlongside(stack, me.accessToken, { rates, windowSeconds, users: Number(values.users), lanes: files, sizeBytes, lanesNice: Number(values['lanes-nice']), transfersUrl: server.url }) : undefined;

    const problems: string[] = [];
    result.uploads.forEach((u: Uploaded, i) => {
      if (u.size !== sizeBytes) problems.push(`upload ${i}: size ${u.size}, expected ${sizeBytes}`);
      const d = result.downloads[i]!;
      if (d.bytes !== sizeBytes || !d.intact) problems.push(`download ${i}: ${d.bytes} bytes, ${d.intact ? 'same' : 'different'} content`);
    });
    const growthMb = Math.round((peakRssMb - idleRssMb) * 10) / 10;
    if (growthMb > RSS_BUDGET_MB) problems.push(`${serverName} RSS grew ${growthMb} MB over idle (budget ${RSS_BUDGET_MB} MB)`);
    if (alongside) problems.push(...alongside.problems);

    const totalBytes = files * sizeBytes;
    const summary = {
      store: values.store,
      transfersOn: serverName,
      files,
      fileMb: Number(values.mb),
      tuning,
      uploads: { seconds: Math.round(result.uploadMs) / 1000, mbPerSecond: mbPerSecond(totalBytes, result.uploadMs), latencyMs: summarize(result.uploads.map((u) => u.ms)) },
      downloads: { seconds: Math.round(result.downloadMs) / 1000, mbPerSecond: mbPerSecond(totalBytes, result.downloadMs), latencyMs: summarize(result.downloads.map((d) => d.ms)) },
      transfersServer: { idleRssMb, peakRssMb, growthMb, budgetMb: RSS_BUDGET_MB },
      cpuSeconds,
      transfersServerGc: serverGc,
      messagesAlongside: alongside?.steps,
      ...(alongside && { lanesNice: Number(values['lanes-nice']) }),
      loadAvg1: Math.round(loadavg()[0]! * 100) / 100,
      totalSeconds: Math.round(totalMs) / 1000,
    };
    console.log(JSON.stringify(summary));
    console.log(
      `[uploads] ${files} x ${values.mb} MB: uploads ${summary.uploads.mbPerSecond} MB/s (p99 ${summary.uploads.latencyMs.p99} ms), ` +
        `downloads ${summary.downloads.mbPerSecond} MB/s (p99 ${summary.downloads.latencyMs.p99} ms); ${serverName} RSS idle ${idleRssMb} MB, ` +
        `peak ${peakRssMb} MB (+${growthMb} MB, budget ${RSS_BUDGET_MB})` +
        describeGc(serverName, serverGc) +
        `; load average ${load()}`,
    );
    const file = writeResults('uploads', startedAt, { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), ok: problems.length === 0, problems, machine: machineInfo(), ...summary });
    console.log(`[uploads] ${problems.length === 0 ? 'ok' : `FAILED: ${problems.join('; ')}`}; results in ${path.relative(process.cwd(), file)}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await stack?.stop();
    await s3?.stop();
    await rm(storageDir, { recursive: true, force: true });
    if (!values.keep) await dropDatabase(services.postgresServerUrl, DATABASE).catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
