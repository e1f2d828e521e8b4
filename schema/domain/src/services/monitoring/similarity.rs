//! Text similarity of an article and a release, for pickups an article does not link: tf-idf
//! cosine over syllables and adjacent syllable pairs of the folded title and summary.
//!
//! Why this shape: Vietnamese writes one syllable per space-separated token, and a word is
//! often two (`Đà Nẵng`, `giao thông`); the pairs carry the words, the syllables the rest.
//! Folding makes `Đà Nẵng`, `Da Nang` and `ĐÀ NẴNG` one token; the bag of features ignores
//! the order an outlet rewrites a headline in; idf over the releases of the window makes the
//! words every release uses (`tỉnh`, `thông báo`) count for little. An inverted index keeps a
//! match to the releases that share a feature with the article.
use crate::services::text::folded_words;
use std::collections::HashMap;

/// The cosine at and above which an article is taken to carry a release. Chosen on the
/// labelled headlines the tests ship (`tests/fixtures/pickups.tsv`); BENCHMARKS.md gives the
/// precision and recall around it.
pub const THRESHOLD: f32 = 0.35;

/// Syllables too common in headlines to say anything (after folding).
const STOP: &[&str] = &[
    "va", "cua", "cac", "nhung", "la", "co", "duoc", "cho", "voi", "trong", "tai", "ve", "de",
    "mot", "nay", "khi", "da", "se", "dang", "theo", "tu", "den", "ra", "vao", "tren", "nhieu",
    "sau", "truoc", "thi", "ma", "con", "cung", "bi", "boi", "o",
];

/// The features of a text: folded syllables (stop syllables dropped) and adjacent pairs (of
/// all syllables, so `Đà Nẵng` stays a pair though `da` alone is a stop syllable).
pub(crate) fn features(text: &str) -> Vec<String> {
    let syllables = folded_words(text);
    let mut out: Vec<String> = syllables
        .iter()
        .filter(|s| !STOP.contains(&s.as_str()))
        .cloned()
        .collect();
    out.extend(syllables.windows(2).filter_map(|w| match w {
        [a, b] => Some(format!("{a} {b}")),
        _ => None,
    }));
    out
}

fn counts(features: Vec<String>) -> HashMap<String, f32> {
    let mut m = HashMap::new();
    for f in features {
        *m.entry(f).or_insert(0.0) += 1.0;
    }
    m
}

/// Releases indexed for matching: each a weighted feature vector, and for each feature the
/// releases that have it.
pub struct Index<K> {
    keys: Vec<K>,
    norms: Vec<f32>,
    /// Per feature: its idf and the documents that have it, with its weight in each.
    terms: HashMap<String, Term>,
    default_idf: f32,
}

struct Term {
    idf: f32,
    postings: Vec<(usize, f32)>,
}

impl<K: Clone> Index<K> {
    /// Indexes `(key, text)` pairs (a release's title and summary).
    pub fn new(docs: impl IntoIterator<Item = (K, String)>) -> Self {
        let docs: Vec<(K, HashMap<String, f32>)> = docs
            .into_iter()
            .map(|(k, t)| (k, counts(features(&t))))
            .collect();
        let n = docs.len() as f32;
        let mut df: HashMap<&str, f32> = HashMap::new();
        for (_, c) in &docs {
            for f in c.keys() {
                *df.entry(f.as_str()).or_insert(0.0) += 1.0;
            }
        }
        let mut terms: HashMap<String, Term> = df
            .into_iter()
            .map(|(f, d)| {
                let idf = ((n + 1.0) / (d + 1.0)).ln() + 1.0;
                (
                    f.to_owned(),
                    Term {
                        idf,
                        postings: Vec::new(),
                    },
                )
            })
            .collect();
        let default_idf = (n + 1.0).ln() + 1.0;
        let mut keys = Vec::with_capacity(docs.len());
        let mut norms = Vec::with_capacity(docs.len());
        for (i, (k, c)) in docs.into_iter().enumerate() {
            let mut norm = 0.0;
            for (f, tf) in c {
                if let Some(t) = terms.get_mut(&f) {
                    let w = tf * t.idf;
                    norm += w * w;
                    t.postings.push((i, w));
                }
            }
            keys.push(k);
            norms.push(norm.sqrt());
        }
        Self {
            keys,
            norms,
            terms,
            default_idf,
        }
    }

    /// Every indexed document whose cosine with `text` is at least `threshold`, best first.
    ///
    /// The dot products accumulate in a dense array indexed by document (and the list of
    /// documents touched), not a map: a common syllable's posting list is a tenth of the
    /// window long, and a map update per posting was most of the matching time.
    pub fn matches(&self, text: &str, threshold: f32) -> Vec<(K, f32)> {
        let q = counts(features(text));
        let mut qnorm = 0.0;
        let mut dots = vec![0.0f32; self.keys.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (f, tf) in &q {
            let term = self.terms.get(f);
            let w = tf * term.map_or(self.default_idf, |t| t.idf);
            qnorm += w * w;
            if let Some(t) = term {
                for &(doc, dw) in &t.postings {
                    // Every posting names a document of this index, so `get_mut` always finds it.
                    if let Some(dot) = dots.get_mut(doc) {
                        if *dot == 0.0 {
                            touched.push(doc);
                        }
                        *dot += w * dw;
                    }
                }
            }
        }
        let qnorm = qnorm.sqrt();
        if qnorm == 0.0 {
            return Vec::new();
        }
        let mut out: Vec<(K, f32)> = touched
            .into_iter()
            .filter_map(|doc| {
                let (dot, norm, key) = (dots.get(doc)?, self.norms.get(doc)?, self.keys.get(doc)?);
                let cos = dot / (qnorm * norm).max(f32::MIN_POSITIVE);
                (cos >= threshold).then(|| (key.clone(), cos))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_word_order_do_not_matter() {
        let idx = Index::new([
            (
                1,
                "Đà Nẵng khởi công cầu Nguyễn Tri Phương mở rộng".to_owned(),
            ),
            (2, "Huế tổ chức lễ hội áo dài năm 2026".to_owned()),
            (3, "Quảng Nam cấp phép dự án điện gió ngoài khơi".to_owned()),
        ]);
        let m = idx.matches("Khoi cong mo rong cau Nguyen Tri Phuong o Da Nang", 0.3);
        assert_eq!(m.first().map(|x| x.0), Some(1), "{m:?}");
        assert!(idx.matches("Giá vàng hôm nay tăng mạnh", 0.3).is_empty());
    }
}
