import assert from "node:assert/strict";
import { BlockedUrlError } from "./blocked_url_error.ts";
import { checkUrl, isHostAllowed, resolveAndCheck } from "./check_url.ts";

const KEYS = {
  allowPrivate: "attachments.allow_private_hosts",
  allowedHosts: "attachments.hosts",
};

function resolver(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = (host: string) => {
    asked.push(host);
    const addresses = table[host];
    return addresses ? Promise.resolve(addresses) : Promise.reject(new Error("NXDOMAIN"));
  };
  return { resolve, asked };
}

async function refusal(promise: Promise<unknown>): Promise<BlockedUrlError> {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(error instanceof BlockedUrlError, `expected a BlockedUrlError, got ${error}`);
  return error;
}

Deno.test("checkUrl() refuses a loopback literal with the URL, the address and the setting", async () => {
  const error = await refusal(checkUrl("http://127.0.0.1:8080/x", { configKeys: KEYS }));
  assert.equal(
    error.message,
    'Refused "http://127.0.0.1:8080/x": loopback address 127.0.0.1 ' +
      "(set attachments.allow_private_hosts = true to allow private hosts)",
  );
  assert.equal(error.name, "BlockedUrlError");
  assert.equal(error.url, "http://127.0.0.1:8080/x");
  assert.equal(error.reason, "loopback address 127.0.0.1");
});

Deno.test("checkUrl() sees through the URL parser's other spellings of loopback", async () => {
  for (const url of ["https://2130706433/", "https://0x7f.1/", "https://[::ffff:127.0.0.1]/"]) {
    const error = await refusal(checkUrl(url));
    assert.match(error.reason, /^loopback address/, url);
  }
  assert.equal(
    (await refusal(checkUrl("https://[fe80::1]/"))).reason,
    "link-local address fe80::1",
  );
});

Deno.test("checkUrl() refuses localhost names without asking DNS", async () => {
  const { resolve, asked } = resolver({});
  for (const url of ["https://localhost/", "https://LOCALHOST./a", "https://api.localhost:9/"]) {
    const error = await refusal(checkUrl(url, { resolve }));
    assert.match(error.reason, /^loopback host "(api\.)?localhost"$/, url);
  }
  assert.deepEqual(asked, []);
});

Deno.test("checkUrl() refuses a name when any one of its addresses is private", async () => {
  const { resolve } = resolver({ "mixed.example": ["93.184.215.14", "2001:db8::5", "10.0.0.7"] });
  const error = await refusal(checkUrl("https://mixed.example/f", { resolve }));
  assert.equal(error.reason, "documentation address 2001:db8::5");
});

Deno.test("checkUrl() accepts a public name and returns its addresses", async () => {
  const { resolve, asked } = resolver({ "files.example": ["93.184.215.14", "2606:4700::1"] });
  const checked = await checkUrl("https://Files.Example./a%20b.png", { resolve });
  assert.equal(checked.host, "files.example");
  assert.deepEqual(checked.addresses, ["93.184.215.14", "2606:4700::1"]);
  assert.equal(checked.private, false);
  assert.equal(checked.url.pathname, "/a%20b.png");
  assert.deepEqual(asked, ["files.example"]);
});

Deno.test("resolveAndCheck() reports a name that does not resolve or has no address", async () => {
  const { resolve } = resolver({ "empty.example": [] });
  assert.equal(
    (await refusal(resolveAndCheck("nowhere.example", { resolve }))).reason,
    'cannot resolve host "nowhere.example": NXDOMAIN',
  );
  assert.equal(
    (await refusal(resolveAndCheck("empty.example", { resolve }))).reason,
    'host "empty.example" has no address',
  );
  const garbage = resolver({ "odd.example": ["not-an-ip"] }).resolve;
  assert.equal(
    (await refusal(checkUrl("https://odd.example/", { resolve: garbage }))).reason,
    'host "odd.example" resolved to "not-an-ip"',
  );
});

Deno.test("checkUrl() leaves a name its resolver cannot answer to the connection", async () => {
  // The system resolver the connection uses may know it (/etc/hosts); the peer check judges.
  const { resolve } = resolver({ "empty.example": [] });
  for (const url of ["https://nowhere.example/", "http://empty.example/"]) {
    const checked = await checkUrl(url, { resolve });
    assert.deepEqual(checked.addresses, []);
  }
});

Deno.test("checkUrl() allows private hosts, and plain http to them, only when told", async () => {
  const { resolve } = resolver({ "nas.lan": ["192.168.1.20"], "pub.example": ["8.8.8.8"] });
  const checked = await checkUrl("http://nas.lan:8080/f", { resolve, allowPrivate: true });
  assert.equal(checked.private, true);
  const local = await checkUrl("http://localhost/", { allowPrivate: true });
  assert.deepEqual(local.addresses, ["127.0.0.1", "::1"]);
  const error = await refusal(checkUrl("http://pub.example/", { resolve, allowPrivate: true }));
  assert.equal(
    error.message,
    'Refused "http://pub.example/": plain http is not allowed (use https)',
  );
  assert.ok(await checkUrl("http://pub.example/", { resolve, allowHttp: true }));
});

Deno.test("checkUrl() refuses schemes other than http and https, and non-URLs", async () => {
  for (const url of ["file:///etc/passwd", "ftp://files.example/a", "data:text/plain,hi"]) {
    assert.match((await refusal(checkUrl(url))).reason, /^scheme ".+" is not allowed/, url);
  }
  assert.equal((await refusal(checkUrl("not a url"))).reason, "not a valid URL");
});

Deno.test("checkUrl() refuses a host outside the allow-list before resolving it", async () => {
  const { resolve, asked } = resolver({ "evil.example": ["8.8.8.8"] });
  const error = await refusal(
    checkUrl("https://evil.example/x", {
      resolve,
      allowedHosts: ["files.example"],
      configKeys: KEYS,
    }),
  );
  assert.equal(
    error.message,
    'Refused "https://evil.example/x": host "evil.example" is not allowed ' +
      "(add it to attachments.hosts)",
  );
  assert.deepEqual(asked, []);
});

Deno.test("isHostAllowed() matches host, host:port, bracketed IPv6 and *.domain entries", () => {
  const list = [
    "upload.example.org",
    "files.example:8443",
    "[::1]:5281",
    "*.cdn.example",
    "127.0.0.1",
  ];
  const allowed = (url: string) => isHostAllowed(new URL(url), list);
  assert.equal(allowed("https://UPLOAD.example.org/a"), true);
  assert.equal(allowed("https://upload.example.org:1234/a"), true);
  assert.equal(allowed("https://example.org/a"), false);
  assert.equal(allowed("https://evilupload.example.org/a"), false);
  assert.equal(allowed("https://files.example:8443/a"), true);
  assert.equal(allowed("https://files.example/a"), false);
  assert.equal(allowed("http://[::1]:5281/a"), true);
  assert.equal(allowed("http://[::1]:5280/a"), false);
  assert.equal(allowed("https://a.b.cdn.example/x"), true);
  assert.equal(allowed("https://cdn.example/x"), false);
  assert.equal(allowed("https://evilcdn.example/x"), false);
  assert.equal(allowed("http://127.0.0.1:4444/x"), true);
  assert.equal(isHostAllowed(new URL("https://files.example:443/"), ["files.example:443"]), true);
});

Deno.test("resolveAndCheck() names the URL it was given in the refusal", async () => {
  const error = await refusal(
    resolveAndCheck("[::1]", { url: "https://[::1]/x", configKeys: { allowPrivate: "k" } }),
  );
  assert.equal(
    error.message,
    'Refused "https://[::1]/x": loopback address ::1 (set k = true to allow private hosts)',
  );
});
