/** Messages of sign-in, ARM, the engine and core (src/auth, src/arm, src/engine, src/core). util.format placeholders; see src/messages/index.ts. */
export const platformMessages = {
} as const satisfies Record<string, string>;
