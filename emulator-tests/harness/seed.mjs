// Demo data for `npm start`, created through the HTTP API itself: a creator with an API key,
// a product with three seats, and a licence for it.
async function post(baseUrl, name, body, headers = {}) {
  const res = await fetch(`${baseUrl}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${name}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function seedDemo(baseUrl, adminSecret) {
  const creatorId = 'demo';
  const { apiKey } = await post(baseUrl, 'createApiKey', { creatorId, name: 'npm start demo key' }, { 'x-admin-secret': adminSecret });
  const productId = 'demo-app';
  const auth = { 'x-api-key': apiKey };
  const existing = await post(baseUrl, 'listProducts', { includeAll: true }, auth);
  if (!existing.products.some((p) => p.productId === productId)) {
    await post(baseUrl, 'createProduct', { name: 'Demo App', slug: productId, maxMachines: 3 }, auth);
  }
  const { licenseKey } = await post(baseUrl, 'createLicense', { email: 'buyer@example.com', productId }, auth);
  return { creatorId, apiKey, productId, licenseKey };
}
