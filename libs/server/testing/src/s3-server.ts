import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export type S3Server = {
  /** http://127.0.0.1:PORT, path-style addressing */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The S3_* variables that point the api or worker at this server. */
  env: Record<string, string>;
  /** Every object key in the bucket, asked of the server (what the bucket really holds). */
  listKeys: () => Promise<string[]>;
  stop: () => Promise<void>;
};

/** s3rver's one account; it checks request signatures against it, as S3 does. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * A real S3-compatible server (s3rver) in a process of its own, speaking HTTP on loopback, with
 * an empty bucket and its objects in a temporary directory that stop() removes. A process rather
 * than in-process: it is a server the code under test reaches over the network, as it would reach
 * MinIO or S3, and its memory does not count in the test's own.
 */
export async function startS3Server(bucket = 'chatbox-test'): Promise<S3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'chatbox-s3rver-'));
  const child = spawn(process.execPath, [path.join(__dirname, 's3-server.process.js'), directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: CREDENTIALS });
  return {
    endpoint,
    bucket,
    region,
    ...CREDENTIALS,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: region,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    listKeys: async () => {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return keys.sort();
    },
    stop: async () => {
      client.destroy();
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
