//! The labelled headlines pickups' text matching is judged on (`tests/fixtures/pickups.tsv`):
//! precision and recall at a threshold, for the test that holds the chosen one and for
//! pressnet-bench's sweep.
use pressnet_domain::services::monitoring::similarity::Index;

pub const LABELLED: &str = include_str!("../fixtures/pickups.tsv");

pub struct Labelled {
    pub releases: Vec<(String, String)>,
    /// (the release carried, or None; the article's text)
    pub articles: Vec<(Option<String>, String)>,
}

pub fn load() -> Labelled {
    let mut releases = Vec::new();
    let mut articles = Vec::new();
    for line in LABELLED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        match cols.as_slice() {
            ["R", id, title, summary] => {
                releases.push((id.to_string(), format!("{title} {summary}")))
            }
            ["A", label, title, lede] => articles.push((
                (*label != "-").then(|| label.to_string()),
                format!("{title} {lede}"),
            )),
            _ => panic!("a line of pickups.tsv is malformed: {line:?}"),
        }
    }
    Labelled { releases, articles }
}

#[derive(Debug, Clone, Copy)]
pub struct Score {
    pub threshold: f32,
    pub precision: f64,
    pub recall: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

/// Each article is taken to carry its best match at or above `threshold`, if any.
pub fn score(set: &Labelled, threshold: f32) -> Score {
    let index = Index::new(set.releases.iter().cloned());
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (label, text) in &set.articles {
        let best = index
            .matches(text, threshold)
            .into_iter()
            .next()
            .map(|m| m.0);
        match (label, best) {
            (Some(l), Some(b)) if *l == b => tp += 1,
            (Some(_), Some(_)) => {
                fp += 1;
                fn_ += 1
            }
            (Some(_), None) => fn_ += 1,
            (None, Some(_)) => fp += 1,
            (None, None) => {}
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    Score {
        threshold,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
    }
}
