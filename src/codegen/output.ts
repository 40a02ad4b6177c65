import { stageAtomically, type StagedWrite } from '../tooling/atomicWrite.js';
import { readFile } from 'node:fs/promises';
import { LIBRARY } from '../runtime/errors.js';
import { resolve } from 'node:path';

/** One file graphql-codegen would write: its name (relative to the folder it runs in) and content. */
export interface GeneratedFile {
  filename: string;
  content: string;
}

/** What {@link syncGeneratedFiles} did with each file, by the filename the config gave it. */
export interface SyncResult {
  /** Files whose content changed (or that did not exist) and were rewritten; with `check`, none. */
  written: string[];
  /** Files already holding exactly the generated content: never touched. */
  unchanged: string[];
  /** With `check`: the files that differ from what would be generated (or are missing). */
  stale: string[];
}

/**
 * Brings the files on disk in line with `files`, writing only those whose content changed. Each
 * write goes to a temporary file next to the target and is renamed over it, so a reader (or a
 * crash) never sees a half-written file; every changed file is written in full before any is renamed, so a
 * failed write (a full disk) leaves them all as they were. With `check`, nothing is written: the changed files
 * are reported as stale. Empty contents are skipped, as graphql-codegen's CLI does.
 *
 * @throws Error naming the file that could not be read or written, and saying nothing was written.
 *
 * @param cwd - the folder the filenames are relative to.
 */
export async function syncGeneratedFiles(
  cwd: string,
  files: readonly GeneratedFile[],
  options: { check?: boolean } = {},
): Promise<SyncResult> {
  const result: SyncResult = { written: [], unchanged: [], stale: [] };
  const changed: { path: string; file: GeneratedFile }[] = [];
  await Promise.all(
    files.map(async (file) => {
      const path = resolve(cwd, file.filename);
      const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw failure(file.filename, 'read', error);
      });
      if (current === file.content) result.unchanged.push(file.filename);
      else if (file.content.length > 0) changed.push({ path, file });
    }),
  );
  if (options.check) {
    result.stale.push(...changed.map((c) => c.file.filename));
  } else {
    const staged = await Promise.allSettled(changed.map(({ path, file }) => stageAtomically(path, file.content)));
    const failed = staged.findIndex((s) => s.status === 'rejected');
    if (failed !== -1) {
      // One by one, last first, so a folder a staging created is empty by the time its creator is discarded.
      for (const s of [...staged].reverse()) if (s.status === 'fulfilled') await s.value.discard();
      throw failure(changed[failed]!.file.filename, 'write', (staged[failed] as PromiseRejectedResult).reason);
    }
    await Promise.all(
      staged.map(async (s, i) => {
        await (s as PromiseFulfilledResult<StagedWrite>).value.commit();
        result.written.push(changed[i]!.file.filename);
      }),
    );
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  result.written.sort(byName);
  result.unchanged.sort(byName);
  result.stale.sort(byName);
  return result;
}

/** The error for a generated file that could not be read or written: it names the file and the fix. */
function failure(filename: string, what: 'read' | 'write', error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const fix =
    code === 'EISDIR' ? 'it is a folder: remove or rename it' : 'free disk space or fix the permissions of the folder';
  return new Error(
    `${LIBRARY}: codegen could not ${what} ${filename} (${code}); nothing was written. ` +
      `${fix[0]!.toUpperCase()}${fix.slice(1)}, then run codegen again.`,
    { cause: error },
  );
}
