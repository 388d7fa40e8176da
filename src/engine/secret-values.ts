import type { SecretSink } from '../core/secrets';

/** Register every secret value of a credentials object (CustomKeys: every value of `keys`). */
export function registerSecretValues(
  credentials: Record<string, unknown> | undefined,
  secretKeys: ReadonlySet<string>,
  sink: SecretSink,
): void {
  for (const [k, v] of Object.entries(credentials ?? {})) if (secretKeys.has(k)) addDeep(v, sink);
}

function addDeep(value: unknown, sink: SecretSink): void {
  if (typeof value === 'string') sink.add(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) addDeep(v, sink);
}
