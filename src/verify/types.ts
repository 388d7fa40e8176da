/** What Verify finds, per connection and in total. */
import type { SourceLocation } from '../core/errors';
import type { WorkspaceRef } from '../arm/types';
import type { FieldChange } from '../engine/types';
import type { ProbeResult } from '../probe';

export type FailOn = 'any' | 'missing' | 'none';
export type VerifyStatus = 'verified' | 'warning' | 'drifted' | 'missing' | 'failed';

export type Check = 'exists' | 'hub' | 'network' | 'drift' | 'credentials' | 'expiry' | 'probe' | 'testconnection';
export type Level = 'ok' | 'info' | 'warning' | 'error';

export interface Finding {
  check: Check;
  level: Level;
  /** one plain sentence, never a secret */
  message: string;
}

export interface VerifyItem {
  name: string;
  status: VerifyStatus;
  category?: string;
  authType?: string;
  /** the target, credentials written into it shown as `***` */
  target?: string;
  expiryTime?: string;
  /** the connection's private endpoint needs: `Required`, `NotRequired`, `NotApplicable` */
  peRequirement?: string;
  /** the service's state of that endpoint: `Active`, `Inactive`, `NotApplicable` */
  peStatus?: string;
  /** a hub's connection listed through one of its projects: the hub */
  sharedFrom?: WorkspaceRef;
  /** where the connection is declared (connectionFiles) */
  location?: SourceLocation;
  /** drift: what differs from the file (secret fields carry no values) */
  changes: FieldChange[];
  findings: Finding[];
  probe?: ProbeResult;
}

export interface VerifyCounts {
  /** verified, including those with warnings */
  verified: number;
  warnings: number;
  drifted: number;
  missing: number;
  failed: number;
}
