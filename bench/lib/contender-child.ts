// One runtime contender in its own process, driven over IPC by remote-contender.ts: its client, its JIT state and
// its garbage are its own, and its CPU time per query is this process's alone.
import { pathToFileURL } from 'node:url';
import type { AuthModule, PackageModule } from './compiled.js';
import type { ChildMessage, Setup, SliceCommand } from './contender-protocol.js';
import { contenderQuery, stubFetch } from './contenders.js';
import { customerDocuments } from './documents.js';
import { drive } from './drive.js';

const send = (message: ChildMessage) => process.send!(message);

process.once('message', (setup: Setup) => {
  void start(setup);
});
process.on('disconnect', () => process.exit(0));

async function start(setup: Setup): Promise<void> {
  const pkg = (await import(pathToFileURL(setup.packageFile).href)) as PackageModule;
  const code = { pkg, auth: (await import(pathToFileURL(setup.authFile).href)) as AuthModule };
  const documents = customerDocuments(pkg.CustomerDocument, setup.documents);
  const base = {
    publicAccessToken: setup.publicAccessToken,
    accessToken: setup.accessToken,
    expiresAt: setup.expiresAt,
    now: () => setup.now,
  };
  const queries = {
    loopback: contenderQuery(setup.key, code, { ...base, url: setup.url, fetch: globalThis.fetch }, documents),
    stub: contenderQuery(
      setup.key,
      code,
      { ...base, url: 'http://127.0.0.1:9', fetch: stubFetch(setup.accessToken) },
      documents,
    ),
  };
  process.on('message', (command: SliceCommand) => {
    drive(queries[command.target], command.workers, command.ms).then(
      (slice) => send({ kind: 'slice', id: command.id, slice }),
      (error: unknown) => send({ kind: 'error', id: command.id, error: String(error) }),
    );
  });
  send({ kind: 'ready', pid: process.pid });
}
