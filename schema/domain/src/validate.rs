//! Input validation shared by the services. Every failure names the field.
use crate::error::{AppError, AppResult};

/// Trims and checks a required text: not blank, at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_input(field, "must not be blank"));
    }
    if v.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::bad_input(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v.to_owned())
}

/// An optional text: `None` or blank becomes `None`.
/// A file's name without any path: the part after the last separator (`/` or `\\`), without
/// leading dots or surrounding spaces, so it can name nothing outside the folder it is put in
/// (`..`, a hidden file, an absolute path). May be empty.
pub fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('.')
        .trim()
}

pub(crate) fn opt_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// A plausible e-mail address, lower-cased.
pub fn email(field: &str, value: &str) -> AppResult<String> {
    let v = text(field, value, 254)?.to_lowercase();
    let bad = || AppError::bad_input(field, "is not a valid e-mail address");
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && v.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && c != '<' && c != '>' && c != ',' && c != ';'
        })
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(v)
    } else {
        Err(bad())
    }
}

/// A phone number: digits with optional +, spaces, dots, dashes and parentheses; 8 to 15 digits.
pub fn phone(field: &str, value: &str) -> AppResult<String> {
    let v = text(field, value, 32)?;
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    if allowed && (8..=15).contains(&digits) {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            "is not a valid phone number (8 to 15 digits)",
        ))
    }
}

/// A unit code: letters, digits, dash and underscore, as used in feed URLs.
pub fn code(field: &str, value: &str) -> AppResult<String> {
    let v = text(field, value, 64)?;
    if v.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            "may contain only letters A-Z, digits, '-' and '_'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email("e", "Nguyen.Van.A@baobacgiang.vn").is_ok());
        assert_eq!(email("e", " A@B.VN ").ok().as_deref(), Some("a@b.vn"));
        for bad in ["", "no-at", "a@b", "a@@b.vn", "a b@c.vn", "@b.vn", "a@.vn"] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(phone("p", "0204 3854 123").is_ok());
        assert!(phone("p", "+84 912 345 678").is_ok());
        for bad in ["12", "abc12345678", "0204+3854123", "1234567890123456"] {
            assert!(phone("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn texts() {
        assert!(text("t", "   ", 10).is_err());
        assert!(text("t", &"x".repeat(11), 10).is_err());
        assert_eq!(text("t", " Sở Y tế ", 10).ok().as_deref(), Some("Sở Y tế"));
    }
}
