import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Wall time and peak resident memory of one child process. */
export interface ProcessRun {
  readonly wallMs: number;
  /** Peak resident set size in KiB (`/usr/bin/time -f %M`, or VmHWM polled from /proc). */
  readonly peakRssKib: number;
  /** User + system CPU time in ms (`/usr/bin/time`); `NaN` without it. */
  readonly cpuMs: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `command args` in `cwd` to completion and measures it. Output is captured and shown only
 * when the command fails, so a broken tool reads as an error, never as a fast result.
 */
export async function measureProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  useTime = existsSync(GNU_TIME),
): Promise<ProcessRun> {
  const scratch = useTime ? mkdtempSync(join(tmpdir(), 'bench-time-')) : '';
  const timeFile = join(scratch, 'rss');
  const [file, argv] = useTime
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let polledPeak = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        polledPeak = Math.max(polledPeak, readHighWaterMark(child.pid));
      }, 10);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - started;
  if (poll) clearInterval(poll);
  let peakRssKib = polledPeak;
  let cpuMs = Number.NaN;
  if (useTime) {
    const [rss, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    peakRssKib = rss!;
    cpuMs = (user! + system!) * 1000;
    rmSync(scratch, { recursive: true, force: true });
  }
  if (code !== 0) throw new Error(`bench: \`${command} ${args.join(' ')}\` exited with ${code} in ${cwd}\n${output}`);
  return { wallMs, peakRssKib, cpuMs };
}

function readHighWaterMark(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
