/**
 * Applies `fn` to each item with at most `limit` calls in flight and yields the results in input
 * order, so a big tree never has thousands of files open at once. `fn` should not reject: a
 * rejection surfaces only when its turn to be yielded comes.
 */
export async function* mapOrdered<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  const start = (item: T): void => {
    const running = fn(item);
    running.catch(() => undefined); // handled when yielded; avoids an "unhandled rejection" meanwhile
    window.push(running);
  };
  for await (const item of items) {
    start(item);
    const oldest = window.length >= limit ? window.shift() : undefined;
    if (oldest) yield await oldest;
  }
  for (let next = window.shift(); next; next = window.shift()) yield await next;
}
