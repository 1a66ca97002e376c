import { ConfigError } from './errors';

/** Path of a shipped config file, independent of the working directory. */
export const shippedConfig = (region: 'us' | 'cn'): string => `${__dirname}/../../../config/${region}.yaml`;

/** Runs `fn`, expects a ConfigError, and returns it (fails the test otherwise). */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}
