/**
 * `load`, called at most once per key: concurrent and later calls share the first call's promise. A failed load is
 * forgotten, so the next call (an activity's retry) asks again. The registry clients read each document once this way.
 */
export function onceEach<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let p = cache.get(key);
    if (!p) {
      p = load(key);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  };
}
