//! A feed frame rendered once and handed to every subscriber of the same shape and scope.
//!
//! Rendering goes through the schema itself: the request is the subscriber's own document,
//! executed with a `FeedMode` that makes `releasePublished` resolve exactly one given release.
//! So a shared frame holds what each subscriber's own execution would have produced, field for
//! field, errors included. The cursor differs per outlet: the rendering holds an unguessable
//! placeholder where the cursor goes, and each subscriber's frame puts its own cursor there.
use super::shape::Shape;
use crate::graphql::api_error::to_graphql;
use crate::graphql::AppSchema;
use async_graphql::{Pos, Request, Response};
use futures::{Stream, StreamExt};
use pressnet_domain::auth::viewer::Viewer;
use pressnet_domain::context::AppContext;
use pressnet_domain::entities::release;
use pressnet_domain::error::AppError;
use pressnet_domain::events::hub::Rendering;
use pressnet_domain::metrics::SharedMetrics;
use pressnet_domain::services::live_feed::{self, Item};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// What `releasePublished` does when this module executes it. Only the server puts it in a
/// request's data; a client cannot.
pub enum FeedMode {
    /// Check the subscription (role, outlet, cursor), report what it asked for, yield nothing.
    Probe(Arc<Mutex<Option<Opened>>>),
    /// Yield exactly this release, once, with `cursor` standing for each subscriber's cursor.
    Render {
        release: Arc<release::Model>,
        cursor: String,
    },
}

/// A feed subscription that passed its checks.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    pub outlet_id: Uuid,
    pub since: Option<i64>,
}

/// A `next` payload, split where each subscriber's cursor goes.
#[derive(Debug)]
pub struct Template {
    parts: Vec<String>,
}

impl Template {
    fn new(payload: &str, placeholder: &str) -> Self {
        Self {
            parts: payload.split(placeholder).map(str::to_owned).collect(),
        }
    }

    /// The whole `next` message for one subscriber. `prefix` is `{"id":…,"type":"next","payload":`.
    pub fn frame(&self, prefix: &str, cursor: &str) -> String {
        let len = prefix.len() + 1 + self.parts.iter().map(String::len).sum::<usize>();
        let mut out = String::with_capacity(len + cursor.len() * self.parts.len());
        out.push_str(prefix);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(cursor);
            }
            out.push_str(part);
        }
        out.push('}');
        out
    }
}

/// Runs the subscription's checks with the subscriber's own rights: `Ok` with what it asked for,
/// or the responses (errors) async-graphql produced for it.
pub async fn probe(
    schema: &AppSchema,
    request: Request,
    viewer: Viewer,
) -> Result<Opened, Vec<Response>> {
    let slot = Arc::new(Mutex::new(None));
    let request = request.data(viewer).data(FeedMode::Probe(slot.clone()));
    let responses: Vec<Response> = schema.execute_stream(request).collect().await;
    let opened = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    match opened {
        Some(o) if responses.is_empty() => Ok(o),
        _ => Err(responses),
    }
}

/// A graphql-transport-ws `next` message up to its payload: `{"id":…,"type":"next","payload":`.
fn next_prefix(subscription_id: &str) -> String {
    let id = serde_json::to_string(subscription_id).unwrap_or_else(|_| "\"\"".to_owned());
    format!("{{\"id\":{id},\"type\":\"next\",\"payload\":")
}

/// `payload` as JSON; a payload that cannot be serialised becomes an INTERNAL error.
fn payload_json(payload: &Response) -> String {
    serde_json::to_string(payload).unwrap_or_else(|_| {
        serde_json::to_string(&error_response(&AppError::internal(
            "response not serialisable",
        )))
        .unwrap_or_default()
    })
}

/// The message after `prefix` (see `next_prefix`) carrying `payload`.
fn finish(prefix: &str, payload: &Response) -> String {
    format!("{prefix}{}}}", payload_json(payload))
}

/// The graphql-transport-ws `next` message carrying `payload`.
pub fn next_message(subscription_id: &str, payload: &Response) -> String {
    finish(&next_prefix(subscription_id), payload)
}

/// One journalist's feed subscription on the shared path.
pub struct Subscriber {
    schema: AppSchema,
    metrics: SharedMetrics,
    shape: Arc<Shape>,
    viewer: Viewer,
    outlet_id: Uuid,
    account_id: Uuid,
    /// See `next_prefix`.
    prefix: String,
}

impl Subscriber {
    pub fn new(
        app: &AppContext,
        schema: AppSchema,
        shape: Arc<Shape>,
        viewer: Viewer,
        outlet_id: Uuid,
        subscription_id: &str,
    ) -> Self {
        Self {
            schema,
            metrics: app.metrics.clone(),
            shape,
            account_id: viewer.account.as_ref().map(|a| a.id).unwrap_or_default(),
            viewer,
            outlet_id,
            prefix: next_prefix(subscription_id),
        }
    }

    /// The `next` message carrying `item`.
    async fn frame(&self, item: &Item) -> String {
        let scope = self
            .shape
            .depends
            .scope(&item.release, self.outlet_id, self.account_id);
        let template = match &item.batch {
            Some(batch) => {
                let cell = batch
                    .frames
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .entry((self.shape.id, scope))
                    .or_default()
                    .clone();
                let rendered = cell
                    .get_or_init(|| async {
                        let t: Rendering = Box::pin(self.render(item.release.clone())).await;
                        t
                    })
                    .await
                    .clone();
                match rendered.downcast::<Template>() {
                    Ok(t) => t,
                    // Only templates are memoised here; anything else is rendered afresh.
                    Err(_) => Box::pin(self.render(item.release.clone())).await,
                }
            }
            // Read from the database (catch-up): this subscriber's alone.
            None => Box::pin(self.render(item.release.clone())).await,
        };
        template.frame(&self.prefix, &live_feed::encode_cursor(item.seq))
    }

    async fn render(&self, release: Arc<release::Model>) -> Arc<Template> {
        self.metrics.feed_renders.inc();
        let placeholder = format!("pressnetcursor{}", Uuid::new_v4().simple());
        let shape = &self.shape;
        let mut request = Request::new(shape.query.clone()).variables(shape.variables.clone());
        if let Some(op) = &shape.operation_name {
            request = request.operation_name(op.clone());
        }
        request.set_parsed_query(shape.document.clone());
        let request = request.data(self.viewer.clone()).data(FeedMode::Render {
            release,
            cursor: placeholder.clone(),
        });
        let response = self
            .schema
            .execute_stream(request)
            .next()
            .await
            .unwrap_or_else(|| error_response(&AppError::internal("feed item not rendered")));
        Arc::new(Template::new(&payload_json(&response), &placeholder))
    }
}

fn error_response(e: &AppError) -> Response {
    Response::from_errors(vec![to_graphql(e).into_server_error(Pos::default())])
}

/// A finished `next` message, and the item it carries (the writer marks its delivery once the
/// frame is written: DELIVERED means it reached the socket, not merely that it was rendered).
pub struct Frame {
    pub text: String,
    pub item: Option<live_feed::Item>,
}

/// The subscriber's feed as finished `next` messages: catch-up, then live items, exactly as
/// `services::live_feed::stream` orders them. A failure ends the stream after an error payload.
pub fn frames(
    app: AppContext,
    sub: Arc<Subscriber>,
    since: Option<i64>,
) -> impl Stream<Item = Frame> + Send {
    live_feed::stream(app, sub.outlet_id, since).then(move |r| {
        let sub = sub.clone();
        async move {
            sub.metrics.feed_frames.inc();
            match r {
                Ok(item) => Frame {
                    text: sub.frame(&item).await,
                    item: Some(item),
                },
                Err(e) => Frame {
                    text: finish(&sub.prefix, &error_response(&e)),
                    item: None,
                },
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subscriber_gets_its_own_cursor_in_every_place() {
        let t = Template::new(
            r#"{"data":{"a":{"cursor":"PH"},"b":{"cursor":"PH","title":"x"}}}"#,
            "PH",
        );
        assert_eq!(
            t.frame(r#"{"id":"f","type":"next","payload":"#, "00000000000000ff"),
            r#"{"id":"f","type":"next","payload":{"data":{"a":{"cursor":"00000000000000ff"},"b":{"cursor":"00000000000000ff","title":"x"}}}}"#
        );
        let none = Template::new(r#"{"data":null}"#, "PH");
        assert_eq!(none.frame("P", "c"), r#"P{"data":null}}"#);
    }
}
