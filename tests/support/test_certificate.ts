/**
 * Self-signed certificates (for `localhost` unless another name is asked), made once per name
 * and test process with openssl.
 *
 * @module
 */

/** PEM text of a certificate and its unencrypted private key. */
export interface TestCertificate {
  /** The certificate (`basicConstraints=critical,CA:FALSE`, SAN `DNS:localhost`). */
  cert: string;
  /** The private key matching {@linkcode TestCertificate.cert}. */
  key: string;
}

const cached = new Map<string, Promise<TestCertificate>>();

/**
 * Returns the process-wide test certificate, generating it on first use.
 *
 * The certificate says `CA:FALSE` on purpose: OpenSSL 3 marks a self-signed certificate as a
 * CA by default, and Deno's TLS then rejects it with a misleading "self-signed" error.
 *
 * @param hostname The name the certificate is for. @default {"localhost"}
 * @returns The PEM texts; the same object for every call with that name in this process.
 * @throws {Error} When openssl is missing or fails (the message carries its output).
 */
export function testCertificate(hostname = "localhost"): Promise<TestCertificate> {
  let certificate = cached.get(hostname);
  if (certificate === undefined) {
    certificate = generate(hostname);
    cached.set(hostname, certificate);
    certificate.catch(() => cached.delete(hostname));
  }
  return certificate;
}

async function generate(hostname: string): Promise<TestCertificate> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-test-cert-" });
  try {
    const certFile = `${dir}/localhost.crt`;
    const keyFile = `${dir}/localhost.key`;
    const output = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "3650",
        "-subj",
        `/CN=${hostname}`,
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-addext",
        `subjectAltName=DNS:${hostname}`,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      const text = new TextDecoder().decode(output.stderr).trim();
      throw new Error(`Cannot make a test certificate with openssl: ${text}`);
    }
    return { cert: await Deno.readTextFile(certFile), key: await Deno.readTextFile(keyFile) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
