import { writeAtomically } from '../tooling/atomicWrite.js';
import { readFile } from 'node:fs/promises';
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
 * crash) never sees a half-written file. With `check`, nothing is written: the changed files are
 * reported as stale. Empty contents are skipped, as graphql-codegen's CLI does.
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
        throw error;
      });
      if (current === file.content) result.unchanged.push(file.filename);
      else if (file.content.length > 0) changed.push({ path, file });
    }),
  );
  if (options.check) {
    result.stale.push(...changed.map((c) => c.file.filename));
  } else {
    await Promise.all(
      changed.map(async ({ path, file }) => {
        await writeAtomically(path, file.content);
        result.written.push(file.filename);
      }),
    );
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  result.written.sort(byName);
  result.unchanged.sort(byName);
  result.stale.sort(byName);
  return result;
}
