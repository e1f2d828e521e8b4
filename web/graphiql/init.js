// GraphiQL served from the binary (web/vendor, no CDN). Queries and mutations go to
// POST /graphql; subscriptions to /graphql/ws (graphql-transport-ws), with the token from the
// Headers tab ({"Authorization": "Bearer …"}) sent in connection_init. A token the web app
// holds in this tab is filled in for you.
/* global React, ReactDOM, GraphiQL */
"use strict";

/** @param {string} query */
function isSubscription(query) {
  return /(^|[}\s])subscription\b/.test(query.replace(/#[^\n]*/g, ""));
}

/** @param {Record<string, string>} headers */
function authorization(headers) {
  for (const [k, v] of Object.entries(headers || {})) {
    if (k.toLowerCase() === "authorization") return v;
  }
  return undefined;
}

/** The results of one subscription over graphql-transport-ws, as an async iterator. */
function subscribe(params, headers) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${scheme}//${location.host}/graphql/ws`, "graphql-transport-ws");
  const queue = [];
  let wake = null;
  let done = false;
  const push = (item) => {
    queue.push(item);
    if (wake) { wake(); wake = null; }
  };
  const finish = () => { done = true; push(null); };
  ws.onopen = () => {
    const auth = authorization(headers);
    ws.send(JSON.stringify({ type: "connection_init", payload: auth ? { authorization: auth } : {} }));
  };
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === "connection_ack") {
      ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: params }));
    } else if (msg.type === "next") {
      push(msg.payload);
    } else if (msg.type === "error") {
      push({ errors: msg.payload });
      finish();
    } else if (msg.type === "complete") {
      finish();
    } else if (msg.type === "ping") {
      ws.send(JSON.stringify({ type: "pong" }));
    }
  };
  ws.onclose = (event) => {
    if (!done) {
      push({ errors: [{ message: `the connection closed (${event.code}) ${event.reason}` }] });
      finish();
    }
  };
  return {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          while (queue.length === 0) await new Promise((resolve) => { wake = resolve; });
          const item = queue.shift();
          return item === null ? { done: true, value: undefined } : { done: false, value: item };
        },
        async return() {
          done = true;
          ws.close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function fetcher(params, opts) {
  const headers = Object.assign(
    { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    (opts && opts.headers) || {},
  );
  if (isSubscription(params.query || "")) return subscribe(params, headers);
  return fetch("/graphql", { method: "POST", headers, body: JSON.stringify(params) }).then((r) => r.json());
}

const token = sessionStorage.getItem("token");
const root = ReactDOM.createRoot(document.getElementById("graphiql"));
root.render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultHeaders: token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined,
    shouldPersistHeaders: false,
  }),
);
