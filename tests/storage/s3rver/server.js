// node server.js DIRECTORY [PORT]: a SigV4-checking S3 server on 127.0.0.1 for tests/storage; prints its port (0 = any free one).
const S3rver = require('@20minutes/s3rver');
const [directory, port = '0'] = process.argv.slice(2);
new S3rver({ directory, address: '127.0.0.1', port: Number(port), silent: true }).run().then((a) => console.log(a.port), (e) => { console.error(e); process.exit(1); });
process.stdin.on('end', () => process.exit(0)).resume(); // exits when whoever started it closes our stdin (or dies)
