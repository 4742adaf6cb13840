// Demo data for `npm start`, created through the HTTP APIs themselves: a person in the Auth
// emulator who signed up the `demo` creator (the console's demo login), an API key they made, a
// product with three seats, and a licence for it. With kept data (`saved`, from the last run)
// the same API key and licence are used again as long as the server still knows them.
async function request(baseUrl, name, body, headers = {}) {
  const res = await fetch(`${baseUrl}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => ({})) };
}

async function post(baseUrl, name, body, headers = {}) {
  const { status, json } = await request(baseUrl, name, body, headers);
  if (status >= 300) throw new Error(`${name}: ${status} ${JSON.stringify(json)}`);
  return json;
}

export const DEMO_LOGIN = { email: 'demo@seatkey.test', password: 'seatkey-demo' };

/** The demo person's ID token from the Auth emulator: signed up on the first run, signed in after. */
async function demoIdToken(authHost) {
  const identity = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  const body = JSON.stringify({ ...DEMO_LOGIN, returnSecureToken: true });
  const headers = { 'content-type': 'application/json' };
  for (const call of ['accounts:signInWithPassword', 'accounts:signUp']) {
    const res = await fetch(`${identity}/${call}?key=demo-api-key`, { method: 'POST', headers, body });
    if (res.ok) return (await res.json()).idToken;
  }
  throw new Error('the Auth emulator refused the demo login');
}

/** `saved`: `{apiKey, licenseKey}` from the last run, reused while the server still accepts them. */
export async function seedDemo(baseUrl, authHost, saved = {}) {
  const creatorId = 'demo';
  const person = { authorization: `Bearer ${await demoIdToken(authHost)}` };
  const { account } = await post(baseUrl, 'getAccount', {}, person);
  if (!account) await post(baseUrl, 'createAccount', { creatorId, name: 'Demo Studio' }, person);
  const keptKey = saved.apiKey && (await request(baseUrl, 'listProducts', {}, { 'x-api-key': saved.apiKey })).status === 200;
  const apiKey = keptKey ? saved.apiKey : (await post(baseUrl, 'createApiKey', { name: 'npm start demo key' }, person)).apiKey;
  const productId = 'demo-app';
  const auth = { 'x-api-key': apiKey };
  const existing = await post(baseUrl, 'listProducts', { includeAll: true }, auth);
  if (!existing.products.some((p) => p.productId === productId)) {
    await post(baseUrl, 'createProduct', { name: 'Demo App', slug: productId, maxMachines: 3, portalEnabled: true, supportEmail: 'support@seatkey.test' }, auth);
  }
  const keptLicence = saved.licenseKey && (await request(baseUrl, 'getLicense', { licenseKey: saved.licenseKey }, auth)).status === 200;
  const licenseKey = keptLicence ? saved.licenseKey : (await post(baseUrl, 'createLicense', { email: 'buyer@example.com', productId }, auth)).licenseKey;
  return { creatorId, apiKey, productId, licenseKey, login: DEMO_LOGIN, kept: Boolean(keptKey) };
}
