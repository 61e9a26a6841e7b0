/** An executor's WebSocket to the server for tests: messages queue up until the test takes them. */
export type SocketMessage = Record<string, unknown> & { type: string };

export interface ExecutorSocket {
  socket: WebSocket;
  /** The next message; rejects when the socket closed with none left. */
  next(): Promise<SocketMessage>;
  /** Resolves with the close code. */
  closed: Promise<number>;
}

export function openExecutorSocket(serverUrl: string, headers: Record<string, string>): ExecutorSocket {
  const socket = new WebSocket(`${serverUrl.replace("http", "ws")}/executor/ws`, {
    headers,
  } as unknown as string[]);
  const inbox: SocketMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.addEventListener("message", (event) => {
    inbox.push(JSON.parse(String(event.data)) as SocketMessage);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const closed = new Promise<number>((resolve) =>
    socket.addEventListener("close", (event) => resolve(event.code)),
  );
  const next = async (): Promise<SocketMessage> => {
    while (inbox.length === 0) {
      const arrived = new Promise<void>((resolve) => waiters.push(resolve));
      const code = await Promise.race([arrived.then(() => null), closed]);
      if (code !== null && inbox.length === 0) throw new Error(`socket closed (${code}) with no message`);
    }
    return inbox.shift() as SocketMessage;
  };
  return { socket, next, closed };
}
