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

/**
 * The items of `source` with the first one already asked for: a generator starts its work (a git
 * process it spawns) when first asked, so this starts it now. An error of the source's surfaces when
 * its items are read; `return()` stops the source, read or not.
 */
export function askedAhead<T>(source: AsyncIterable<T>): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<T>> | undefined = iterator.next();
  first.catch(() => undefined); // handled when read; avoids an "unhandled rejection" meanwhile
  const started: AsyncIterableIterator<T> = {
    next: () => {
      const next = first ?? iterator.next();
      first = undefined;
      return next;
    },
    return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
    [Symbol.asyncIterator]: () => started,
  };
  return started;
}

/**
 * The items of `source`, its reading started now (askedAhead) and the event loop turned once, so the
 * source has reached its first wait (a git process it started, the disk) when this resolves, and work
 * the caller does next runs while that wait lasts.
 */
export async function startReading<T>(source: AsyncIterable<T>): Promise<AsyncIterableIterator<T>> {
  const started = askedAhead(source);
  await new Promise((resolve) => setImmediate(resolve));
  return started;
}
