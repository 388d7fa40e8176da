/**
 * Run `fn` over `items` with at most `maxParallel` calls in flight, in order of start.
 * `fn` is expected to handle its own errors; if one throws anyway, the others still finish
 * and the first error is rethrown afterwards.
 */
export async function runPool<T>(
  items: readonly T[],
  maxParallel: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const limit = Number.isFinite(maxParallel) && maxParallel >= 1 ? Math.floor(maxParallel) : 1;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
