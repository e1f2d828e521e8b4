// Subscriptions for api/client.js.
// The live client: graphql-transport-ws over a websocket (connection_init with the token, one
// subscription, pings answered, reconnection with backoff), falling back to GraphQL over
// Server-Sent Events (POST /graphql/stream, read with fetch) when the websocket cannot connect:
// many government and newsroom networks pass only plain HTTP. `onNext` gets each payload;
// `variables()` is asked again at each (re)connection, so a feed resumes from its cursor.
// sessionStorage "transport" = "sse" forces the fallback (diagnostics, tests); the transport in
// use shows as <html data-live-transport>.

/** Consecutive websocket failures before the fallback. */
const WS_FAILURES_BEFORE_SSE = 2;

export function subscribe({ token, query, variables, onNext, onState }) {
  let closed = false;
  let delay = 500;
  let failures = 0;
  let socket = null;
  let abort = null;
  const state = (s) => onState && onState(s);
  const retry = (again) => {
    state("offline");
    if (closed) return;
    setTimeout(again, delay);
    delay = Math.min(delay * 2, 15000);
  };

  const overSse = async () => {
    abort = new AbortController();
    try {
      const resp = await fetch("/graphql/stream", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: variables() }),
        signal: abort.signal,
      });
      if (resp.status === 401) { state("offline"); return; }
      if (!resp.ok || !resp.body) throw new Error(`stream answered ${resp.status}`);
      delay = 500;
      document.documentElement.dataset.liveTransport = "sse";
      state("live");
      const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const raw = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let event = "", data = "";
          for (const line of raw.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data += line.slice(5).trimStart();
          }
          if (event === "next" && data) onNext(JSON.parse(data));
          if (event === "complete") return retry(overSse);
        }
      }
    } catch {
      if (closed) return;
    }
    retry(overSse);
  };

  const overWebSocket = () => {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql/ws`;
    let acked = false;
    socket = new WebSocket(url, "graphql-transport-ws");
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    socket.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "connection_ack") {
        acked = true;
        failures = 0;
        delay = 500;
        document.documentElement.dataset.liveTransport = "websocket";
        state("live");
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables: variables() } }));
      } else if (msg.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (msg.type === "next") {
        onNext(msg.payload);
      }
    };
    socket.onclose = (ev) => {
      if (closed || ev.code === 4403) { state("offline"); return; }
      if (!acked) failures += 1;
      retry(failures >= WS_FAILURES_BEFORE_SSE ? overSse : overWebSocket);
    };
  };

  if (sessionStorage.getItem("transport") === "sse") overSse();
  else overWebSocket();
  return {
    close() {
      closed = true;
      if (socket) socket.close();
      if (abort) abort.abort();
    },
  };
}
