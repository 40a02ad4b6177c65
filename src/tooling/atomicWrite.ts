import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Options of {@link writeAtomically}. */
export interface AtomicWriteOptions {
  /** The new file's permission bits, e.g. `0o600` for a file holding a secret. @defaultValue `0o666` less the umask */
  mode?: number;
}

/** Symbolic links followed before giving up, as the kernel does (`ELOOP`). */
const MAX_LINKS = 40;

/** A temporary file older than this is stale whoever wrote it (a write takes milliseconds; pids get reused). */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Replaces `path` with `content` all at once: written and flushed to a hidden temporary file in the same
 * folder (created if missing), then renamed over `path`. When `path` is a symbolic link, the file it points to
 * is replaced (through any chain of links) and the link is kept. A full disk or a failed write leaves the old
 * file as it was and removes its temporary file; a process killed mid-write (SIGKILL, a power cut) cannot, so
 * each write first removes the temporary files that earlier writes of the same file left behind.
 */
export async function writeAtomically(path: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  await (await stageAtomically(path, content, options)).commit();
}

/** A file written in full beside its target but not yet in place (see {@link stageAtomically}). */
export interface StagedWrite {
  /** Renames the staged file over its target. */
  commit(): Promise<void>;
  /** Removes the staged file (and a folder staging created, when it is left empty); the target is untouched. */
  discard(): Promise<void>;
}

/**
 * The first half of {@link writeAtomically}: `content` written and flushed to the hidden temporary file beside
 * `path`, which stays as it was until `commit()`. Staging every file of a set before committing any of them means a
 * failed write (a full disk) leaves the whole set as it was.
 */
export async function stageAtomically(
  path: string,
  content: string,
  options: AtomicWriteOptions = {},
): Promise<StagedWrite> {
  const target = await linkTarget(path);
  const created = await mkdir(dirname(target), { recursive: true });
  await removeStaleTemporaries(target);
  const temp = join(dirname(target), `${tempPrefix(target)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const discard = async () => {
    await rm(temp, { force: true });
    // Folders this staging created, deepest first, while they are empty (rmdir refuses otherwise).
    for (let dir = dirname(target); created !== undefined && dir.startsWith(created); dir = dirname(dir)) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        )) ||
        dir === created
      )
        break;
    }
  };
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(content, 'utf8');
      if (options.mode !== undefined) await handle.chmod(options.mode); // the umask may have narrowed it
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await discard();
    throw error;
  }
  return {
    async commit() {
      try {
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    discard,
  };
}

/** The file `path` names once every symbolic link is followed (itself when it is no link, or does not exist). */
async function linkTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let followed = 0; followed <= MAX_LINKS; followed++) {
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!stats?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`${path}: more than ${MAX_LINKS} symbolic links to follow (a loop?)`), {
    code: 'ELOOP',
  });
}

/** `.<name>.`: how the temporary files of `target` begin; they end `<pid>.<12 hex>.tmp`. */
function tempPrefix(target: string): string {
  return `.${basename(target)}.`;
}

/**
 * Removes the temporary files an earlier write of `target` left: those whose writing process is gone, and any
 * older than {@link STALE_AFTER_MS}. A live writer's (another process writing the same file now) is left alone.
 */
async function removeStaleTemporaries(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      if (!name.startsWith(prefix)) return;
      const pid = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length))?.[1];
      if (pid === undefined || Number(pid) === process.pid) return;
      const path = join(dirname(target), name);
      const stats = await lstat(path).catch(() => undefined);
      if (!stats?.isFile()) return;
      if (isAlive(Number(pid)) && Date.now() - stats.mtimeMs < STALE_AFTER_MS) return;
      await rm(path, { force: true });
    }),
  );
}

/** Whether a process with this id runs on this machine (`EPERM`: it does, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
