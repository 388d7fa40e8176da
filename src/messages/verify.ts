/** Messages of Verify and its probes (src/tasks/verify.ts, src/probe, src/pipeline/verify-settings.ts). util.format placeholders; see src/messages/index.ts. */
export const verifyMessages = {
} as const satisfies Record<string, string>;
