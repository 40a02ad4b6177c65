import { parseArgs } from 'node:util';
import { rootVersion } from '../../generated/versions.js';
import { LIBRARY } from '../runtime/errors.js';

/** Exit codes scripts can rely on: 0 done, 1 the work failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * The API version every command uses when it needs one and none is given: the package root's (`rootVersion`, pinned in
 * codegen.ts), so `renew` and an app importing `storefront-customer-session` speak the same version.
 */
export const DEFAULT_API_VERSION: string = rootVersion;

/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  /** Writes one chunk of normal output (a line without its newline is fine; one is added). */
  stdout(text: string): void;
  /** Writes one chunk of diagnostics. */
  stderr(text: string): void;
  /** The environment: the only place tokens are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths are resolved against. */
  cwd: string;
  /** The current time in ms, for version support windows. */
  now: () => number;
}

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One line for `--help`. */
  description: string;
  /** The placeholder shown in help, e.g. `<YYYY-MM>`. */
  placeholder?: string;
  /** Shown as `(default: …)` and applied when the option is absent. */
  default?: string;
  /**
   * Whether the shell may expand the value (a glob): arguments left over right after it then mean an unquoted glob,
   * and the message says to quote it.
   */
  expandable?: boolean;
}

/** The parsed command line a command runs with. */
export interface CommandInput {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * A CLI command: its words (`schema pull`), its help, its options and what it does. Adding a command
 * to the CLI is one entry of this shape in the table in `src/cli/main.ts`.
 */
export interface Command {
  /** The words that select the command, e.g. `schema diff`. */
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** What it does, shown under the usage line of its `--help`. */
  description: string;
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments it requires, in order (none by default). */
  positionals?: string[];
  /** Whether the positionals may be left out all together (the command then says what it needs instead). */
  positionalsOptional?: boolean;
  /** Runs the command; resolves to an {@link EXIT} code. Throw {@link UsageError} for a bad command line. */
  run(input: CommandInput, io: CliIo): Promise<number>;
}

/** A command line that cannot be run as given; the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The `--help` text of a command, generated from its spec so it cannot drift from what is parsed. */
export function commandHelp(command: Command): string {
  const positionals = (command.positionals ?? []).map((p) => ` <${p}>`).join('');
  const rows = Object.entries({
    ...command.options,
    help: { type: 'boolean', description: 'show this help' } as OptionSpec,
  }).map(([name, spec]) => {
    const left = `--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? '<value>'}` : ''}`;
    return `  ${left.padEnd(26)} ${spec.description}${spec.default !== undefined ? ` (default: ${spec.default})` : ''}`;
  });
  return (
    `Usage: ${LIBRARY} ${command.name}${positionals} ` +
    `[options]\n\n${command.description}\n\nOptions:\n${rows.join('\n')}\n\nExit codes: 0 ok, ` +
    '1 failed, 2 usage error.'
  );
}

/**
 * Parses `args` against a command's spec. Unknown options, missing values and a wrong number of
 * positionals are {@link UsageError}s whose message never repeats an option's value (it may be a
 * secret typed in the wrong place).
 */
export function parseCommandArgs(command: Command, args: string[]): CommandInput & { help: boolean } {
  const specs = command.options;
  const { tokens } = parseArgs({ args, strict: false, allowPositionals: true, tokens: true });
  const options: CommandInput['options'] = {};
  const positionals: string[] = [];
  /** The expandable option each run of positionals right after it follows: the shell's expansion of a glob. */
  const expandedFrom = new Map<number, string>();
  let lastExpandable: string | undefined;
  let help = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'positional') {
      if (lastExpandable) expandedFrom.set(positionals.length, lastExpandable);
      positionals.push(token.value);
      continue;
    }
    lastExpandable = undefined;
    if (token.kind === 'option-terminator') continue;
    const spec = specs[token.name];
    if (token.name === 'help' && !spec) {
      help = true;
      continue;
    }
    if (!spec) {
      if (/token|secret|password/i.test(token.name)) {
        throw new UsageError(
          `${token.rawName.split('=')[0]} is not an option: tokens are read only from the ` +
            'environment (SHOPIFY_STOREFRONT_TOKEN or SHOPIFY_STOREFRONT_PRIVATE_TOKEN), never from ' +
            'the command line.',
        );
      }
      throw new UsageError(
        `unknown option "${token.rawName.split('=')[0]}" for "${command.name}". Run ` +
          `"${command.name} --help" for its options.`,
      );
    }
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`--${token.name} takes no value.`);
      options[token.name] = true;
      continue;
    }
    // parseArgs without a spec reads `--x value` as a flag followed by a positional; take the value here.
    let value = token.value;
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next?.kind === 'positional') {
        value = next.value;
        i++;
      }
    }
    if (value === undefined || value === '')
      throw new UsageError(`--${token.name} needs a value: --${token.name} ${spec.placeholder ?? '<value>'}.`);
    options[token.name] = value;
    if (spec.expandable) lastExpandable = token.name;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (options[name] === undefined && spec.default !== undefined) options[name] = spec.default;
  }
  const expected = command.positionals ?? [];
  const extra = positionals.findIndex((_, i) => i >= expected.length && expandedFrom.has(i));
  if (!help && positionals.length > expected.length && extra !== -1) {
    const name = expandedFrom.get(extra)!;
    throw new UsageError(
      `--${name} got ${positionals.length - expected.length + 1} values: the shell expanded an unquoted glob. ` +
        `Quote it, e.g. --${name} 'app/**/*.graphql'.`,
    );
  }
  const omitted = command.positionalsOptional === true && positionals.length === 0;
  if (!help && !omitted && positionals.length !== expected.length) {
    const usage = `${command.name}${expected.map((p) => ` <${p}>`).join('')}`;
    throw new UsageError(
      positionals.length < expected.length
        ? `"${command.name}" needs ${expected.map((p) => `<${p}>`).join(' ')}: ${usage}.`
        : `"${command.name}" takes ${expected.length ? expected.length : 'no'} positional ` +
            `argument${expected.length === 1 ? '' : 's'}; got ${positionals.length}. Usage: ${usage}.`,
    );
  }
  return { options, positionals, help };
}

/** `--operations`, the same in every command: a folder, a glob or a file (resolved by `src/cli/operations.ts`). */
export const OPERATIONS_OPTION = {
  type: 'string',
  placeholder: '<dir|glob>',
  description: "the .graphql operations: a folder, or a quoted glob such as 'app/**/*.graphql'",
  expandable: true,
} as const satisfies OptionSpec;

/** `--versions`, the same in every command. */
export const VERSIONS_OPTION = {
  type: 'string',
  placeholder: '<v1,v2>',
  description:
    "comma-separated API versions (default for an app's operations: the shipped ones Shopify supports today)",
} as const satisfies OptionSpec;

/** The options `schema check` and `schema diff` share: where the snapshots and the operations are, which versions. */
export const SCHEMA_OPTIONS = {
  'schema-dir': {
    type: 'string',
    placeholder: '<dir>',
    description: 'the folder of <version>.graphql snapshots (default: the schemas shipped in the package)',
  },
  operations: { ...OPERATIONS_OPTION, default: 'operations' },
  versions: VERSIONS_OPTION,
} as const satisfies Record<string, OptionSpec>;
