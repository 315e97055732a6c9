// libuv's thread pool (4 threads) hashing 32 keys concurrently; the digests
// are printed in order once all are done, so the output is deterministic.
const crypto = require("crypto");
const results = new Array(32);
let left = results.length;
for (let i = 0; i < results.length; i++) {
  crypto.pbkdf2("password", "salt" + i, 20000, 16, "sha256", (err, key) => {
    if (err) throw err;
    results[i] = key.toString("hex");
    if (--left === 0) console.log(results.join("\n"));
  });
}
