// The local inbox of `npm start`: watches the Firestore emulator's `mail` collection (the Trigger
// Email extension's queue; nothing sends it locally) and reports each buyer email queued after
// the watch began. Reads through the emulator's REST API as its owner (`Bearer owner`), which
// bypasses the rules that deny every client.
const value = (v) => v?.stringValue ?? v?.timestampValue ?? v?.arrayValue?.values?.map(value).join(', ');

/**
 * Calls `onMail({to, subject, licenseKey, productId, kind, link, id})` for each new mail document
 * (`link`: a portal sign-in email's link); returns a stop function.
 */
export function watchMail(host, project, onMail, { everyMs = 1500 } = {}) {
  const since = new Date().toISOString();
  const seen = new Set();
  const url = `http://${host}/v1/projects/${project}/databases/(default)/documents:runQuery`;
  const query = {
    structuredQuery: {
      from: [{ collectionId: 'mail' }],
      where: { fieldFilter: { field: { fieldPath: 'createdAt' }, op: 'GREATER_THAN_OR_EQUAL', value: { timestampValue: since } } },
      orderBy: [{ field: { fieldPath: 'createdAt' }, direction: 'ASCENDING' }],
    },
  };
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
        body: JSON.stringify(query),
      });
      if (!res.ok) return;
      for (const { document } of await res.json()) {
        if (!document || seen.has(document.name)) continue;
        seen.add(document.name);
        const f = document.fields ?? {};
        onMail({
          id: document.name.split('/').pop(),
          to: value(f.to),
          subject: value(f.message?.mapValue?.fields?.subject),
          licenseKey: value(f.licenseKey),
          productId: value(f.productId),
          kind: value(f.kind),
          link: value(f.kind) === 'portal-link' ? value(f.message?.mapValue?.fields?.text)?.match(/https?:\/\/\S+/)?.[0] : undefined,
        });
      }
    } catch {
      // The emulator is starting or stopping: try again on the next tick.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
