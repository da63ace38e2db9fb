// keyfiles.js reads the Sign section's chosen key files into bytes for
// socred.loadKey (a PEM key and certificate, or PKCS#12 and its password),
// says which picker a key problem is about, and wipes the bytes once used.

export const maxFile = 64 << 10; // bytes, as the module's MaxKeyInput

async function bytesOf(input) {
  const f = input.files && input.files[0];
  if (!f) return null;
  if (f.size > maxFile) {
    const e = new RangeError("too large");
    e.file = f.name;
    throw e;
  }
  return new Uint8Array(await f.arrayBuffer());
}
const latin1 = (b) => new TextDecoder("latin1").decode(b);
const isPEM = (b) => /^\s*(\ufeff)?-----BEGIN /.test(latin1(b.subarray(0, 64)));

// keySource reads the chosen files of ui {keyIn, certIn, pw}: {key,
// certificate} for PEM, {pkcs12, password} otherwise; null when no key
// file is chosen. A file over maxFile throws a RangeError with its name
// in .file.
export async function keySource(ui) {
  const key = await bytesOf(ui.keyIn);
  if (!key) return null;
  if (!isPEM(key)) return { pkcs12: key, password: ui.pw.value };
  let cert = await bytesOf(ui.certIn);
  if (!cert && latin1(key).includes("-----BEGIN CERTIFICATE-----")) cert = key.slice();
  return { key, certificate: cert || "" };
}

// wipe overwrites a source's bytes with zeros.
export function wipe(src) {
  for (const v of Object.values(src || {})) if (v instanceof Uint8Array) v.fill(0);
}

// inputFor says which picker of ui a key problem (its code) is about.
export function inputFor(ui, code, src) {
  if (code === "wrong-password") return ui.pw;
  if (src && src.key && ["no-certificate", "expired", "not-yet-valid", "key-mismatch"].includes(code) && ui.certIn.files.length) return ui.certIn;
  return ui.keyIn;
}
