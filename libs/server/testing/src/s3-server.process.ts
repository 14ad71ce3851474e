import S3rver from 's3rver';

/**
 * The S3-compatible server of startS3Server (s3-server.ts), as its own process: s3rver keeping
 * objects in the directory argv[2], with the bucket argv[3], on a free loopback port. Prints
 * `{"port":N}` once it listens; stops when its parent closes stdin (even when the parent crashed)
 * or sends SIGTERM.
 */
async function main(): Promise<void> {
  const [directory, bucket] = process.argv.slice(2);
  if (!directory || !bucket) throw new Error('usage: s3-server.process.js DIRECTORY BUCKET');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const stop = () => void server.close().finally(() => process.exit(0));
  process.stdin.on('end', stop).on('error', stop).resume();
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
