//! Driving a page in the browser tests: find, type, click, wait, answer a confirmation.
use crate::browser::wait_for;
use crate::TestApp;
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::Duration;

pub async fn text_of(c: &Client, css: &str) -> String {
    wait_for(c, css).await.text().await.unwrap_or_default()
}

pub async fn wait_text(c: &Client, css: &str, needle: &str) {
    for _ in 0..150 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if el.text().await.unwrap_or_default().contains(needle) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never contained {needle:?}");
}

/// Waits until the first element matching `css` holds `needle` in its value (a form field).
pub async fn wait_value(c: &Client, css: &str, needle: &str) {
    for _ in 0..150 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if el
                .prop("value")
                .await
                .ok()
                .flatten()
                .unwrap_or_default()
                .contains(needle)
            {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never held {needle:?}");
}

pub async fn click(c: &Client, css: &str) {
    wait_for(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Types into a field (after clearing it). WebDriver's clear fires no `input` event, so a
/// component re-rendering before the first key would put the old text back: the clear is
/// announced as a user's deletion would be.
pub async fn fill(c: &Client, css: &str, text: &str) {
    let el = wait_for(c, css).await;
    el.clear().await.ok();
    c.execute(
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        vec![serde_json::to_value(&el).expect("element")],
    )
    .await
    .ok();
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Answers the confirmation dialog yes (it names what happens before anything is sent).
pub async fn confirm(c: &Client) {
    wait_for(c, "dialog#confirm[open] #confirm-ok").await;
    click(c, "#confirm-ok").await;
}

/// Types a date (day/month/year) and a 24-hour time into a DateTimeField.
pub async fn fill_when(c: &Client, id: &str, date: &str, time: &str) {
    fill(c, &format!("#{id}-date"), date).await;
    fill(c, &format!("#{id}-time"), time).await;
}

pub async fn select(c: &Client, css: &str, value: &str) {
    wait_for(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

pub async fn goto(c: &Client, app: &TestApp, path: &str) {
    c.goto(&format!("{}/{path}", app.base)).await.expect("goto");
}

/// Polls the API until `check` holds.
pub async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("never: {what}");
}

/// Presses Tab until the focused element matches `css` (at most 40 times); panics otherwise.
pub async fn tab_to(c: &Client, css: &str) {
    for _ in 0..40 {
        let here: bool = c
            .execute(
                "return document.activeElement.matches(arguments[0])",
                vec![json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if here {
            return;
        }
        c.active_element()
            .await
            .expect("focus")
            .send_keys("\u{E004}")
            .await
            .expect("Tab");
    }
    panic!("Tab never reached {css}");
}
