/**
 * The bare relay's executor (bench/scenarios/relay.ts): connects to the relay server's WebSocket and
 * answers every command at once with an empty successful result, as Kubently's echo runner does.
 */
const socket = new WebSocket(`ws://127.0.0.1:${process.argv[2]}/executor`);
socket.addEventListener("message", (event) => {
  const { id, command } = JSON.parse(String(event.data)) as { id: number; command: unknown };
  socket.send(JSON.stringify({ id, result: { exit_code: 0, stdout: "", stderr: "", command } }));
});
