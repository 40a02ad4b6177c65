import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeAtomically}. */
export interface AtomicWriteOptions {
  /** The new file's permission bits, e.g. `0o600` for a file holding a secret. @defaultValue `0o666` less the umask */
  mode?: number;
}

/**
 * Replaces `path` with `content` all at once: written and flushed to a hidden temporary file in the same
 * folder (created if missing), then renamed over `path`. A crash, a full disk or a failed write leaves the
 * old file as it was and no temporary file behind.
 */
export async function writeAtomically(path: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(content, 'utf8');
      if (options.mode !== undefined) await handle.chmod(options.mode); // the umask may have narrowed it
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
