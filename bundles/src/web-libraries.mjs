// Popular npm packages that need the Web platform APIs of the sandbox: uuid and nanoid (crypto.getRandomValues,
// crypto.randomUUID), jose (crypto.subtle, TextEncoder, atob), date-fns. The handler verifies the two JWTs of the
// request body, an HS256 one with the shared secret and an ES256 one with the public JWK, signs an ES256 JWT with the
// request's PKCS #8 private key, seals and opens a JWE with a generated AES-GCM key, generates key pairs to sign an
// EdDSA JWT (answering its public key as PEM and JWK) and to seal and open JWEs with ECDH-ES (P-256 and X25519),
// RSA-OAEP-256 and ECDH-ES+A256KW, seals and opens one with a password (PBES2, AES-KW), and answers what it found.
import { v4 as uuidv4, v7 as uuidv7, validate as uuidValidate, version as uuidVersion } from 'uuid';
import { nanoid, customAlphabet } from 'nanoid';
import { jwtVerify, importJWK, importPKCS8, SignJWT, CompactEncrypt, compactDecrypt, generateSecret, generateKeyPair,
  exportSPKI, exportJWK } from 'jose';
import { addDays, formatISO, differenceInCalendarDays, parseISO, format } from 'date-fns';

export async function handler(event) {
  const input = JSON.parse(event.body);
  const secret = new TextEncoder().encode(input.secret);
  const hs = await jwtVerify(input.hs256, secret, { algorithms: ['HS256'], issuer: 'code-sous-test' });
  const es = await jwtVerify(input.es256, await importJWK(input.jwk, 'ES256'), { algorithms: ['ES256'] });
  let tampered;
  try {
    await jwtVerify(input.hs256.slice(0, -2) + (input.hs256.endsWith('AA') ? 'BB' : 'AA'), secret);
    tampered = 'accepted';
  } catch (error) {
    tampered = error.code;
  }
  const signed = await new SignJWT({ n: 1 }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  const roundTrip = (await jwtVerify(signed, secret)).payload.n;
  const privateKey = await importPKCS8(input.pkcs8, 'ES256');
  const es256Signed = await new SignJWT({ sub: 'signed-here' }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
  const aes = await generateSecret('A256GCM');
  const jwe = await new CompactEncrypt(new TextEncoder().encode('sealed'))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(aes);
  const opened = new TextDecoder().decode((await compactDecrypt(jwe, aes)).plaintext);
  const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const edSigned = await new SignJWT({ sub: 'ed-here' }).setProtectedHeader({ alg: 'EdDSA' }).sign(ed.privateKey);
  const sealed = async (alg, options) => {
    const pair = await generateKeyPair(alg, options);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(alg + ' sealed'))
      .setProtectedHeader({ alg, enc: 'A256GCM', ...(options ? { crv: options.crv } : {}) }).encrypt(pair.publicKey);
    return new TextDecoder().decode((await compactDecrypt(jwe, pair.privateKey)).plaintext);
  };
  const sealedWithPassword = async () => {
    const password = new TextEncoder().encode('correct horse battery staple');
    const jwe = await new CompactEncrypt(new TextEncoder().encode('PBES2 sealed'))
      .setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128CBC-HS256' }).encrypt(password);
    // jose opens a password-sealed JWE only when asked to
    const options = { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] };
    return new TextDecoder().decode((await compactDecrypt(jwe, password, options)).plaintext);
  };
  const id4 = uuidv4();
  const id7 = uuidv7();
  const day = parseISO('2024-02-27');
  const result = {
    uuid: [uuidValidate(id4), uuidVersion(id4), uuidValidate(id7), uuidVersion(id7), id4 !== uuidv4()],
    nanoid: [nanoid().length, /^[A-Za-z0-9_-]+$/.test(nanoid()), customAlphabet('ab', 8)().replace(/[ab]/g, '')],
    jose: [hs.payload.sub, hs.protectedHeader.alg, es.payload.sub, es.protectedHeader.alg, tampered, roundTrip],
    joseKeys: [es256Signed, opened, jwe.split('.').length],
    josePairs: [edSigned, await exportSPKI(ed.publicKey), (await exportJWK(ed.publicKey)).crv,
      await sealed('ECDH-ES', { crv: 'P-256' }), await sealed('ECDH-ES', { crv: 'X25519' }), await sealed('RSA-OAEP-256'),
      await sealed('ECDH-ES+A256KW', { crv: 'P-256' }), await sealedWithPassword()],
    dateFns: [formatISO(addDays(day, 3), { representation: 'date' }), differenceInCalendarDays(addDays(day, 3), day),
      format(day, 'EEEE d MMMM yyyy')],
  };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
}
