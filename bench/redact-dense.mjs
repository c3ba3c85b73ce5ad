/**
 * Redaction of one dense string, two kinds: mixed (e-mails, phone numbers, cards; every e-mail
 * distinct, phones repeating every 9,000, one card) and e-mails only (every one distinct), the
 * worst cases of the 0.1 redactor (quadratic in the matches of one string). Measured, never
 * asserted.   node bench/redact-dense.mjs [MB ...]   (after `npm run build`; default 2 20)
 */
import { redactValue } from '../dist/datasets/redaction/redact.js';

const kinds = {
  mixed: (i) => `contact jane.doe${i}@example.com or call +1 415 555 ${String(1000 + (i % 9000))}, card 4111 1111 1111 1111. `,
  'e-mails': (i) => `user${i}@example.com, `,
};
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const mb of sizes.length ? sizes : [2, 20]) {
  for (const [name, unit] of Object.entries(kinds)) {
    const parts = [];
    let len = 0;
    for (let i = 0; len < mb * 1024 * 1024; i++) {
      const u = unit(i);
      parts.push(u);
      len += u.length;
    }
    const text = parts.join('');
    const t0 = performance.now();
    const { counts } = redactValue({ output: text }, { salt: 'ab' });
    const found = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`${mb} MB ${name}: ${found} values redacted in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
}
