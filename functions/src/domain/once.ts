// A lazy import (or any async load) run once per instance, and again only after it failed: an
// `import()` of a module already loaded still costs a resolution on every call.

/** `load`, called on first use and shared from then on; a failure is not kept. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (!loaded) {
      loaded = load();
      loaded.catch(() => (loaded = undefined));
    }
    return loaded;
  };
}
