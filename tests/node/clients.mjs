// The ecosystem's own clients against a running pressnet (started by tests/tests/node_clients.rs):
// graphql-ws receives a publication, graphql-sse receives one, and a schema built from the
// standard introspection query (buildClientSchema) equals the committed SDL.
//
// Environment: PRESSNET_URL (http://host:port), PRESSNET_TOKEN (a journalist's bearer token),
// PRESSNET_RELEASE_ID (a release already published to that journalist's outlet),
// PRESSNET_SDL (path of schema/schema.graphql).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from "graphql";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

const base = process.env.PRESSNET_URL;
const token = process.env.PRESSNET_TOKEN;
const releaseId = process.env.PRESSNET_RELEASE_ID;
const sdlPath = process.env.PRESSNET_SDL;

// From the start of the feed: the release published before this process started comes first.
const FEED = "subscription { releasePublished(since: \"0000000000000000\") { cursor release { id title } } }";

/** The first result of a subscription, then unsubscribes. */
function first(client) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no result within 10 s")), 10_000);
    const stop = client.subscribe({ query: FEED }, {
      next: (value) => {
        clearTimeout(timer);
        stop();
        resolve(value);
      },
      error: (err) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
      },
      complete: () => {},
    });
  });
}

test("graphql-ws receives a publication", async () => {
  const client = createWsClient({
    url: base.replace(/^http/, "ws") + "/graphql/ws",
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    const value = await first(client);
    assert.equal(value.errors, undefined, JSON.stringify(value.errors));
    assert.equal(value.data.releasePublished.release.id, releaseId);
  } finally {
    await client.dispose();
  }
});

test("graphql-sse receives a publication", async () => {
  const client = createSseClient({
    url: base + "/graphql/stream",
    headers: { authorization: `Bearer ${token}` },
    singleConnection: false,
    retryAttempts: 0,
  });
  try {
    const value = await first(client);
    assert.equal(value.errors, undefined, JSON.stringify(value.errors));
    assert.equal(value.data.releasePublished.release.id, releaseId);
  } finally {
    client.dispose();
  }
});

test("a schema built by introspection equals the committed SDL", async () => {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  });
  const resp = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ query }),
  });
  assert.equal(resp.status, 200);
  const body = await resp.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const fromServer = lexicographicSortSchema(buildClientSchema(body.data));
  const committed = lexicographicSortSchema(buildSchema(readFileSync(sdlPath, "utf8")));
  assert.equal(printSchema(fromServer), printSchema(committed));
});
