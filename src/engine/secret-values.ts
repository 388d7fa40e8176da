import type { ConnectionProperties } from '../arm/types';
import type { SecretSink } from '../core/secrets';
import { registerTargetSecrets, type TargetSecret } from '../core/target-secrets';

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

/** A credential written into a stored connection's text: its target or a metadata value. */
export interface TextSecrets {
  /** `target` or `metadata.<key>` */
  field: string;
  found: TargetSecret[];
}

/**
 * Registers every credential written into a connection's target or metadata values (a password in the user
 * information, `?sig=`, `;Password=`) read from ARM, before anything could print them; returns where they are.
 */
export function registerTextSecrets(properties: ConnectionProperties, sink: SecretSink): TextSecrets[] {
  const out: TextSecrets[] = [];
  const found = registerTargetSecrets(properties.target, sink);
  if (found.length) out.push({ field: 'target', found });
  for (const [key, value] of Object.entries(properties.metadata ?? {})) {
    if (typeof value !== 'string') continue;
    const inMeta = registerTargetSecrets(value, sink);
    if (inMeta.length) out.push({ field: `metadata.${key}`, found: inMeta });
  }
  return out;
}
