/**
 * Every sentence a user can see, in one catalog: localizable the way Azure Pipelines tasks are.
 *
 * Library code calls `msg(<key>, ...args)`; the templates use util.format placeholders (`%s`, `%d`,
 * `%%` for a literal percent sign), which is what azure-pipelines-task-lib's `loc()` formats with. The
 * build writes the whole catalog into each bundled task.json `messages` (and so into task.loc.json and
 * Strings/resources.resjson/en-US), and the pipeline adapter installs task-lib's `loc()` as the
 * translator, so an agent with another System.Culture shows that culture's resources.resjson strings.
 * Without a translator (tests, the library on its own) the English template is used.
 *
 * Keys are PascalCase with an area prefix (Model_, Verify_, Task_, Platform_, Cli_); each area keeps its own
 * catalog file. A key that does not exist is a compile error.
 *
 * The command line's sentences (Cli_, src/messages/cli.ts) are not part of MESSAGES, which every task
 * bundle carries whole: only the command line's bundle holds them, and installs them as its translator
 * (installCliMessages), since it has no other culture to translate to.
 */
import { format } from 'node:util';
import { modelMessages } from './model';
import { platformMessages } from './platform';
import { taskMessages } from './tasks';
import { verifyMessages } from './verify';
import type { cliMessages } from './cli';

export const MESSAGES = { ...modelMessages, ...platformMessages, ...taskMessages, ...verifyMessages } as const;

export type MessageKey = keyof typeof MESSAGES;
/** The command line's keys: said only once src/messages/cli.ts has installed them. */
export type CliMessageKey = keyof typeof cliMessages;
export type MessageArg = string | number;

type Translator = (key: MessageKey, args: MessageArg[]) => string;
let translator: Translator | undefined;

/** The pipeline adapter installs task-lib's loc() here; tests may install a fake. */
export function setMessageTranslator(fn: Translator | undefined): void {
  translator = fn;
}

/** The sentence for `key`, in the agent's culture when a translator is installed. */
export function msg(key: MessageKey | CliMessageKey, ...args: MessageArg[]): string {
  if (translator) {
    const text = translator(key as MessageKey, args);
    if (text && text !== key) return text;
  }
  return format(MESSAGES[key as MessageKey], ...args);
}
