import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { inject } from 'vitest';

/** A redis-server on 127.0.0.1 for one test file: no persistence, stopped by `stop()`. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL); resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as in a network partition. */
  pause(): void;
  /** Lets a paused server answer again (SIGCONT), with its data intact. */
  resume(): void;
}

const INSTALL = 'apt-get install redis-server (Debian/Ubuntu; `bash .ci/run` installs it when missing)';

/** Set to 1 where the Redis tests must run (`.ci/run`): a missing redis-server then fails them instead of skipping. */
export const REQUIRE_REDIS_ENV = 'REQUIRE_REDIS';

/** Whether a `redis-server` binary is on PATH. */
export function redisServerInstalled(): boolean {
  return !spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error;
}

/**
 * Whether the Redis tests skip: redis-server is missing and REQUIRE_REDIS is not 1. Each Redis test file wraps its
 * suites in `describe.skipIf(withoutRedis)`, so a fresh machine with only Node and npm passes `npm test`.
 */
export const withoutRedis = !redisServerInstalled() && process.env[REQUIRE_REDIS_ENV] !== '1';

if (withoutRedis) noticeOnce();

/**
 * Says once per test run (however many Redis test files and workers import this module) that the Redis tests were
 * not run, and how to install redis-server. Written straight to stderr: one line, no reporter header.
 */
function noticeOnce(): void {
  // The run's own directory (test/runDir.ts): the first file of this run to create the marker says it. A run
  // without that set-up (another vitest config) says it in each file rather than not at all.
  const runDir = inject('runDir');
  if (runDir) {
    try {
      closeSync(openSync(join(runDir, 'redis-skipped'), 'wx'));
    } catch {
      return; // another file of this run said it already
    }
  }
  process.stderr.write(
    `Redis tests not run: redis-server is not installed. ${INSTALL}. Set ${REQUIRE_REDIS_ENV}=1 to fail instead.\n`,
  );
}

/** A port nothing listens on right now (the kernel's pick), for a server to take or a client to fail on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether a Redis server answers PING on `port`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on ${port}: ${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', (error) => fail(new Error(`redis-server could not be started (${error.message}). ${INSTALL}`)));
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code}) on port ${port}: ${output}`)));
    // Ready once the port answers a PING.
    const poll = setInterval(() => {
      void ping(port).then((ok) => {
        if (!ok || child.exitCode !== null) return;
        clearInterval(poll);
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      });
    }, 50);
    child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', () => clearInterval(poll));
  });
}

/**
 * Starts Debian's redis-server on a free port. Throws, naming the install, when it is missing (the suites skip
 * before they get here unless REQUIRE_REDIS=1).
 */
export async function startRedisServer(): Promise<RedisServer> {
  if (!redisServerInstalled())
    throw new Error(`redis-server is not installed (${REQUIRE_REDIS_ENV}=1 requires it). ${INSTALL}`);
  const port = await freePort();
  let child: ChildProcess | null = await launch(port);
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}
