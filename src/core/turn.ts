/** Settles on the event loop's next turn, once the I/O that is ready has been handled: long CPU work gives way with it. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
