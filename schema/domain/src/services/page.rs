//! One page of a keyset-paged list, and the bound on a page's size that every list shares.
use crate::error::{AppError, AppResult};

/// Items with their cursors, whether more follow, and how many match in all.
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_next: bool,
    pub total: u64,
}

/// The most items one page may ask for (`first`).
pub const MAX_PAGE: i32 = 100;

/// `first` checked: between 0 and `MAX_PAGE`, else BAD_USER_INPUT on `first`.
pub fn page_size(first: i32) -> AppResult<u64> {
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(AppError::bad_input(
            "first",
            format!("must be between 0 and {MAX_PAGE}"),
        ));
    }
    Ok(first as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_between_nothing_and_the_maximum() {
        assert_eq!(page_size(0).ok(), Some(0));
        assert_eq!(page_size(MAX_PAGE).ok(), Some(MAX_PAGE as u64));
        assert!(page_size(-1).is_err());
        assert!(page_size(MAX_PAGE + 1).is_err());
    }
}
