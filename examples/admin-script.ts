// A creator's backend script with @seatkey/admin: makes a product (or finds it made) and a
// licence for a buyer, and prints the key. Against `npm start`, with its export lines pasted:
//   node --import tsx examples/admin-script.ts buyer@example.com
// SEATKEY_BASE_URL (or BASE) says where Seatkey is, SEATKEY_API_KEY (or KEY) which creator acts.
import { createAdminClient } from '@seatkey/admin';

const baseUrl = process.env.SEATKEY_BASE_URL ?? process.env.BASE;
const apiKey = process.env.SEATKEY_API_KEY ?? process.env.KEY;
const email = process.argv[2];
const slug = process.env.SEATKEY_PRODUCT_ID ?? 'photo-app';
if (!baseUrl || !apiKey || !email) {
  console.error('usage: SEATKEY_BASE_URL=… SEATKEY_API_KEY=sk_… node --import tsx examples/admin-script.ts <buyer email>');
  process.exit(2);
}

const seatkey = createAdminClient({ baseUrl, apiKey });

const product = await seatkey.POST('/createProduct', { body: { name: 'Photo App', slug, maxMachines: 3 } });
// 409: made on an earlier run, which is fine.
if (product.error && product.error.code !== 'conflict') throw new Error(`createProduct: ${product.error.code}: ${product.error.error}`);

const { data, error } = await seatkey.POST('/createLicense', { body: { productId: slug, email } });
if (error) throw new Error(`createLicense: ${error.code}: ${error.error}`);
console.log(`Licence for ${data.license.email} on ${data.license.productId}: ${data.licenseKey} (${data.license.maxMachines} machines)`);
