// A small graphql-transport-ws client: connection_init with the token, one subscription,
// pings answered, and reconnection with backoff. `onNext` gets each payload.
export function subscribe({ token, query, variables, onNext, onState }) {
  let socket, closed = false, delay = 500;
  const connect = () => {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql/ws`;
    socket = new WebSocket(url, "graphql-transport-ws");
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    socket.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "connection_ack") {
        delay = 500;
        onState && onState("live");
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables: variables() } }));
      } else if (msg.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (msg.type === "next") {
        onNext(msg.payload);
      }
    };
    socket.onclose = (ev) => {
      onState && onState("offline");
      if (closed || ev.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  };
  connect();
  return { close() { closed = true; socket && socket.close(); } };
}
