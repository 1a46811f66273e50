// isomorphic-git driver for the conformance suite.
//   node iso.js clone <url> <dir> [depth] [ref]
//   node iso.js fetch <dir> [ref]
//   node iso.js push <dir> <ref> [force|delete]
//   node iso.js ls-remote <url>
// Prints one JSON line with the result; exits 1 (message on stderr) when isomorphic-git throws.
'use strict';
const fs = require('fs');
const git = require('isomorphic-git');
const http = require('isomorphic-git/http/node');

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const onMessage = (m) => process.stderr.write(`remote: ${m}`);
  switch (cmd) {
    case 'clone': {
      const [url, dir, depth, ref] = args;
      await git.clone({
        fs, http, dir, url, onMessage,
        depth: depth && depth !== '0' ? Number(depth) : undefined,
        ref: ref || undefined,
        singleBranch: Boolean(ref),
      });
      const head = await git.resolveRef({ fs, dir, ref: 'HEAD' }).catch(() => null); // null: empty repository
      return { head };
    }
    case 'fetch': {
      const [dir, ref] = args;
      const r = await git.fetch({ fs, http, dir, onMessage, ref: ref || undefined, tags: true });
      return { fetchHead: r.fetchHead, defaultBranch: r.defaultBranch };
    }
    case 'push': {
      const [dir, ref, mode] = args;
      const r = await git.push({
        fs, http, dir, onMessage, remote: 'origin', ref,
        force: mode === 'force', delete: mode === 'delete',
      });
      return r;
    }
    case 'ls-remote': {
      const [url] = args;
      const info = await git.getRemoteInfo2({ http, url, protocolVersion: 1 });
      return info;
    }
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

main().then(
  (r) => { process.stdout.write(JSON.stringify(r) + '\n'); },
  (e) => { process.stderr.write(`isomorphic-git error: ${e && e.stack || e}\n${e && e.data ? JSON.stringify(e.data) : ''}\n`); process.exit(1); },
);
