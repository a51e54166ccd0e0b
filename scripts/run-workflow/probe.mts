import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalServices, runWorkflow } from './src/index.ts';
const services = await startLocalServices();
const t0 = Date.now();
const batch = 'batch_20261201_020000';
for (const table of ['patients', 'visits'])
  for (const n of [1, 2])
    await services.s3Client.send(
      new PutObjectCommand({ Bucket: 'fragments', Key: `validated/${batch}/${table}/part-0000${n}.csv`, Body: 'id,value\n1,2\n' }),
    );
try {
  for (const dry of ['true', 'false']) {
    const r = await runWorkflow({
      workflow: 'workflows/fragment-ingestion.yml',
      inputs: { batch_id: batch, dry_run: dry },
      services,
      repo: '/tmp/rwrepo',
      log: (l) => console.log(l),
    });
    console.log(r.conclusion, JSON.stringify((await services.snapshot()).s3), Date.now() - t0);
  }
} finally {
  await services.stop();
}
