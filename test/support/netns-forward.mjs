// A tiny TCP forwarder: node netns-forward.mjs <listenHost> <listenPort> <targetHost> <targetPort>
// Run inside a network namespace (`ip netns exec <ns> node netns-forward.mjs …`) so a browser there
// reaches the app as http://127.0.0.1:<port> (a secure context) while its packets cross the shaped veth.
// Prints "listening" once bound; exits when its stdin closes (the test process died) or on SIGTERM.
import net from 'node:net';

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
const sockets = new Set();
const server = net.createServer((client) => {
  const upstream = net.connect(Number(targetPort), targetHost);
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.setNoDelay(true);
    s.on('error', () => {
      client.destroy();
      upstream.destroy();
    });
    s.on('close', () => sockets.delete(s));
  }
  client.pipe(upstream);
  upstream.pipe(client);
});
server.on('error', (e) => {
  process.stderr.write(`forwarder: ${e.message}\n`);
  process.exit(1);
});
server.listen(Number(listenPort), listenHost, () => process.stdout.write('listening\n'));
const quit = () => {
  server.close();
  for (const s of sockets) s.destroy();
  process.exit(0);
};
process.stdin.on('end', quit);
process.stdin.on('error', quit);
process.stdin.resume();
process.on('SIGTERM', quit);
