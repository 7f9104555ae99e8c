import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UserError } from './user-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs`, with its errors turned into one-line user errors. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('. ')[0] ?? 'bad arguments';
    throw new UserError(message.replace(/^Unknown option/, 'unknown option'));
  }
}
